"""The outbox: e-mail and SMS rows written with their event, sent after commit.

A row is written in the transaction of the event that causes it, so a rolled-back
event leaves no message and a committed one always has its messages. The send task
is queued after commit; if the broker is down then, or a worker dies, the row stays
behind and :func:`outbox_requeue_due` (run by beat) queues it again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from notifications import conf
from notifications.models import Language, Notification, OutboxMessage
from notifications.rendering import language_for, render_message
from notifications.selectors import Reach, reach_for

logger = logging.getLogger(__name__)
REQUEUE_BATCH = 500


def _display_name(user: AbstractBaseUser, language: str) -> str:
    """Say a name as the language does: 张三 (family name first), Jane Doe."""
    given = str(getattr(user, "first_name", ""))
    family = str(getattr(user, "last_name", ""))
    if language == Language.ZH_HANS:
        name = f"{family}{given}"
    else:
        name = f"{given} {family}".strip()
    return name or user.get_username()


def _messages_for(
    notification: Notification, reach: Reach, now: datetime
) -> list[OutboxMessage]:
    user = notification.recipient
    email = str(getattr(user, "email", "") or "")
    channels = []
    if reach.email and email:
        channels.append((OutboxMessage.Channel.EMAIL, email))
    if reach.sms and reach.phone:
        channels.append((OutboxMessage.Channel.SMS, reach.phone))
    if not channels:
        return []
    language = language_for(reach.language)
    rendered = render_message(
        kind=notification.kind,
        language=language,
        context={
            "title": notification.title,
            "body": notification.body,
            "case_number": notification.case_number,
            "kind": notification.kind,
            "recipient": _display_name(user, language),
            "site_url": conf.site_url(),
        },
    )
    return [
        OutboxMessage(
            notification=notification,
            channel=channel,
            address=address,
            language=language,
            subject=rendered.subject,
            body=rendered.body
            if channel == OutboxMessage.Channel.EMAIL
            else rendered.sms_text,
            available_at=now,
        )
        for channel, address in channels
    ]


def outbox_enqueue(notifications: Sequence[Notification]) -> list[OutboxMessage]:
    """Write the outbox rows the recipients of saved in-app notifications want.

    Inactive accounts get nothing outside the app. Runs in the caller's transaction;
    the caller queues the send tasks on commit.
    """
    active = [n for n in notifications if n.recipient.is_active]
    if not active:
        return []
    reach = reach_for({n.recipient_id for n in active}, active[0].kind)
    now = timezone.now()
    rows = [
        message
        for notification in active
        for message in _messages_for(
            notification, reach[notification.recipient_id], now
        )
    ]
    return OutboxMessage.objects.bulk_create(rows) if rows else []


@transaction.atomic
def outbox_requeue_due() -> list[int]:
    """Take back abandoned claims and return the messages pending for too long.

    Each returned row's ``available_at`` is moved to now, so the next run waits
    another grace period before queueing it again (no flood while a backlog drains).
    """
    now = timezone.now()
    stale_claims = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lte=now - conf.claim_timeout()
    )
    abandoned = list(stale_claims.values_list("pk", flat=True)[:REQUEUE_BATCH])
    released = stale_claims.filter(pk__in=abandoned).update(
        status=OutboxMessage.Status.PENDING,
        claim_token=None,
        claimed_at=None,
        in_doubt=True,
        available_at=now,
        last_error="the worker sending this message stopped before finishing",
    )
    if released:
        logger.warning("Took back %d abandoned outbox claims", released)
    overdue = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING,
        available_at__lte=now - conf.requeue_after(),
    )
    due = list(
        overdue.order_by("available_at").values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    overdue.filter(pk__in=due).update(available_at=now)
    return sorted({*abandoned, *due})
