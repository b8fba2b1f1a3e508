"""The outbox (issue 8): mail leaves the transaction; a failure loses nothing.

The failing SMTP server is real: Django's SMTP backend pointed at a local port
nobody listens on, so the connection is refused by the operating system.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from delaktig import rules
from delaktig.archive.services import delivery_rebuild_request, delivery_receive, delivery_return
from delaktig.core.models import AppendOnlyError
from delaktig.demo.generate import generate_municipality
from delaktig.demo.seed import seed_demo
from delaktig.disposal.services import proposal_create, proposal_decide
from delaktig.oversight.models import DeliveryStatus, Notification
from delaktig.oversight.outbox import Outcome, outbox_send
from delaktig.people.models import Decision
from delaktig.people.services import relative_add
from delaktig.plans.followups import follow_up_record
from delaktig.plans.models import FollowUp, Plan
from delaktig.plans.services import handover_record, plan_save_draft
from tests.services.test_follow_ups import TODAY, data, established
from tests.world import World

ADDRESS = "handlaggare@kommun.se"


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def plan(world: World) -> Plan:
    plan = established(world)
    Decision.objects.filter(case=plan.case).update(case_officer_email=ADDRESS)
    return plan


@pytest.fixture
def refusing_smtp(settings: Settings) -> int:
    """The real SMTP backend, pointed at a local port that refuses connections."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    # Closed again: nothing listens there now, connect() gets ECONNREFUSED.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    return port


def follow_up_with_notice(plan: Plan, world: World) -> Any:
    return follow_up_record(
        plan=plan, data=data(plan, need_change=rules.NeedChange.INCREASED), by=world.bob
    )


def send_outbox(*args: str) -> str:
    out = StringIO()
    call_command("send_outbox", *args, stdout=out)
    return out.getvalue()


class LaterFailure(Exception):
    """Something after the service, in the same outer transaction, goes wrong."""


def test_a_rollback_after_the_service_sends_nothing_and_leaves_no_row(
    world: World, plan: Plan, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(LaterFailure),
        transaction.atomic(),
    ):
        result = follow_up_with_notice(plan, world)
        assert result.case_officer_notified is True
        assert Notification.objects.count() == 1  # written inside the transaction
        raise LaterFailure
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not FollowUp.objects.exists()


def test_the_mail_goes_only_after_the_commit(
    world: World, plan: Plan, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        follow_up_with_notice(plan, world)
    assert mail.outbox == []  # not sent inside the service
    assert Notification.objects.get().status == DeliveryStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()  # what the commit runs
    assert len(mail.outbox) == 1
    notification = Notification.objects.get()
    assert notification.status == DeliveryStatus.SENT
    assert notification.attempts == 1 and notification.sent_at is not None


def test_an_smtp_failure_keeps_the_follow_up_and_the_command_sends_it_once(
    world: World,
    plan: Plan,
    refusing_smtp: int,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="delaktig.outbox"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        result = follow_up_with_notice(plan, world)  # does not raise
    assert len(callbacks) == 1
    assert result.case_officer_notified is True
    assert FollowUp.objects.get() == result.follow_up
    assert mail.outbox == []
    notification = Notification.objects.get()
    assert notification.status == DeliveryStatus.FAILED
    assert notification.attempts == 1 and notification.sent_at is None
    assert notification.last_error.startswith("ConnectionRefusedError")
    person = plan.case.person
    logged = caplog.text + notification.last_error
    assert f"Utgående meddelande {notification.pk}" in caplog.text
    for secret in (ADDRESS, "kommun.se", person.first_name, person.last_name, person.personnummer):
        assert secret not in logged

    # Still refusing: the command tries again, it fails again, nothing is lost.
    assert "Skickade 0 meddelanden; 1 misslyckades" in send_outbox()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.FAILED, 2)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Skickade 1 meddelanden; 0 misslyckades" in send_outbox()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ADDRESS] and mail.outbox[0].body == notification.body
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert notification.attempts == 3 and notification.last_error == ""
    assert notification.sent_at is not None

    assert "Skickade 0 meddelanden" in send_outbox()
    assert len(mail.outbox) == 1
    assert outbox_send(notification_id=notification.pk) is Outcome.SKIPPED
    assert len(mail.outbox) == 1


def test_the_dry_run_sends_nothing_and_names_no_one(
    world: World,
    plan: Plan,
    refusing_smtp: int,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_with_notice(plan, world)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification = Notification.objects.get()
    out = send_outbox("--dry-run")
    assert "Skulle försöka skicka 1 meddelanden" in out
    assert f"meddelande {notification.pk}: failed, 1 försök" in out
    assert ADDRESS not in out
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_a_message_without_an_address_is_never_sent(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    plan = established(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        follow_up_with_notice(plan, world)
    assert callbacks == []
    assert Notification.objects.get().status == DeliveryStatus.UNADDRESSED
    assert "Skickade 0 meddelanden" in send_outbox()
    assert mail.outbox == []


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="SQLite's claim; PostgreSQL locks the row instead"
)
def test_a_claimed_message_is_left_to_its_sender_until_the_claim_expires(
    world: World, plan: Plan, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        follow_up_with_notice(plan, world)
    notification = Notification.objects.get()
    Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now())
    assert outbox_send(notification_id=notification.pk) is Outcome.SKIPPED
    assert mail.outbox == []
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert outbox_send(notification_id=notification.pk) is Outcome.SENT
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.claimed_at is None


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE oversight_notification SET body = 'x'",
        "UPDATE oversight_notification SET subject = 'x'",
        "UPDATE oversight_notification SET recipient = 'annan@example.org'",
        "UPDATE oversight_notification SET case_id = case_id + 1",
        "UPDATE oversight_notification SET kind = 'x'",
        "UPDATE oversight_notification SET status = 'pending'",
        "UPDATE oversight_notification SET sent_at = NULL",
    ],
)
def test_the_database_refuses_changes_to_what_was_sent(
    world: World,
    plan: Plan,
    sql: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_with_notice(plan, world)
    before = Notification.objects.values().get()
    assert before["status"] == DeliveryStatus.SENT
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Notification.objects.values().get() == before


def test_the_delivery_columns_of_an_unsent_message_may_change(
    world: World, plan: Plan, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        follow_up_with_notice(plan, world)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE oversight_notification SET status = 'failed', attempts = 4, "
            "last_error = 'SMTPDataError 451'"
        )
    assert Notification.objects.get().attempts == 4


def test_the_orm_refuses_changes_to_what_was_sent(
    world: World, plan: Plan, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        follow_up_with_notice(plan, world)
    notification = Notification.objects.get()
    notification.body = "x"
    with pytest.raises(AppendOnlyError):
        notification.save()
    with pytest.raises(AppendOnlyError):
        notification.save(update_fields=["body", "status"])
    with pytest.raises(AppendOnlyError):
        Notification.objects.update(recipient="annan@example.org")
    assert Notification.objects.get().body != "x"
    assert Notification.objects.update(attempts=2) == 1


# Top-level services: called only from views and commands, so a caller cannot hold
# their commit back inside an outer transaction (report for issue 8 lists the rest).
DURABLE: list[Callable[..., object]] = [
    plan_save_draft,
    handover_record,
    relative_add,
    proposal_create,
    proposal_decide,
    delivery_receive,
    delivery_return,
    delivery_rebuild_request,
    seed_demo,
    generate_municipality,
]


@pytest.mark.parametrize("service", DURABLE, ids=lambda f: f.__name__)
def test_top_level_services_refuse_an_outer_transaction(
    db: None, service: Callable[..., object]
) -> None:
    # The durability check comes before the service reads its arguments.
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        service()


def test_the_follow_up_is_not_durable_the_demo_seeds_it_in_one_transaction(
    world: World, plan: Plan
) -> None:
    with transaction.atomic():
        follow_up_with_notice(plan, world)
    assert FollowUp.objects.count() == 1
