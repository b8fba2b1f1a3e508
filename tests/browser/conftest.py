"""Browser tests: the real app in a subprocess, driven through Playwright in Debian's chromium.

The app runs as ``manage.py runserver`` on a fresh temporary SQLite database, migrated
and seeded with ``seed_demo`` (DELAKTIG_DEMO=1), once per session.  pytest-django's
``live_server`` is deliberately not used: its flush between tests would hit the
append-only tables.  These tests never touch the database in-process, so they must not
request ``db``.

Fixtures: ``live_app`` (base URL), ``browser``, ``page`` (sv-SE, 1280x900, relative
URLs resolve against the app), ``login(page, username)``, ``screenshot(page, name)`` and
``assert_no_serious_axe_violations(page)``.  A failing test that used ``page`` leaves a
``FAILED-<test>.png`` in test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
MANAGE_PY = ROOT / "manage.py"
LOGIN_URL = "/accounts/login/"
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# As root and on a machine without outside network: no sandbox, no phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The browser's own language (Debian's chromium-l10n): a date field reads
    # "åååå-mm-dd", as on a Swedish user's machine, not "mm/dd/yyyy".
    "--lang=sv-SE",
]
# Chromium on Linux takes its UI language from the environment as well as from --lang.
CHROMIUM_ENV = {"LANG": "sv_SE.UTF-8", "LANGUAGE": "sv", "TZ": "Europe/Stockholm"}
LOCALE = "sv-SE"

SERVER_START_TIMEOUT = 60.0  # seconds
SERIOUS_IMPACTS = {"serious", "critical"}

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


class LoginFn(Protocol):
    def __call__(self, page: Page, username: str, password: str | None = None) -> None: ...


# --------------------------------------------------------------------------- the app


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _app_env(sqlite_path: Path) -> dict[str, str]:
    # The app server runs the demo's real settings, not the suite's tests.settings.
    drop = {"DATABASE_URL", "DB", "DELAKTIG_TESTING", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(SQLITE_PATH=str(sqlite_path), DELAKTIG_DEMO="1", PYTHONUNBUFFERED="1")
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(MANAGE_PY), *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} exited with {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}",
            pytrace=False,
        )


def _wait_until_serving(proc: subprocess.Popen[bytes], url: str, stderr_log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"runserver exited with {proc.returncode} before serving:\n"
                + stderr_log.read_text(errors="replace"),
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - http://127.0.0.1
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.25)
    pytest.fail(
        f"runserver did not answer {url} within {SERVER_START_TIMEOUT:.0f} s:\n"
        + stderr_log.read_text(errors="replace"),
        pytrace=False,
    )


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL ("http://127.0.0.1:PORT") of the demo app on a fresh SQLite database."""
    workdir = tmp_path_factory.mktemp("live-app")
    env = _app_env(workdir / "db.sqlite3")
    _manage(env, "migrate", "--noinput")
    _manage(env, "seed_demo")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    stdout_log, stderr_log = workdir / "runserver.out", workdir / "runserver.err"
    with stdout_log.open("wb") as out, stderr_log.open("wb") as err:
        proc = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(MANAGE_PY), "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    try:
        _wait_until_serving(proc, base_url + LOGIN_URL, stderr_log)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not os.access(executable, os.X_OK):
        pytest.fail(
            f"no chromium at {executable}: apt-get install chromium, or set CHROMIUM_PATH",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=executable,
        headless=True,
        args=CHROMIUM_ARGS,
        env={**os.environ, **CHROMIUM_ENV},
    )
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    """Keep each phase's report on the item, so ``page`` can tell whether the test failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def page(browser: Browser, live_app: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_app,
        locale=LOCALE,
        timezone_id="Europe/Stockholm",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    reports = request.node.stash.get(_REPORTS, {})
    if any(report.failed for report in reports.values()):
        try:
            save_screenshot(page, f"FAILED-{request.node.name}")
        except Exception as exc:  # a failed screenshot must not hide the real failure
            print(f"could not take a failure screenshot: {exc}")
    context.close()


# --------------------------------------------------------------------------- helpers


def save_screenshot(page: Page, name: str) -> Path:
    """Full-page PNG at test-artifacts/screenshots/<name>.png (gitignored)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screenshot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """``screenshot(page, "plan-list")`` writes test-artifacts/screenshots/plan-list.png."""
    return save_screenshot


@pytest.fixture
def login(live_app: str) -> LoginFn:
    """``login(page, "username")`` signs in through the login form (demo password default)."""
    from delaktig.demo.constants import DEMO_PASSWORD  # lazily: the app may not import yet

    def _login(page: Page, username: str, password: str | None = None) -> None:
        page.goto(live_app + LOGIN_URL)
        page.locator('input[name="username"]').fill(username)
        page.locator('input[name="password"]').fill(password or DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Logga in").click()
        if urlsplit(page.url).path == LOGIN_URL:
            pytest.fail(f"login as {username!r} failed: still on {page.url}", pytrace=False)

    return _login


def check_no_serious_axe_violations(page: Page) -> None:
    """Fail listing every axe-core violation of impact "serious" or "critical"."""
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v.get("impact") in SERIOUS_IMPACTS]
    if not serious:
        return
    lines = [f"{len(serious)} serious/critical accessibility violation(s) on {page.url}:"]
    for violation in serious:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation.get('helpUrl', '')})"
        )
        nodes = violation.get("nodes", [])
        for node in nodes[:3]:
            lines.append(f"    at {' >> '.join(str(t) for t in node.get('target', []))}")
        if len(nodes) > 3:
            lines.append(f"    … and {len(nodes) - 3} more")
    pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture
def assert_no_serious_axe_violations() -> Callable[[Page], None]:
    """``assert_no_serious_axe_violations(page)`` runs axe-core on the page as it is now."""
    return check_no_serious_axe_violations
