"""`make run` prints the logins and the address it really serves (issue 10)."""

from __future__ import annotations

import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest

from delaktig.demo.banner import demo_address, demo_banner
from delaktig.demo.constants import DEMO_PASSWORD
from delaktig.demo.management.commands.serve_demo import Command as ServeDemo
from delaktig.demo.seed import DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("host", "port", "address"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000/"),
        ("127.0.0.1", "8080", "http://127.0.0.1:8080/"),
        ("localhost", 8123, "http://localhost:8123/"),
        ("0.0.0.0", 8000, "http://127.0.0.1:8000/"),  # noqa: S104
        ("0", 9000, "http://127.0.0.1:9000/"),
        ("::", 8000, "http://[::1]:8000/"),
        ("::1", 8000, "http://[::1]:8000/"),
        ("[::1]", 8000, "http://[::1]:8000/"),
    ],
)
def test_the_address_is_one_a_browser_on_this_machine_opens(
    host: str, port: int | str, address: str
) -> None:
    assert demo_address(host, port) == address


def test_the_banner_lists_every_login_and_ends_with_the_address() -> None:
    banner = demo_banner("http://127.0.0.1:8080/")

    assert f"lösenord för alla: {DEMO_PASSWORD}" in banner
    for spec in DEMO_USERS:
        assert f"  {spec.username} " in banner
    last = banner.strip().splitlines()[-1]
    assert last == "Öppna http://127.0.0.1:8080/ i webbläsaren. Avsluta med Ctrl+C."
    assert "8000" not in banner


def test_serve_demo_prints_the_port_the_server_bound() -> None:
    out = StringIO()
    command = ServeDemo(stdout=out)
    command.addr, command._raw_ipv6 = "127.0.0.1", False

    command.on_bind(8123)

    text = out.getvalue()
    assert "Öppna http://127.0.0.1:8123/ i webbläsaren." in text
    assert "Django version" not in text
    assert "development server" not in text
    assert "kontaktman" in text


def _make_run_dry(*args: str, env: dict[str, str] | None = None) -> str:
    make = shutil.which("make")
    # `make run` and `make test` are the project's two commands: make is always there.
    assert make is not None, "make is not installed"
    base = {k: v for k, v in os.environ.items() if k not in {"PORT", "HOST"}}
    done = subprocess.run(  # noqa: S603 — our own Makefile, printed only (-n)
        [make, "-n", "-o", ".venv/.installed", "run", *args],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


def test_make_run_serves_and_links_the_port_given_on_the_command_line() -> None:
    recipe = _make_run_dry("PORT=8080")

    assert "serve_demo 127.0.0.1:8080" in recipe
    assert "DELAKTIG_BASE_URL=http://127.0.0.1:8080" in recipe
    assert "collectstatic --noinput" in recipe
    assert "8000" not in recipe


def test_make_run_takes_the_port_from_the_environment() -> None:
    recipe = _make_run_dry(env={"PORT": "8081"})

    assert "serve_demo 127.0.0.1:8081" in recipe
    assert "DELAKTIG_BASE_URL=http://127.0.0.1:8081" in recipe


def test_make_run_defaults_to_port_8000() -> None:
    assert "serve_demo 127.0.0.1:8000" in _make_run_dry()
