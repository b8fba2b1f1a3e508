"""Executing an approved disposal: exactly the due file goes, the record keeps no personal data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from delaktig.core.types import User
from delaktig.disposal import contents
from delaktig.disposal.gate import gate_is_open
from delaktig.disposal.models import (
    DisposalProposal,
    DisposalRecord,
    ItemOutcome,
    ProposalStatus,
    RetentionPolicy,
)
from delaktig.disposal.services import disposal_execute, proposal_create, proposal_decide
from delaktig.people.models import Relative
from delaktig.records.audit import verify_chain
from delaktig.records.models import AuditEvent
from tests.disposal.conftest import Files
from tests.disposal.files import TODAY, footprint, foreign_keys_ok, table_counts
from tests.world import World

# World and files: the module's one cast (tests/disposal/conftest.py).
pytestmark = pytest.mark.usefixtures("cast_once")


def _approved(world: World, archivist: User, on: date = TODAY) -> DisposalProposal:
    proposal = proposal_create(municipality=world.municipality, on=on).proposal
    assert proposal is not None
    return proposal_decide(proposal=proposal, by=archivist, approve=True, reason="Enligt SoL.")


def _personal_strings(files: Files) -> list[str]:
    strings = []
    for file in files.all():
        person = file.person
        strings += [person.first_name, person.personnummer, person.personnummer[:8]]
        strings += [person.personnummer.replace("-", ""), person.phone, person.address]
        strings += list(Relative.objects.filter(person=person).values_list("name", flat=True))
    return [s for s in strings if s]


def test_exactly_the_due_file_goes(world: World, archivist: User, files: Files) -> None:
    before = {file.person.pk: footprint(file.person.pk) for file in files.all()}
    assert all(before[files.due.person.pk].values()), "the due file has rows in every table"
    proposal = _approved(world, archivist)

    record = disposal_execute(proposal=proposal, by=archivist)

    foreign_keys_ok()
    after = {file.person.pk: footprint(file.person.pk) for file in files.all()}
    assert after[files.due.person.pk] == {table: [] for table in before[files.due.person.pk]}
    for file in files.all():
        if file is not files.due:
            assert after[file.person.pk] == before[file.person.pk], file.name
    # The record: what kinds, how many of each, which period, who decided and executed.
    due = before[files.due.person.pk]
    assert record.person_files == 1 and record.skipped_files == 0
    assert record.counts["journal_entries"]["count"] == len(due["journal_entry"])
    assert record.counts["signatures"]["count"] == len(due["signature"]) == 3
    assert record.counts["plan_versions"]["count"] == len(due["plan_version"]) == 2
    assert record.counts["access_log"]["count"] == len(due["access_log"])
    assert record.counts["persons"]["count"] == 1
    assert record.counts["cases"] == {"count": 1, "from": "2019-02-04", "to": "2020-02-03"}
    assert "plan_version_links" not in record.counts  # links are not documents
    assert record.period_from == date(2019, 2, 4)
    assert record.period_to == date(2020, 2, 3)  # the last entry: the case was closed
    assert record.decided_by == archivist and record.executed_by == archivist
    assert record.unit_ids == [world.home_care.pk]
    assert record.policy["retention_years"] == 5
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXECUTED
    assert list(proposal.items.values_list("outcome", flat=True)) == [ItemOutcome.DISPOSED]


def test_the_record_holds_no_personal_data(world: World, archivist: User, files: Files) -> None:
    secrets = _personal_strings(files)
    person_id = files.due.person.pk
    record = disposal_execute(proposal=_approved(world, archivist), by=archivist)
    values = DisposalRecord.objects.filter(pk=record.pk).values().get()
    text = json.dumps(values, default=str)
    for secret in secrets:
        assert secret not in text
    assert "person_id" not in text and f'"{person_id}"' not in text


def test_the_audit_chain_still_verifies(world: World, archivist: User, files: Files) -> None:
    events_before = list(AuditEvent.objects.values_list("pk", "hash"))
    disposal_execute(proposal=_approved(world, archivist), by=archivist)
    assert verify_chain().ok
    call_command("verify_audit")
    # Every earlier event is still there, unchanged; the disposal added its own.
    assert set(events_before) <= set(AuditEvent.objects.values_list("pk", "hash"))
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("disposal.persons_disposed") == 1 and "disposal.executed" in actions
    payloads = json.dumps(list(AuditEvent.objects.values_list("data", flat=True)))
    for secret in _personal_strings(files):
        assert secret not in payloads


def test_the_dry_run_changes_nothing(
    world: World, archivist: User, files: Files, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = _approved(world, archivist)
    before = table_counts()
    call_command("execute_disposal", "--proposal", str(proposal.pk))
    out = capsys.readouterr().out
    assert table_counts() == before
    assert "TORRKÖRNING" in out and "1 personakter skulle gallras" in out
    assert "Journalanteckningar: " in out
    for secret in _personal_strings(files):
        assert secret not in out
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


def test_an_unapproved_proposal_is_refused(world: World, archivist: User, files: Files) -> None:
    proposal = proposal_create(municipality=world.municipality, on=TODAY).proposal
    assert proposal is not None
    before = table_counts()
    with pytest.raises(ValidationError, match="godkänt"):
        disposal_execute(proposal=proposal, by=archivist)
    with pytest.raises(CommandError, match="godkänt"):
        call_command(
            "execute_disposal", "--proposal", str(proposal.pk), "--execute", "--by", "erik"
        )
    proposal_decide(proposal=proposal, by=archivist, approve=False, reason="IVO-ärende pågår.")
    with pytest.raises(CommandError, match="avslagen"):
        call_command(
            "execute_disposal", "--proposal", str(proposal.pk), "--execute", "--by", "erik"
        )
    counts = table_counts()
    # Only the decision itself was written (the proposal row and its audit event).
    assert {t: n for t, n in counts.items() if n != before[t]} == {
        "records_auditevent": before["records_auditevent"] + 1
    }


def test_only_an_archivist_or_admin_executes(world: World, archivist: User, files: Files) -> None:
    proposal = _approved(world, archivist)
    with pytest.raises(CommandError, match="arkivarie"):
        call_command(
            "execute_disposal", "--proposal", str(proposal.pk), "--execute", "--by", "dana"
        )
    with pytest.raises(CommandError, match="--by"):
        call_command("execute_disposal", "--proposal", str(proposal.pk), "--execute")


def test_executing_twice_does_nothing_the_second_time(
    world: World, archivist: User, files: Files, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = _approved(world, archivist)
    call_command("execute_disposal", "--proposal", str(proposal.pk), "--execute", "--by", "erik")
    first = capsys.readouterr().out
    assert "1 personakter gallrade" in first
    after_first = table_counts()
    call_command("execute_disposal", "--proposal", str(proposal.pk), "--execute", "--by", "erik")
    assert "redan verkställt" in capsys.readouterr().out
    assert table_counts() == after_first
    with pytest.raises(ValidationError):
        disposal_execute(proposal=proposal, by=archivist)
    assert DisposalRecord.objects.count() == 1


def test_a_file_written_to_after_the_proposal_is_skipped(
    world: World, archivist: User, files: Files
) -> None:
    from delaktig.records.models import JournalEntry, JournalKind

    proposal = _approved(world, archivist)
    JournalEntry.objects.create(
        municipality=world.municipality,
        case=files.due.case,
        happened_on=TODAY,
        author=world.alice,
        kind=JournalKind.NOTE,
        text="Begäran om att ta del av akten.",
    )
    before = footprint(files.due.person.pk)
    record = disposal_execute(proposal=proposal, by=archivist)
    assert footprint(files.due.person.pk) == before
    assert (record.person_files, record.skipped_files) == (0, 1)
    assert list(proposal.items.values_list("outcome", flat=True)) == [ItemOutcome.SKIPPED]


def test_a_new_exception_keeps_an_approved_file(
    world: World, archivist: User, files: Files
) -> None:
    proposal = _approved(world, archivist)
    RetentionPolicy.objects.create(municipality=world.municipality, keep_all=True)
    before = footprint(files.due.person.pk)
    record = disposal_execute(proposal=proposal, by=archivist)
    assert footprint(files.due.person.pk) == before
    assert record.skipped_files == 1


def test_a_crash_mid_disposal_leaves_everything_as_it_was(
    world: World, archivist: User, files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    proposal = _approved(world, archivist)
    before = table_counts()
    original = contents.delete_rows
    seen: list[str] = []

    def crash_after_journal(kind: contents.Kind, person_ids: list[int]) -> int:
        seen.append(kind.key)
        if kind.key == "signatures":
            raise RuntimeError("strömavbrott")
        return original(kind, person_ids)

    monkeypatch.setattr(contents, "delete_rows", crash_after_journal)
    with pytest.raises(RuntimeError, match="strömavbrott"):
        disposal_execute(proposal=proposal, by=archivist)
    assert "journal_entries" in seen  # rows were deleted before the crash ...
    assert table_counts() == before  # ... and are all back
    assert not gate_is_open()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert verify_chain().ok


def test_the_disposal_record_is_append_only(world: World, archivist: User, files: Files) -> None:
    from django.db import DatabaseError, IntegrityError, connection, transaction

    from delaktig.core.models import AppendOnlyError

    record = disposal_execute(proposal=_approved(world, archivist), by=archivist)
    with pytest.raises(AppendOnlyError):
        record.delete()
    for sql in (
        "UPDATE disposal_disposalrecord SET person_files = 0",
        "DELETE FROM disposal_disposalrecord",
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert DisposalRecord.objects.get().person_files == 1


def test_every_table_that_points_into_a_person_file_is_disposed_of(db: None) -> None:
    """A new model with a foreign key into the file must be added to disposal.contents."""
    from django.apps import apps
    from django.db import connection

    from delaktig.people.models import Person

    tables = set(connection.introspection.table_names())
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
    in_file = {Person}
    grew = True
    while grew:
        grew = False
        for model in models:
            if model in in_file:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in in_file:
                    in_file.add(model)
                    grew = True
                    break
    handled = {kind.model for kind in contents.kinds()}
    assert in_file == handled
