"""`make test`'s browser stage gets Chromium with its Swedish language pack (issue 10)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run_tests(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_tests", ROOT / "scripts" / "run_tests.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "run_tests", module)
    spec.loader.exec_module(module)
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    return module


def _fake_chromium(
    run_tests: ModuleType, monkeypatch: pytest.MonkeyPatch, *, installed: bool
) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(run_tests.os, "access", lambda path, mode: installed)
    monkeypatch.setattr(run_tests, "apt_install", lambda packages: calls.append(list(packages)))
    return calls


def test_ci_installs_chromium_with_its_language_packs(
    run_tests: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_chromium(run_tests, monkeypatch, installed=False)
    with pytest.raises(run_tests.StageFailed):  # the fake install installs nothing
        run_tests.ensure_chromium(True)
    assert calls == [["chromium", "chromium-l10n"]]


def test_ci_adds_the_language_packs_to_an_installed_chromium(
    run_tests: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _fake_chromium(run_tests, monkeypatch, installed=True)
    assert run_tests.ensure_chromium(True, swedish_pak=tmp_path / "sv.pak") == "/usr/bin/chromium"
    assert calls == [["chromium-l10n"]]


def test_outside_ci_a_missing_language_pack_is_a_notice_not_an_install(
    run_tests: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls = _fake_chromium(run_tests, monkeypatch, installed=True)
    assert run_tests.ensure_chromium(False, swedish_pak=tmp_path / "sv.pak") == "/usr/bin/chromium"
    assert calls == []
    assert "apt-get install chromium-l10n" in capsys.readouterr().out


def test_nothing_is_installed_when_the_language_pack_is_there(
    run_tests: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pak = tmp_path / "sv.pak"
    pak.write_bytes(b"")
    calls = _fake_chromium(run_tests, monkeypatch, installed=True)
    assert run_tests.ensure_chromium(True, swedish_pak=pak) == "/usr/bin/chromium"
    assert calls == []
