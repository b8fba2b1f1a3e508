"""A file whose case went to the archive (R-ARC-4): delivery, stored package, receipt go too."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from delaktig.core.types import User
from delaktig.disposal import contents
from delaktig.disposal.gate import disposal_gate
from delaktig.disposal.services import disposal_execute, proposal_create, proposal_decide
from delaktig.records.audit import verify_chain
from tests.disposal.files import TODAY, footprint, foreign_keys_ok, open_file, pnr
from tests.world import World

# No test here reads a plan's PDF: the packages get a placeholder (tests/fixtures.py).
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")

CLOSED = date(2020, 2, 3)


def _archive_gated() -> bool:
    """Do the archive app's append-only triggers let a disposal through (``gated=True``)?"""
    tables = [kind.model._meta.db_table for kind in contents.archive_kinds()]
    for table in tables:
        try:
            with transaction.atomic(), disposal_gate(proposal_id=0), connection.cursor() as c:
                c.execute(f"UPDATE {table} SET id = id")  # noqa: S608
        except DatabaseError:
            return False
    return True


def test_the_archive_rows_of_a_disposed_file_go_with_it(
    world: World, archivist: User, today: date
) -> None:
    from delaktig.archive.services import case_close, delivery_build, delivery_receive

    keep = open_file(world, personnummer=pnr(1947, 11, 27), first_name="Kvar", start=TODAY)
    file = open_file(
        world, personnummer=pnr(1946, 10, 26), first_name="Berit", start=date(2019, 2, 4)
    )
    with time_machine.travel(CLOSED, tick=False):
        delivery = case_close(
            case=file.case, on=CLOSED, by=world.alice, end_open_interventions=True
        )
        assert delivery is not None
        assert delivery_build(delivery=delivery) is not None
        delivery_receive(delivery=delivery, on=CLOSED, by=archivist)
    archive = {kind.key: kind for kind in contents.archive_kinds()}
    assert len(archive) >= 3  # deliveries, packages (the ZIP bytes), receipts
    for kind in archive.values():
        assert contents._rows(kind, [file.person.pk]).exists(), kind.key
    proposal = proposal_create(municipality=world.municipality, on=TODAY).proposal
    assert proposal is not None
    assert list(proposal.items.values_list("person_id", flat=True)) == [file.person.pk]
    proposal_decide(proposal=proposal, by=archivist, approve=True, reason="Enligt SoL.")
    kept = footprint(keep.person.pk)

    assert _archive_gated(), "the archive tables must be gated (core.triggers.APPEND_ONLY_TABLES)"
    record = disposal_execute(proposal=proposal, by=archivist)
    foreign_keys_ok()
    assert all(not ids for ids in footprint(file.person.pk).values())
    for kind in archive.values():
        assert not contents._rows(kind, [file.person.pk]).exists(), kind.key
        assert record.counts[kind.key]["count"] >= 1
    assert footprint(keep.person.pk) == kept
    assert verify_chain().ok
