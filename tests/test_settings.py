"""Settings refuse unsafe production configurations (issue: foundation, "Set-up and CI")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 30 + "-production-secret-with-enough-entropy-0123456789"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DELAKTIG_", "DEBUG"))}
    clean.pop("SECRET_KEY", None)
    clean.pop("ALLOWED_HOSTS", None)
    clean.update(env)
    return subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_debug_off_refuses_to_start_without_a_secret_key() -> None:
    result = _run({"ALLOWED_HOSTS": "delaktig.example.se"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_refuses_to_start_without_allowed_hosts() -> None:
    result = _run({"SECRET_KEY": GOOD_KEY}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_debug_off_refuses_a_wildcard_host() -> None:
    result = _run({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "check")
    assert result.returncode != 0
    assert "only allowed in the demo" in result.stderr


def test_check_deploy_is_clean_in_production_settings() -> None:
    result = _run(
        {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "delaktig.example.se"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_demo_mode_starts_without_configuration() -> None:
    result = _run({"DELAKTIG_DEMO": "1"}, "check")
    assert result.returncode == 0, result.stderr
