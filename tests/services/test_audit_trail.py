"""The audit trail is hash-chained and append-only (R-ARC-1)."""

from __future__ import annotations

import itertools
from datetime import UTC, date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from delaktig.core.models import AppendOnlyError
from delaktig.records.audit import GENESIS, audit_append, link_hash, verify_chain
from delaktig.records.models import AccessLog, AuditEvent
from tests.world import World


def _disable_triggers(table: str) -> None:
    """Simulate someone with database access bypassing the application."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred FK checks must fire first, or PostgreSQL refuses the ALTER.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(f"DROP TRIGGER {table}_no_delete")


def test_services_write_a_chain_per_municipality(world: World) -> None:
    rows = list(AuditEvent.objects.filter(chain=world.municipality.pk).order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == GENESIS
    for prev, row in itertools.pairwise(rows):
        assert row.prev_hash == prev.hash
    assert {"routine_profile.created"} <= {r.action for r in rows}


def test_verify_passes_on_an_untouched_chain(world: World) -> None:
    world.add_person(world.home_care, start=date(2026, 1, 5))
    result = verify_chain()
    assert result.ok
    assert result.checked == AuditEvent.objects.count()
    call_command("verify_audit")  # no CommandError


def test_audit_rows_hold_ids_not_personal_data(world: World) -> None:
    case = world.add_person(world.home_care, start=date(2026, 1, 5), first_name="Gunvor")
    payloads = " ".join(str(r.data) for r in AuditEvent.objects.all())
    assert "Gunvor" not in payloads
    assert case.person.personnummer not in payloads
    assert case.person.personnummer[:8] not in payloads


def test_orm_refuses_to_change_or_delete_audit_rows(world: World) -> None:
    row = AuditEvent.objects.first()
    assert row is not None
    row.action = "forged"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("table", ["records_auditevent", "records_accesslog"])
@pytest.mark.parametrize(
    "sql",
    ["UPDATE {table} SET id = id", "DELETE FROM {table}"],
    ids=["update", "delete"],
)
def test_database_refuses_raw_sql_changes(world: World, table: str, sql: str) -> None:
    from delaktig.records.models import AccessAction
    from delaktig.records.services import access_log_record

    case = world.add_person(world.home_care, start=date(2026, 1, 5))
    access_log_record(user=world.alice, person=case.person, action=AccessAction.VIEW_PERSON)
    before = AuditEvent.objects.count(), AccessLog.objects.count()
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(table=table))
    assert (AuditEvent.objects.count(), AccessLog.objects.count()) == before


def test_verify_finds_an_edited_row(world: World) -> None:
    target = AuditEvent.objects.order_by("seq")[1]
    _disable_triggers("records_auditevent")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_auditevent SET action = %s WHERE id = %s", ["forged", target.pk]
        )
    result = verify_chain()
    assert not result.ok
    assert (result.breaks[0].chain, result.breaks[0].seq) == (target.chain, target.seq)
    assert "ändrats" in result.breaks[0].reason
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_verify_finds_a_removed_row(world: World) -> None:
    target = AuditEvent.objects.order_by("seq")[1]
    _disable_triggers("records_auditevent")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_auditevent WHERE id = %s", [target.pk])
    result = verify_chain(target.chain)
    assert [b.seq for b in result.breaks] == [target.seq + 1]


def test_verify_finds_a_rewritten_tail(world: World) -> None:
    """Recomputing a row's own hash is not enough: the next link no longer matches."""
    rows = list(AuditEvent.objects.filter(chain=world.municipality.pk).order_by("seq"))
    target = rows[0]
    _disable_triggers("records_auditevent")
    event = {
        "chain": target.chain,
        "seq": target.seq,
        "at": target.at.astimezone(UTC).isoformat(),
        "actor": target.actor_id,
        "action": "forged",
        "object_type": target.object_type,
        "object_id": target.object_id,
        "data": target.data,
    }
    new_hash = link_hash(target.prev_hash, event)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_auditevent SET action = %s, hash = %s WHERE id = %s",
            ["forged", new_hash, target.pk],
        )
    result = verify_chain(target.chain)
    assert [b.seq for b in result.breaks] == [rows[1].seq]


def test_append_continues_the_chain_after_earlier_events(world: World) -> None:
    last = AuditEvent.objects.filter(chain=world.municipality.pk).order_by("-seq").first()
    assert last is not None
    row = audit_append(
        action="test.event", object_type="x", object_id=1, municipality_id=world.municipality.pk
    )
    assert (row.seq, row.prev_hash) == (last.seq + 1, last.hash)
