"""Settings refuse unsafe production configurations (issue: foundation, "Set-up and CI")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts manage.py in a subprocess (about a second each).
# They make their own SQLite files: nothing for the PostgreSQL stage to add.
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 30 + "-production-secret-with-enough-entropy-0123456789"
PRODUCTION = {
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "delaktig.example.se",
    "DELAKTIG_BASE_URL": "https://delaktig.example.se",
}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # Not the suite's tests.settings (pytest-django exports it) but the real ones, and
    # not the database of the suite's PostgreSQL stage: each test says what it sets.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DELAKTIG_", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"))
        and k != "DB"
    }
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
        PRODUCTION,
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


def test_debug_off_refuses_to_start_without_the_base_url() -> None:
    """Links in e-mails and calendar files would point at 127.0.0.1 (issue 8)."""
    env = {k: v for k, v in PRODUCTION.items() if k != "DELAKTIG_BASE_URL"}
    result = _run(env, "check")
    assert result.returncode != 0
    assert "DELAKTIG_BASE_URL must be set" in result.stderr


def test_secrets_can_be_read_from_files(tmp_path: Path) -> None:
    """SECRET_KEY_FILE / DATABASE_URL_FILE: credentials mounted as files (issue 8)."""
    key = tmp_path / "secret_key"
    key.write_text(GOOD_KEY + "\n", encoding="utf-8")
    db_url = tmp_path / "database_url"
    db_url.write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n", encoding="utf-8")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    env.update(SECRET_KEY_FILE=str(key), DATABASE_URL_FILE=str(db_url))
    script = (
        "from django.conf import settings as s; "
        f"print(s.SECRET_KEY == {GOOD_KEY!r}, s.DATABASES['default']['NAME'])"
    )
    result = _run(env, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", str(tmp_path / "from-file.sqlite3")]


def test_a_secret_and_its_file_together_are_refused(tmp_path: Path) -> None:
    key = tmp_path / "secret_key"
    key.write_text(GOOD_KEY, encoding="utf-8")
    result = _run({**PRODUCTION, "SECRET_KEY_FILE": str(key)}, "check")
    assert result.returncode != 0
    assert "Set SECRET_KEY or SECRET_KEY_FILE, not both" in result.stderr


def test_an_unreadable_secret_file_is_a_clear_error(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _run({**env, "SECRET_KEY_FILE": str(tmp_path / "missing")}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY_FILE cannot be read" in result.stderr


def test_the_demo_runs_with_debug_off_and_a_key_of_its_own(tmp_path: Path) -> None:
    """Issue 10: the demo as users will run it, not with a key published in the source."""
    key_file = tmp_path / "var" / "demo-secret-key"
    script = (
        "from django.conf import settings as s; "
        f"key = open({str(key_file)!r}).read().strip(); "
        "print(s.DEBUG, s.SECRET_KEY == key, len(key) >= 50, 'dev-only' in s.SECRET_KEY, "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    env = {"DELAKTIG_DEMO": "1", "DELAKTIG_DEMO_KEY_FILE": str(key_file)}

    first = _run(env, "shell", "--no-imports", "-c", script)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["False", "True", "True", "False", "True"]
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    key = key_file.read_text(encoding="utf-8")
    second = _run(env, "shell", "--no-imports", "-c", script)
    assert second.returncode == 0, second.stderr
    assert key_file.read_text(encoding="utf-8") == key  # the same key after a restart


def test_the_demo_accepts_requests_and_forms_at_the_address_it_serves(tmp_path: Path) -> None:
    script = (
        "from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.DELAKTIG_BASE_URL)"
    )
    env = {
        "DELAKTIG_DEMO": "1",
        "DELAKTIG_DEMO_KEY_FILE": str(tmp_path / "key"),
        "DELAKTIG_BASE_URL": "http://192.168.1.5:8080",
    }
    result = _run(env, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['127.0.0.1', 'localhost', '[::1]', 'testserver', '192.168.1.5'] "
        "['http://192.168.1.5:8080'] http://192.168.1.5:8080"
    )


def test_a_base_url_that_is_not_an_address_is_refused() -> None:
    result = _run({**PRODUCTION, "DELAKTIG_BASE_URL": "delaktig.example.se"}, "check")
    assert result.returncode != 0
    assert "DELAKTIG_BASE_URL must be an http(s) address" in result.stderr
