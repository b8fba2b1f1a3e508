#!/usr/bin/env python3
"""Delaktig's test runner: ``make test`` (and CI, through ``.ci/run``) call this.

Stages, in order; the run stops at the first stage that fails:

1. ``lint``     ruff check, ruff format --check, import-linter, mypy,
                makemigrations --check.
2. ``sqlite``   the rules tests alone with 100 % branch coverage of ``delaktig.rules``,
                then pytest -m "not browser" on SQLite, in parallel (pytest-xdist).
3. ``postgres`` the same suite (in parallel) on PostgreSQL, less what is marked
                ``sqlite_only`` (the pure rules, tests that make their own SQLite
                file).  The server is,
                in this order: ``DATABASE_URL`` if it is a PostgreSQL URL; a server
                answering on 127.0.0.1:5432 as ``postgres``; a throw-away cluster
                made with initdb/pg_ctl.  Without any of them the stage is skipped
                with a loud notice, or fails when CI is set.
4. ``browser``  pytest -m browser tests/browser, in Debian's chromium
                (``CHROMIUM_PATH`` or /usr/bin/chromium; installed with apt-get in CI).
                When the postgres stage runs too, the browser stage runs beside it,
                in a child process: it mostly waits for chromium and its app server,
                so the two together take little longer than the postgres stage
                alone.  Its output is shown, whole, when its turn comes.

Usage::

    .venv/bin/python scripts/run_tests.py                  # every stage
    .venv/bin/python scripts/run_tests.py --only sqlite    # one stage (repeatable)
    .venv/bin/python scripts/run_tests.py --fast           # SQLite without slow tests

Every stage runs its tests over ``DELAKTIG_TEST_WORKERS`` processes (pytest-xdist;
default ``auto``, one per core; ``0`` runs them in this process).

Environment:

``CI``               "true"/"1": PostgreSQL and chromium are required (chromium is
                     installed with apt-get when missing).
``DATABASE_URL``     a postgres:// URL is used by the postgres stage; it is never
                     passed to the lint, sqlite or browser stages.
``DELAKTIG_PG_MODE`` ``auto`` (default, the order above); ``cluster`` always starts
                     a throw-away cluster (fails if initdb/pg_ctl are missing);
                     ``none`` behaves as if no PostgreSQL could be found.
``CHROMIUM_PATH``    the chromium binary for the browser stage.
``DELAKTIG_SERIAL_STAGES`` "1": run the browser stage after the postgres stage
                     instead of beside it (e.g. to read its output live).

The last line printed is ``N passed, M failed`` over all pytest stages.
Standard library only: it must run before anything else is known to work.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
BROWSER_TESTS = ROOT / "tests" / "browser"

STAGES = ("lint", "sqlite", "postgres", "browser")
LOCAL_PG_URL = "postgres://postgres@127.0.0.1:5432/delaktig"
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "postgis://")
PG_MODES = ("auto", "cluster", "none")
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Debian's chromium and its language packs: without chromium-l10n the browser's own
# widgets (a date field's "åååå-mm-dd") are in English, whatever the page's locale.
CHROMIUM_PACKAGES = ("chromium", "chromium-l10n")
SWEDISH_LOCALE_PAK = Path("/usr/lib/chromium/locales/sv.pak")

# pytest's exit codes (pytest.ExitCode); 5 is "no tests collected".
PYTEST_NO_TESTS = 5
PYTEST_EXIT_MEANING = {
    1: "tests failed",
    2: "interrupted",
    3: "internal error",
    4: "usage error",
    PYTEST_NO_TESTS: "no tests collected",
}

RULE = "=" * 78
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# pytest's closing line, with or without the "=" padding that -q drops:
#   "=== 3 failed, 120 passed, 2 skipped in 12.34s ==="   or   "120 passed in 1.2s"
PYTEST_SUMMARY_RE = re.compile(
    r"^=*\s*(?P<counts>\d+ [a-z]+(?:, \d+ [a-z]+)*)\s+in\s+\d[\d.]*s\b.*$"
)


class StageFailed(Exception):
    """A stage could not be run or prepared; the message says why."""


class StageSkipped(Exception):
    """A stage is skipped on purpose (outside CI); the message is the reason."""


@dataclass
class Counts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, other: Counts) -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped

    def line(self) -> str:
        text = f"{self.passed} passed, {self.failed} failed"
        return text + (f", {self.skipped} skipped" if self.skipped else "")


@dataclass
class StageResult:
    name: str
    status: str  # "passed", "failed", "skipped", "not run" or "interrupted"
    reason: str = ""
    seconds: float = 0.0
    counts: Counts = field(default_factory=Counts)
    ran_pytest: bool = False

    def summary(self) -> str:
        status = f"{self.status} ({self.reason})" if self.reason else self.status
        extras = []
        if self.ran_pytest:
            extras.append(f"tests: {self.counts.line()}")
        if self.status in {"passed", "failed"}:
            extras.append(f"{self.seconds:.1f}s")
        tail = f"  [{'; '.join(extras)}]" if extras else ""
        return f"{self.name + ':':<10} {status}{tail}"


# --------------------------------------------------------------------------- output


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def header(title: str) -> None:
    print(f"\n{RULE}\n== {title}\n{RULE}", flush=True)


def notice(*lines: str) -> None:
    """A message nobody should miss in a scrolling log."""
    bar = "!" * 78
    body = "\n".join(f"!! {line}" for line in lines)
    print(f"\n{bar}\n{body}\n{bar}\n", flush=True)


def mask_url(url: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


# --------------------------------------------------------------------------- processes


def stage_env(drop: Sequence[str] = (), set_: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(set_ or {})
    env["PYTHONUNBUFFERED"] = "1"
    return env


def tee(
    cmd: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> tuple[int, str]:
    """Run ``cmd`` with stdout+stderr shown live and captured; return (exit code, output)."""
    print(f"$ {shlex.join(cmd)}", flush=True)
    try:
        proc = subprocess.Popen(  # noqa: S603 - our own fixed commands
            list(cmd),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    except OSError as exc:  # e.g. the program is not installed
        print(f"cannot run {cmd[0]}: {exc}", flush=True)
        return 127, ""
    if proc.stdout is None:  # cannot happen with stdout=PIPE; narrows the type
        raise RuntimeError("no pipe from the subprocess")
    chunks: list[bytes] = []
    try:
        while data := os.read(proc.stdout.fileno(), 65536):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            chunks.append(data)
        code = proc.wait()
    except BaseException:
        stop_process(proc)
        raise
    finally:
        proc.stdout.close()
    return code, b"".join(chunks).decode("utf-8", errors="replace")


def quiet(
    cmd: Sequence[str], *, cwd: Path = ROOT, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` with its output captured (shown by the caller only if it matters)."""
    return subprocess.run(  # noqa: S603 - our own fixed commands
        list(cmd),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """SIGINT first, so pytest runs its teardown (the browser tests' app server), then harder."""
    for sig, grace in ((signal.SIGINT, 20.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, None)):
        if proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue


# --------------------------------------------------------------------------- pytest


def parse_pytest_counts(output: str) -> Counts | None:
    """Counts from pytest's closing line ("3 passed, 1 failed, 2 errors in 1.2s")."""
    for raw in reversed(output.splitlines()):
        match = PYTEST_SUMMARY_RE.match(ANSI_RE.sub("", raw).strip())
        if not match:
            continue
        numbers: dict[str, int] = {}
        for part in match["counts"].split(", "):
            number, word = part.split(" ", 1)
            numbers[word] = numbers.get(word, 0) + int(number)
        return Counts(
            passed=numbers.get("passed", 0),
            failed=numbers.get("failed", 0) + numbers.get("error", 0) + numbers.get("errors", 0),
            skipped=numbers.get("skipped", 0),
        )
    return None


def run_pytest(result: StageResult, args: Sequence[str], env: Mapping[str, str]) -> None:
    """Run pytest for a stage; exit code 5 (no tests collected) is a failure too."""
    color = ["--color=yes"] if sys.stdout.isatty() else []
    code, output = tee([PYTHON, "-m", "pytest", "-q", *color, *args], env=env)
    result.ran_pytest = True
    counts = parse_pytest_counts(output)
    if counts is not None:
        result.counts = counts
    if code != 0:
        meaning = PYTEST_EXIT_MEANING.get(code, "failed")
        if "FAIL Required test coverage" in output:
            meaning = "coverage below the required 100 %"
        elif counts is not None and counts.failed == 0 and code != PYTEST_NO_TESTS:
            # e.g. a coverage threshold or a teardown crash after all tests passed
            meaning += ", although no test failed"
        raise StageFailed(f"pytest exited with {code}: {meaning}")


# --------------------------------------------------------------------------- stages


def stage_lint(result: StageResult) -> None:
    """All four checks run even if one fails, so one run shows every problem."""
    with tempfile.TemporaryDirectory(prefix="delaktig-lint-") as tmp:
        # DELAKTIG_TESTING=1 lets the settings start without a SECRET_KEY (mypy's
        # django plugin loads them too); the throw-away SQLITE_PATH keeps
        # makemigrations' consistency check away from a developer's db.sqlite3.
        env = stage_env(
            drop=("DATABASE_URL", "DB"),
            set_={"DELAKTIG_TESTING": "1", "SQLITE_PATH": str(Path(tmp) / "lint.sqlite3")},
        )
        checks: list[tuple[str, list[str]]] = [
            ("ruff check", [str(VENV_BIN / "ruff"), "check", "."]),
            ("ruff format", [str(VENV_BIN / "ruff"), "format", "--check", "."]),
            ("import-linter", [str(VENV_BIN / "lint-imports"), "--no-cache"]),
            ("mypy", [str(VENV_BIN / "mypy"), "delaktig"]),
            (
                "makemigrations",
                [PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
            ),
        ]
        failed: list[str] = []
        for name, cmd in checks:
            print(f"\n-- {name}", flush=True)
            code, _ = tee(cmd, env=env)
            if code != 0:
                print(f"-- {name}: FAILED (exit {code})", flush=True)
                failed.append(name)
    if failed:
        raise StageFailed(", ".join(failed) + " failed")


def workers() -> list[str]:
    """pytest-xdist's ``-n``: the suite's tests are independent of each other and of order."""
    value = os.environ.get("DELAKTIG_TEST_WORKERS", "auto").strip() or "auto"
    # worksteal: an idle worker takes tests queued for a busy one, so one long test at
    # the end of a queue does not leave the other core idle.
    return [] if value == "0" else ["-n", value, "--dist", "worksteal"]


def stage_sqlite(result: StageResult, *, marks: str = "not browser") -> None:
    env = stage_env(drop=("DATABASE_URL", "DB"))
    # Coverage of the pure rules is the rules tests' job: measured on them alone, so
    # the rest of the suite does not pay for tracing.
    rules = StageResult("rules", "running")
    run_pytest(
        rules,
        [
            "-p",
            "no:cacheprovider",
            "--cov=delaktig.rules",
            "--cov-branch",
            "--cov-fail-under=100",
            "--cov-report=term-missing:skip-covered",
            *workers(),  # pytest-cov combines the workers' data
            "tests/rules",
        ],
        env,
    )
    # Counted from both runs; the rules tests ran above, with coverage.
    run_pytest(result, ["-m", marks, "--ignore=tests/rules", *workers()], env)
    result.counts.add(rules.counts)


def stage_fast(result: StageResult) -> None:
    stage_sqlite(result, marks="not browser and not slow")


def stage_postgres(result: StageResult) -> None:
    ci = is_true(os.environ.get("CI"))
    mode = os.environ.get("DELAKTIG_PG_MODE", "auto").strip().lower() or "auto"
    if mode not in PG_MODES:
        raise StageFailed(f"DELAKTIG_PG_MODE must be one of {', '.join(PG_MODES)}, got {mode!r}")
    with postgres_server(mode) as url:
        if url is None:
            if ci:
                raise StageFailed(
                    "PostgreSQL is required in CI: no DATABASE_URL, no server on "
                    "127.0.0.1:5432 and no initdb/pg_ctl to start one"
                )
            notice(
                "PostgreSQL suite NOT run: no server and no initdb/pg_ctl found — SQLite only",
                "Start PostgreSQL on 127.0.0.1:5432 (user postgres, trust), set DATABASE_URL,",
                "or install the postgresql package to get the PostgreSQL half of the suite.",
            )
            raise StageSkipped("no PostgreSQL server and no initdb/pg_ctl found")
        print(f"PostgreSQL: DATABASE_URL={mask_url(url)}", flush=True)
        env = stage_env(drop=("DB",), set_={"DATABASE_URL": url})
        # What needs no database of the suite's own ran in the SQLite stage.
        marks = "not browser and not sqlite_only"
        run_pytest(result, ["-m", marks, "-p", "no:cacheprovider", *workers()], env)


def stage_browser(result: StageResult) -> None:
    if not browser_test_files():
        print(f"No test files in {BROWSER_TESTS.relative_to(ROOT)}.", flush=True)
        raise StageSkipped("no browser tests")
    chromium = ensure_chromium(is_true(os.environ.get("CI")))
    env = stage_env(drop=("DATABASE_URL", "DB"), set_={"CHROMIUM_PATH": chromium})
    run_pytest(
        result,
        ["-m", "browser", "-p", "no:cacheprovider", str(BROWSER_TESTS.relative_to(ROOT))],
        env,
    )


STAGE_FUNCS: dict[str, tuple[str, Callable[[StageResult], None]]] = {
    "lint": ("ruff, ruff format, import-linter, mypy, makemigrations --check", stage_lint),
    "sqlite": ('rules coverage 100 %, then pytest -m "not browser" on SQLite', stage_sqlite),
    "fast": ('rules coverage 100 %, then pytest -m "not browser and not slow"', stage_fast),
    "postgres": ('pytest -m "not browser" on PostgreSQL', stage_postgres),
    "browser": ("pytest -m browser tests/browser in Debian's chromium", stage_browser),
}


# --------------------------------------------------------------------------- PostgreSQL


@contextlib.contextmanager
def postgres_server(mode: str) -> Iterator[str | None]:
    """Yield a PostgreSQL URL for the suite, or None when there is no way to get one."""
    if mode == "auto":
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(POSTGRES_SCHEMES):
            print("Using DATABASE_URL from the environment.", flush=True)
            yield url
            return
        if url:
            print(f"DATABASE_URL ({mask_url(url)}) is not PostgreSQL; ignoring it.", flush=True)
        if server_answers("127.0.0.1", 5432):
            print("Using the PostgreSQL server on 127.0.0.1:5432 (user postgres).", flush=True)
            yield LOCAL_PG_URL
            return
    if mode in {"auto", "cluster"}:
        bindir = find_pg_bindir()
        if bindir is not None:
            with throwaway_cluster(bindir) as url:
                yield url
            return
        if mode == "cluster":
            raise StageFailed("DELAKTIG_PG_MODE=cluster, but no initdb/pg_ctl was found")
    else:
        print("DELAKTIG_PG_MODE=none: acting as if no PostgreSQL were available.", flush=True)
    yield None


def server_answers(host: str, port: int) -> bool:
    """Can user postgres connect to host:port?  Asked through psycopg in a subprocess."""
    probe = (
        "import sys, psycopg\n"
        "psycopg.connect(host=sys.argv[1], port=int(sys.argv[2]), user='postgres',\n"
        "                dbname='postgres', connect_timeout=3).close()\n"
    )
    try:
        done = quiet([PYTHON, "-c", probe, host, str(port)], timeout=30)
    except subprocess.TimeoutExpired:
        print(f"No answer from PostgreSQL on {host}:{port} (timed out).", flush=True)
        return False
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        print(f"No usable PostgreSQL on {host}:{port}: {last}", flush=True)
        return False
    return True


def find_pg_bindir() -> Path | None:
    """A directory holding both initdb and pg_ctl: PATH first, then /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    for tool in ("initdb", "pg_ctl"):
        found = shutil.which(tool)
        if found:
            candidates += [Path(found).parent, Path(found).resolve().parent]

    def version(bindir: Path) -> float:
        try:
            return float(bindir.parent.name)
        except ValueError:
            return 0.0

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    for bindir in candidates:
        if all(os.access(bindir / tool, os.X_OK) for tool in ("initdb", "pg_ctl")):
            return bindir
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def as_cluster_owner(cmd: Sequence[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as user postgres then."""
    if os.geteuid() != 0:
        return list(cmd)
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(cmd)]


@contextlib.contextmanager
def throwaway_cluster(bindir: Path) -> Iterator[str]:
    """Start a private PostgreSQL cluster in a temp dir; stop and delete it afterwards."""
    initdb, pg_ctl = str(bindir / "initdb"), str(bindir / "pg_ctl")
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise StageFailed("running as root, but there is no user postgres for pg_ctl") from exc
    tmp = Path(tempfile.mkdtemp(prefix="delaktig-pg-"))
    data, log = tmp / "data", tmp / "server.log"
    started = False
    print(f"Starting a throw-away PostgreSQL cluster in {tmp} ({bindir}).", flush=True)
    try:
        if owner is not None:
            os.chown(tmp, owner.pw_uid, owner.pw_gid)
        # C.UTF-8 like Debian's own clusters: byte-order collation, but upper()/lower()
        # (and so Django's icontains) still know å, ä and ö.
        initdb_cmd = [initdb, "-D", str(data), "-A", "trust", "-U", "postgres"]
        initdb_cmd += ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
        done = quiet(as_cluster_owner(initdb_cmd), cwd=tmp)
        if done.returncode != 0:
            raise StageFailed(f"initdb failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        for _attempt in range(3):
            port = free_port()
            options = (
                f"-p {port} -k {shlex.quote(str(tmp))} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
            )
            done = quiet(
                as_cluster_owner(
                    [pg_ctl, "start", "-D", str(data), "-l", str(log), "-o", options, "-w"]
                ),
                cwd=tmp,
                timeout=120,
            )
            if done.returncode == 0:
                started = True
                break
            print(f"pg_ctl start on port {port} failed ({done.returncode}); retrying.", flush=True)
        if not started:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise StageFailed(f"could not start the throw-away cluster:\n{done.stderr}{tail}")
        print(f"Throw-away cluster is up on 127.0.0.1:{port}.", flush=True)
        yield f"postgres://postgres@127.0.0.1:{port}/delaktig"
    finally:
        if started:
            stopped = quiet(
                as_cluster_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                cwd=tmp,
                timeout=120,
            )
            if stopped.returncode != 0:
                print(f"pg_ctl stop: {stopped.stderr.strip()}", flush=True)
        shutil.rmtree(tmp, ignore_errors=True)
        print("\nThrow-away cluster stopped and removed.", flush=True)


# --------------------------------------------------------------------------- chromium


def browser_test_files() -> list[Path]:
    if not BROWSER_TESTS.is_dir():
        return []
    return sorted(
        {*BROWSER_TESTS.rglob("test_*.py"), *BROWSER_TESTS.rglob("*_test.py")},
    )


def apt_install(packages: Sequence[str]) -> int:
    """``apt-get install -y`` (CI), updating the package lists once if it fails."""
    env = stage_env(set_={"DEBIAN_FRONTEND": "noninteractive"})
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", *packages]
    code, _ = tee(install, env=env)
    if code != 0:
        print("apt-get install failed; updating the package lists and trying again.", flush=True)
        tee(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update"], env=env)
        code, _ = tee(install, env=env)
    return code


def ensure_chromium(ci: bool, swedish_pak: Path = SWEDISH_LOCALE_PAK) -> str:
    """The chromium binary's path; installed with apt-get in CI, a skip outside it.

    Debian's chromium comes with its Swedish language pack (chromium-l10n), so date
    fields look as a Swedish user sees them: installed in CI, a notice outside it.
    """
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if os.access(path, os.X_OK):
        if path == DEFAULT_CHROMIUM and not swedish_pak.exists():
            if ci:
                print("Debian's chromium lacks its language packs; installing (CI).", flush=True)
                apt_install(["chromium-l10n"])
            if not swedish_pak.exists():
                notice(
                    f"Chromium has no Swedish language pack ({swedish_pak}).",
                    "Date fields show in English: apt-get install chromium-l10n.",
                )
        return path
    if not ci:
        notice(
            f"Browser suite NOT run: no chromium at {path}.",
            "Install Debian's chromium (apt-get install chromium chromium-l10n) "
            "or set CHROMIUM_PATH.",
        )
        raise StageSkipped("no chromium")
    print(f"No chromium at {path}; installing Debian's chromium (CI).", flush=True)
    code = apt_install(CHROMIUM_PACKAGES)
    if not os.access(path, os.X_OK):
        raise StageFailed(
            f"chromium is required in CI, but there is none at {path} "
            f"(apt-get install exited with {code})"
        )
    return path


# --------------------------------------------------------------------------- a stage beside another


class BackgroundStage:
    """One stage run by a child ``run_tests.py --only NAME`` while the parent goes on.

    The child's output goes to a file and is printed whole by :meth:`finish`; its
    result comes back as JSON (``--result-file``), so the summary is the same as
    when the stage runs in turn.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.dir = Path(tempfile.mkdtemp(prefix=f"delaktig-{name}-"))
        self.log = (self.dir / "output.log").open("wb")
        self.result_file = self.dir / "result.json"
        cmd = [sys.executable, __file__, "--only", name, "--result-file", str(self.result_file)]
        print(f"Starting the {name} stage beside the others: $ {shlex.join(cmd)}", flush=True)
        self.proc = subprocess.Popen(  # noqa: S603 - our own script
            cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT
        )

    def finish(self, result: StageResult) -> None:
        """Wait for the child, show its output and copy its result into ``result``."""
        print("(run beside the postgres stage; its output follows)\n", flush=True)
        code = self.proc.wait()
        self.log.close()
        sys.stdout.buffer.write((self.dir / "output.log").read_bytes())
        sys.stdout.buffer.flush()
        try:
            data = json.loads(self.result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {"status": "failed", "reason": f"the child exited with {code}, no result"}
        result.status = data.get("status", "failed")
        result.reason = data.get("reason", "")
        result.seconds = float(data.get("seconds", 0.0))
        result.ran_pytest = bool(data.get("ran_pytest", False))
        result.counts = Counts(**data.get("counts", {}))
        self.cleanup()

    def stop(self) -> None:
        stop_process(self.proc)
        self.cleanup()

    def cleanup(self) -> None:
        if not self.log.closed:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def write_result(path: str, result: StageResult) -> None:
    data = {
        "status": result.status,
        "reason": result.reason,
        "seconds": result.seconds,
        "ran_pytest": result.ran_pytest,
        "counts": {
            "passed": result.counts.passed,
            "failed": result.counts.failed,
            "skipped": result.counts.skipped,
        },
    }
    Path(path).write_text(json.dumps(data), encoding="utf-8")


# --------------------------------------------------------------------------- main


class Terminated(KeyboardInterrupt):
    """SIGTERM (e.g. a CI timeout): unwind like Ctrl-C, so clusters and servers are stopped."""


def on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--fast",
        action="store_true",
        help="only SQLite, without the slow and browser tests (make test-fast)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=STAGES,
        metavar="STAGE",
        help=f"run only this stage (repeatable): {', '.join(STAGES)}",
    )
    parser.add_argument("--result-file", help=argparse.SUPPRESS)  # for BackgroundStage
    args = parser.parse_args(argv)
    selected = ["fast"] if args.fast else [s for s in STAGES if not args.only or s in args.only]
    signal.signal(signal.SIGTERM, on_sigterm)

    ci = is_true(os.environ.get("CI"))
    print(
        f"Delaktig test run: stages {', '.join(selected)}; CI={'yes' if ci else 'no'}; "
        f"python {sys.version.split()[0]} ({PYTHON})",
        flush=True,
    )
    results = [StageResult(name, "not run") for name in selected]
    exit_code = 0
    beside = (
        "postgres" in selected
        and "browser" in selected
        and not is_true(os.environ.get("DELAKTIG_SERIAL_STAGES"))
    )
    background: BackgroundStage | None = None
    try:
        for number, result in enumerate(results, start=1):
            description, func = STAGE_FUNCS[result.name]
            if beside and result.name == "postgres":
                background = BackgroundStage("browser")
            header(f"[{number}/{len(results)}] {result.name}: {description}")
            if background is not None and result.name == background.name:
                background.finish(result)
                background = None
                if result.status == "failed":
                    exit_code = 1
                continue
            start = time.monotonic()
            try:
                func(result)
                result.status = "passed"
            except StageSkipped as skip:
                result.status, result.reason = "skipped", str(skip)
            except StageFailed as failure:
                result.status, result.reason = "failed", str(failure).splitlines()[0]
                print(f"\n{result.name} FAILED: {failure}", flush=True)
            result.seconds = time.monotonic() - start
            if result.status == "failed":
                exit_code = 1
                for later in results[number:]:
                    later.reason = f"{result.name} failed"
                break
    except KeyboardInterrupt as interrupt:
        exit_code = 143 if isinstance(interrupt, Terminated) else 130
        print("\nInterrupted.", flush=True)
        for result in results:
            if result.status == "not run":
                result.status = "interrupted"
                break
    finally:
        if background is not None:  # an earlier stage failed or the run was interrupted
            background.stop()

    if args.result_file and len(results) == 1:
        write_result(args.result_file, results[0])

    header("Summary")
    total = Counts()
    for result in results:
        print(result.summary())
        total.add(result.counts)
    print("", flush=True)
    print(total.line(), flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
