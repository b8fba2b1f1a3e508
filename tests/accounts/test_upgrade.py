"""A database made with Django's auth.User upgrades in place to accounts.User (issue 8).

The commit before the switch (``OLD_COMMIT``) is unpacked with ``git archive`` into a
temporary folder. Its own ``manage.py`` migrates a fresh database and loads the demo,
and a little more that the demo lacks: a group with a user permission, a direct user
permission and an admin history entry about a user. Then this tree's
``adopt_custom_user`` and ``migrate`` run on the same database, and every user row,
password, group and permission link, content type, audit link and every foreign key
to the user model (found from this tree's models, in every app) must be what it was;
``verify_audit`` must pass and a demo user must still log in.

Everything runs in subprocesses against a throw-away database (a SQLite file, or a
PostgreSQL database when the suite runs on PostgreSQL), never pytest-django's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings

from delaktig.accounts.models import User
from delaktig.demo.constants import DEMO_PASSWORD

pytestmark = pytest.mark.slow

OLD_COMMIT = "ec1b801"  # main before accounts.User: the user model was auth.User
BASE_DIR = Path(settings.BASE_DIR)
DB = settings.DATABASES["default"]
IS_POSTGRES = "postgresql" in DB["ENGINE"]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
DEMO_USER = "kontaktman"

# Run in the old tree after seed_demo: links the demo does not make, so they are tested too.
OLD_EXTRAS = """
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
user = User.objects.get(username="kontaktman")
admin = User.objects.get(username="admin")
group = Group.objects.create(name="Personalhandläggare")
group.permissions.add(Permission.objects.get(codename="change_user"))
user.groups.add(group)
user.user_permissions.add(Permission.objects.get(codename="view_user"))
LogEntry.objects.create(
    user=admin, content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk),
    object_repr=user.username, action_flag=CHANGE, change_message="[]",
)
"""

# Run in both trees: raw SQL only, so it reads the same tables under either user model.
SNAPSHOT = """
import hashlib, json, os
from django.db import connection
fks = json.loads(os.environ["UPGRADE_FKS"])
tables = set(connection.introspection.table_names())
q = connection.ops.quote_name
def rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [list(r) for r in cursor.fetchall()]
def digest(sql):
    return hashlib.sha256(json.dumps(rows(sql), default=str).encode()).hexdigest()
counted = ["auth_user", "auth_user_groups", "auth_user_user_permissions", "auth_group",
           "auth_group_permissions", "auth_permission", "django_content_type",
           "django_admin_log", "records_auditevent", "organisation_membership"]
snap = {
    "counts": {t: rows(f"SELECT COUNT(*) FROM {q(t)}")[0][0] for t in counted},
    "users": digest("SELECT id, username, password, is_superuser, is_staff, is_active, "
                    "last_login, date_joined, email, first_name, last_name "
                    "FROM auth_user ORDER BY id"),
    "groups": rows("SELECT user_id, group_id FROM auth_user_groups ORDER BY 1, 2"),
    "permissions": rows("SELECT user_id, permission_id FROM auth_user_user_permissions "
                        "ORDER BY 1, 2"),
    "group_permissions": digest("SELECT group_id, permission_id FROM auth_group_permissions "
                                "ORDER BY 1, 2"),
    "user_content_types": rows("SELECT id, app_label FROM django_content_type "
                               "WHERE model = 'user' ORDER BY id"),
    "user_permission_rows": rows("SELECT id, codename, content_type_id FROM auth_permission "
                                 "WHERE codename IN ('add_user', 'change_user', 'delete_user', "
                                 "'view_user') ORDER BY id"),
    "admin_log": rows("SELECT id, user_id, content_type_id, object_id FROM django_admin_log "
                      "ORDER BY id"),
    "audit_heads": rows("SELECT a.chain, a.seq, a.hash FROM records_auditevent a WHERE a.seq = "
                        "(SELECT MAX(b.seq) FROM records_auditevent b WHERE b.chain = a.chain) "
                        "ORDER BY a.chain"),
    "audit": digest("SELECT chain, seq, prev_hash, hash, actor_id FROM records_auditevent "
                    "ORDER BY chain, seq"),
    "fks": {},
}
def columns(table):
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}
for table, pk, column in fks:
    # Tables and columns added since the old tree are not in its database.
    if table in tables and column in columns(table):
        snap["fks"][f"{table}.{column}"] = {
            "linked": rows(f"SELECT COUNT(*) FROM {q(table)} WHERE {q(column)} IS NOT NULL")[0][0],
            "digest": digest(f"SELECT {q(pk)}, {q(column)} FROM {q(table)} ORDER BY 1"),
        }
print("SNAPSHOT " + json.dumps(snap))
"""

LOGIN = f"""
from django.contrib.auth import authenticate, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.admin.models import LogEntry
user = authenticate(username="{DEMO_USER}", password="{DEMO_PASSWORD}")
model = get_user_model()
assert user is not None and type(user) is model, user
assert model._meta.label == "accounts.User"
assert user.check_password("{DEMO_PASSWORD}") and not user.check_password("fel")
assert user.has_perm("accounts.change_user") and user.has_perm("accounts.view_user")
assert not user.has_perm("accounts.delete_user")
history = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
assert history.filter(object_id=str(user.pk)).exists()
print("LOGGED-IN", user.pk)
"""


def user_foreign_keys() -> list[tuple[str, str, str]]:
    """(table, primary key column, column) of every foreign key to the user, in every app."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                found.append((model._meta.db_table, model._meta.pk.column, field.column))
    return sorted(found)


def old_tree(tmp_path: Path) -> Path:
    """This repository at OLD_COMMIT, unpacked; skipped (or failed in CI) without history."""

    def unavailable(reason: str) -> None:
        if IN_CI:
            pytest.fail(f"{reason} — in CI the upgrade test must run (use fetch-depth: 0).")
        pytest.skip(reason)

    git = shutil.which("git")
    if git is None:
        unavailable("git is not installed")
    assert git is not None

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 — git on our own repository
            [git, "-C", str(BASE_DIR), *args], capture_output=True, text=True, check=False
        )

    if run("rev-parse", "--git-dir").returncode != 0:
        unavailable(f"{BASE_DIR} is not a git checkout")
    commit = run("rev-parse", "--verify", "--quiet", f"{OLD_COMMIT}^{{commit}}")
    if commit.returncode != 0:
        if run("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
            unavailable(f"shallow clone: commit {OLD_COMMIT} (before accounts.User) is missing")
        pytest.fail(f"commit {OLD_COMMIT} (before accounts.User) is not in the repository")
    archive = tmp_path / "old.tar"
    made = run("archive", "--format=tar", "-o", str(archive), commit.stdout.strip())
    assert made.returncode == 0, made.stderr
    tree = tmp_path / "old"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    assert not (tree / "delaktig" / "accounts").exists()
    return tree


# Both trees run with their own delaktig.settings and only a cheaper password hasher:
# the demo's nine logins would otherwise cost two seconds of PBKDF2 in the old tree.
FAST_HASHER_SETTINGS = """
from delaktig.settings import *  # noqa: F403
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""


def manage(tree: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 — our own manage.py, old or new
        [sys.executable, str(tree / "manage.py"), *args],
        cwd=tree,
        env={**env, "PYTHONPATH": os.pathsep.join((str(tree), env["UPGRADE_SETTINGS_DIR"]))},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, (tree, args, result.stdout, result.stderr)
    return result.stdout


def snapshot(tree: Path, env: dict[str, str]) -> dict[str, Any]:
    fks = json.dumps(user_foreign_keys())
    out = manage(tree, {**env, "UPGRADE_FKS": fks}, "shell", "-c", SNAPSHOT)
    line = next(line for line in out.splitlines() if line.startswith("SNAPSHOT "))
    snap: dict[str, Any] = json.loads(line.removeprefix("SNAPSHOT "))
    return snap


def upgrade(tmp_path: Path, **database: str) -> None:
    old = old_tree(tmp_path)
    # The same settings for both trees (each tree's own, with FAST_HASHER_SETTINGS'
    # hasher, so a password hashed by the old tree is checked by the new one), never
    # the suite's tests.settings.
    drop = {"DATABASE_URL", "SQLITE_PATH", "DB", "DELAKTIG_TESTING", "PYTHONPATH"}
    drop.add("DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "upgrade_settings.py").write_text(FAST_HASHER_SETTINGS, encoding="utf-8")
    env.update(
        DELAKTIG_DEMO="1",
        DJANGO_SETTINGS_MODULE="upgrade_settings",
        UPGRADE_SETTINGS_DIR=str(settings_dir),
        **database,
    )

    # The old database, as the old tree makes it: one process for migrate and the demo.
    build = "from django.core.management import call_command\n"
    build += "call_command('migrate', verbosity=0)\ncall_command('seed_demo')\n"
    manage(old, env, "shell", "-c", build + OLD_EXTRAS)
    before = snapshot(old, env)

    adopted = manage(BASE_DIR, env, "adopt_custom_user")
    assert "övertagen" in adopted and f"{before['counts']['auth_user']} användare" in adopted
    assert "redan övertagen" in manage(BASE_DIR, env, "adopt_custom_user")  # idempotent
    manage(BASE_DIR, env, "migrate", "-v0")
    after = snapshot(BASE_DIR, env)

    # The demo made what is compared, so the comparison means something.
    counts = before["counts"]
    assert counts["auth_user"] >= 8 and counts["organisation_membership"] >= 8
    assert counts["records_auditevent"] > 100 and counts["auth_user_groups"] == 1
    linked = {name: fk["linked"] for name, fk in before["fks"].items()}
    for name in (
        "organisation_membership.user_id",
        "records_auditevent.actor_id",
        "plans_signature.recorded_by_id",
        "people_contactassignment.user_id",
        "auth_user_groups.user_id",
        "django_admin_log.user_id",
    ):
        assert linked[name] > 0, name
    assert len(before["fks"]) >= 15

    # Same rows, same links, same chain; auth | user became accounts | user, same id.
    # Models added since the old tree bring their own content types and permissions.
    grown = ("auth_permission", "django_content_type")
    assert {k: v for k, v in after["counts"].items() if k not in grown} == {
        k: v for k, v in before["counts"].items() if k not in grown
    }
    assert all(after["counts"][k] >= before["counts"][k] for k in grown)
    for key in ("users", "groups", "permissions", "group_permissions", "admin_log"):
        assert after[key] == before[key], key
    # Tables and columns added since the old tree are new and empty; every old link stays.
    assert {k: v for k, v in after["fks"].items() if k in before["fks"]} == before["fks"]
    assert all(fk["linked"] == 0 for k, fk in after["fks"].items() if k not in before["fks"])
    assert after["audit_heads"] == before["audit_heads"]
    assert after["audit"] == before["audit"]
    assert [row[1] for row in before["user_content_types"]] == ["auth"]
    assert after["user_content_types"] == [[before["user_content_types"][0][0], "accounts"]]
    assert after["user_permission_rows"] == before["user_permission_rows"]

    assert "intakt" in manage(BASE_DIR, env, "verify_audit")
    assert "LOGGED-IN" in manage(BASE_DIR, env, "shell", "-c", LOGIN)
    assert "redan övertagen" in manage(BASE_DIR, env, "adopt_custom_user")
    manage(BASE_DIR, env, "migrate", "--check")  # nothing left to apply


@pytest.mark.sqlite_only
def test_a_sqlite_database_made_with_auth_user_upgrades_in_place(tmp_path: Path) -> None:
    upgrade(tmp_path, SQLITE_PATH=str(tmp_path / "upgrade.sqlite3"))


def _pg(dbname: str) -> Any:
    import psycopg

    return psycopg.connect(
        host=DB.get("HOST") or None,
        port=DB.get("PORT") or None,
        user=DB.get("USER") or None,
        password=DB.get("PASSWORD") or None,
        dbname=dbname,
        autocommit=True,
    )


@pytest.fixture
def pg_database() -> Iterator[str]:
    from psycopg import sql

    name = f"delaktig_user_upgrade_{uuid.uuid4().hex[:8]}"
    with _pg("postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with _pg("postgres") as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.skipif(not IS_POSTGRES, reason="runs when the suite runs on PostgreSQL (DATABASE_URL)")
def test_a_postgresql_database_made_with_auth_user_upgrades_in_place(
    tmp_path: Path, pg_database: str
) -> None:
    user = quote(str(DB.get("USER") or "postgres"))
    secret = f":{quote(str(DB['PASSWORD']))}" if DB.get("PASSWORD") else ""
    host = DB.get("HOST") or "127.0.0.1"
    port = DB.get("PORT") or 5432
    upgrade(tmp_path, DATABASE_URL=f"postgres://{user}{secret}@{host}:{port}/{pg_database}")
