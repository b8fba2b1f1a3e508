"""The triggers let the disposal through and nothing else (R-ARC-1, R-ARC-3).

Outside a disposal, raw SQL updates and deletes of the records are refused on
both databases; inside the gate (same transaction) they pass; the audit trail
and the disposal record refuse always; a crash closes the gate with the rollback.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from delaktig.core.triggers import DISPOSAL_GATED_TABLES
from delaktig.disposal.gate import GateError, disposal_gate, gate_is_open
from tests.disposal.conftest import Files
from tests.disposal.files import table_counts
from tests.world import World

# World and files: the module's one cast (tests/disposal/conftest.py).
pytestmark = pytest.mark.usefixtures("cast_once")

GATED = [*DISPOSAL_GATED_TABLES, "plans_planversion", "plans_planversion_interventions"]
CHANGES = [
    *[(table, verb) for table in DISPOSAL_GATED_TABLES for verb in ("update", "delete")],
    ("plans_planversion", "update"),
    ("plans_planversion", "delete"),
    ("plans_planversion_interventions", "delete"),  # links are only ever added or removed
]
ALWAYS = ["records_auditevent", "disposal_disposalrecord"]
FROZEN = "SELECT id FROM plans_planversion WHERE state <> 'draft'"


def _rows(table: str, *, first: bool) -> str:
    """A WHERE clause: every guarded row of ``table``, or only the first one."""
    if table == "plans_planversion":
        ids = FROZEN
    elif table == "plans_planversion_interventions":
        ids = f"SELECT id FROM {table} WHERE planversion_id IN ({FROZEN})"  # noqa: S608
    else:
        ids = f"SELECT id FROM {table}"  # noqa: S608
    if first:
        return f"id = (SELECT MIN(id) FROM ({ids}) AS guarded)"  # noqa: S608
    return f"id IN ({ids})"


def _change(table: str, verb: str, *, first: bool = False) -> str:
    where = _rows(table, first=first)
    if verb == "delete":
        return f"DELETE FROM {table} WHERE {where}"  # noqa: S608
    if table == "plans_planversion":
        return f"UPDATE {table} SET content_sha256 = 'forged' WHERE {where}"  # noqa: S608
    return f"UPDATE {table} SET id = id WHERE {where}"  # noqa: S608


def _refused(sql: str) -> None:
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


class Rollback(Exception):
    pass


def test_the_cast_has_rows_in_every_gated_table(world: World, files: Files) -> None:
    counts = table_counts()
    assert all(counts[table] > 0 for table in [*GATED, "records_auditevent"])


@pytest.mark.parametrize(
    ("table", "verb"),
    [*CHANGES, ("records_auditevent", "update"), ("records_auditevent", "delete")],
)
def test_outside_a_disposal_raw_sql_is_refused(
    world: World, files: Files, table: str, verb: str
) -> None:
    before = table_counts()
    _refused(_change(table, verb))
    assert table_counts() == before
    assert not gate_is_open()


@pytest.mark.parametrize(("table", "verb"), CHANGES)
def test_inside_the_gate_the_records_give_way(
    world: World, files: Files, table: str, verb: str
) -> None:
    before = table_counts()
    with pytest.raises(Rollback), transaction.atomic():
        with disposal_gate(proposal_id=0), connection.cursor() as cursor:
            assert gate_is_open()
            cursor.execute(_change(table, verb, first=True))
            assert cursor.rowcount == 1
        assert not gate_is_open()  # closed when its block ends; the transaction goes on
        _refused(_change(table, verb))
        raise Rollback
    assert table_counts() == before


@pytest.mark.parametrize("verb", ["update", "delete"])
@pytest.mark.parametrize("table", ALWAYS)
def test_the_audit_trail_refuses_even_inside_the_gate(
    world: World, files: Files, table: str, verb: str
) -> None:
    from delaktig.disposal.services import disposal_execute, proposal_create, proposal_decide
    from tests.disposal.files import TODAY
    from tests.world import make_user

    if table == "disposal_disposalrecord":
        from delaktig.organisation.models import Membership, Role

        archivist = make_user("erik")
        Membership.objects.create(
            user=archivist, role=Role.ARCHIVIST, administration=world.administration
        )
        proposal = proposal_create(municipality=world.municipality, on=TODAY).proposal
        assert proposal is not None
        proposal_decide(proposal=proposal, by=archivist, approve=True, reason="Ja.")
        disposal_execute(proposal=proposal, by=archivist)
    before = table_counts()
    assert before[table] > 0
    with transaction.atomic(), disposal_gate(proposal_id=0):
        _refused(_change(table, verb))
    assert table_counts() == before


def test_a_crash_inside_the_gate_rolls_back_and_closes_it(world: World, files: Files) -> None:
    before = table_counts()
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        disposal_gate(proposal_id=0),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM records_journalentry")
        assert cursor.rowcount > 0
        cursor.execute(_change("plans_planversion", "delete"))
        raise RuntimeError("krasch mitt i gallringen")
    assert not gate_is_open()
    assert table_counts() == before
    _refused("DELETE FROM records_journalentry")
    _refused(_change("plans_planversion", "delete"))


def test_the_gate_ends_with_its_block_even_without_a_crash(world: World, files: Files) -> None:
    with disposal_gate(proposal_id=0):
        assert gate_is_open()
    assert not gate_is_open()
    _refused("DELETE FROM plans_signature")


def test_a_gate_found_open_is_an_error(world: World, files: Files) -> None:
    with disposal_gate(proposal_id=0), pytest.raises(GateError), disposal_gate(proposal_id=1):
        pass  # pragma: no cover


def test_outside_a_disposal_the_gate_is_closed(world: World, files: Files) -> None:
    assert not gate_is_open()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('delaktig.disposal', true)")
            assert cursor.fetchone()[0] in (None, "", "off")
        else:
            cursor.execute("SELECT COUNT(*) FROM disposal_gate")
            assert cursor.fetchone()[0] == 0
