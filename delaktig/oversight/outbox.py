"""The outbox: e-mail leaves the transaction that decided to send it (R-FU-6).

A service calls :func:`outbox_queue` inside its transaction. The message row is
written there, so it exists exactly when the service's other rows do: a
rollback leaves no row and sends nothing. Sending is scheduled with
``transaction.on_commit``; it runs after the commit, outside the service, and an
SMTP failure marks the message failed (logged without personal data) instead of
raising into the request. ``manage.py send_outbox`` (cron, every few minutes)
retries what is pending or failed.

At most one sender works on a message at a time. On PostgreSQL the sender
holds a row lock (``SELECT … FOR UPDATE SKIP LOCKED``) while it sends and
records the outcome in the same transaction; a crash releases it. SQLite has no
row locks: the sender claims the row with a conditional UPDATE (only one
writer can win it) and holds the claim until it records the outcome; a claim
older than :data:`CLAIM_EXPIRES` counts as a crashed sender's and is taken over.
A message is sent successfully at most once — short of a crash between the SMTP
server's acceptance and the status update, which no outbox can rule out.
"""

from __future__ import annotations

import enum
import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from delaktig.core.types import User

from .models import DeliveryStatus, Notification

logger = logging.getLogger("delaktig.outbox")

#: The statuses a sender picks up.
UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
#: After this long an SQLite claim is taken to be a crashed sender's.
CLAIM_EXPIRES = timedelta(minutes=15)


class Outcome(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # already sent, no address, or another sender has it


def outbox_queue(
    *,
    municipality_id: int,
    case_id: int,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    by: User,
) -> Notification:
    """Write the message in the caller's transaction; send it after that commits.

    ``body`` must hold no personal data (R-LIFE-8). Without a recipient the row
    is kept as a record that a notice was due, and never sent.
    """
    notification = Notification.objects.create(
        municipality_id=municipality_id,
        case_id=case_id,
        kind=kind,
        recipient=recipient,
        subject=subject,
        body=body,
        created_by=by,
        status=DeliveryStatus.PENDING if recipient else DeliveryStatus.UNADDRESSED,
    )
    if recipient:
        # robust: whatever goes wrong after the commit is logged, never raised
        # into the request that committed.
        transaction.on_commit(partial(outbox_send, notification_id=notification.pk), robust=True)
    return notification


def outbox_send(*, notification_id: int) -> Outcome:
    """Try to send one message, unless it is sent already or another sender has it."""
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk=notification_id, status__in=UNSENT)
                .first()
            )
            if notification is None:
                return Outcome.SKIPPED
            return _attempt(notification)
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, status__in=UNSENT)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES))
        .update(claimed_at=now)
    )
    if not claimed:
        return Outcome.SKIPPED
    return _attempt(Notification.objects.get(pk=notification_id))


def unsent_ids() -> list[int]:
    """The messages a run of ``send_outbox`` tries, oldest first."""
    return list(
        Notification.objects.filter(status__in=UNSENT)
        .exclude(recipient="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _attempt(notification: Notification) -> Outcome:
    notification.attempts += 1
    notification.last_attempt_at = timezone.now()
    notification.claimed_at = None
    try:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient],
        )
    except Exception as error:  # any backend's failure: keep the message for a retry
        notification.status = DeliveryStatus.FAILED
        notification.last_error = describe_error(error)
        # Ids and the error's kind only: no address, no subject, no server reply.
        logger.warning(
            "Utgående meddelande %s kunde inte skickas (försök %s): %s",
            notification.pk,
            notification.attempts,
            notification.last_error,
        )
        outcome = Outcome.FAILED
    else:
        notification.status = DeliveryStatus.SENT
        notification.sent_at = notification.last_attempt_at
        notification.last_error = ""
        outcome = Outcome.SENT
    notification.save(
        update_fields=[
            "status",
            "attempts",
            "last_error",
            "last_attempt_at",
            "claimed_at",
            "sent_at",
        ]
    )
    return outcome


def describe_error(error: BaseException) -> str:
    """The error's class and code, never its text (SMTP replies may quote addresses)."""
    name = type(error).__name__
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{name} {error.smtp_code}"
    if isinstance(error, OSError) and error.errno is not None:
        return f"{name} errno {error.errno}"
    return name
