"""Send one outbox message at most once per claim, and record how it went.

A send first claims its row with a conditional UPDATE (pending → sending, with a
fresh token and the time), committed before anything leaves the system, so two
workers holding the same task message cannot both send. A claim older than
``conf.claim_timeout()`` belongs to a worker that died; the next send takes it over
and, because that worker may have sent before it died, first asks the channel
whether the message got through (:func:`channels.find_delivered`).

What remains is at-least-once: a channel that cannot be asked (SMTP) and a worker
that dies after the channel took the message but before the row says "sent" (one
UPDATE later) lead to a second copy, with the same Message-ID.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.services import record
from notifications import channels, conf
from notifications.channels import DeliveryError
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Claim:
    message: OutboxMessage
    token: uuid.UUID


def outbox_claim(*, message_id: int) -> Claim | None:
    """Claim a pending message, or one whose claim was abandoned; None if neither."""
    token, now = uuid.uuid4(), timezone.now()
    rows = OutboxMessage.objects.filter(pk=message_id)
    claim = {
        "status": OutboxMessage.Status.SENDING,
        "claim_token": token,
        "claimed_at": now,
        "attempts": F("attempts") + 1,
    }
    taken = rows.filter(status=OutboxMessage.Status.PENDING).update(**claim)
    if not taken:
        abandoned = Q(
            status=OutboxMessage.Status.SENDING,
            claimed_at__lte=now - conf.claim_timeout(),
        )
        taken = rows.filter(abandoned).update(**claim, in_doubt=True)
        if taken:
            logger.warning(
                "Outbox message %s: taking over an abandoned send", message_id
            )
    if not taken:
        return None
    return Claim(
        OutboxMessage.objects.select_related("notification").get(pk=message_id), token
    )


def _finish(claim: Claim, action: str, error_type: str = "", **values: object) -> bool:
    with transaction.atomic():
        done = OutboxMessage.objects.filter(
            pk=claim.message.pk,
            status=OutboxMessage.Status.SENDING,
            claim_token=claim.token,
        ).update(claim_token=None, **values)
        if done and action:
            message = claim.message
            record(
                action=action,
                actor=None,
                system="notifications",
                target=message,
                case_number=message.notification.case_number,
                detail={
                    "channel": message.channel,
                    "kind": message.notification.kind,
                    "notification": message.notification_id,
                    "attempts": message.attempts,
                    # The type only: an error text may quote the address.
                    "error": error_type,
                },
            )
    if not done:
        logger.warning(
            "Outbox message %s: the claim was taken over during the send; "
            "the recipient may get it twice",
            claim.message.pk,
        )
    return bool(done)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]


def outbox_send(*, message_id: int, final: bool, retry_at: datetime) -> str:
    """Send one outbox message; say what happened.

    On failure the row goes back to pending until ``retry_at`` and
    :class:`DeliveryError` is raised for the task to retry, unless this was the
    ``final`` attempt: then the row is marked failed with the error.
    """
    claim = outbox_claim(message_id=message_id)
    if claim is None:
        return "skipped"
    message = claim.message
    try:
        provider_id = channels.find_delivered(message) if message.in_doubt else None
        recovered = provider_id is not None
        if provider_id is None:
            provider_id = channels.deliver(message)
    except Exception as exc:
        return _failed(claim, exc, final=final, retry_at=retry_at)
    if recovered:
        logger.warning("Outbox message %s was delivered before; not resent", message_id)
    finished = _finish(
        claim,
        "notification.deliver",
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        provider_message_id=provider_id[:255],
        last_error="",
    )
    return ("recovered" if recovered else "sent") if finished else "claim_lost"


def _failed(claim: Claim, exc: Exception, *, final: bool, retry_at: datetime) -> str:
    error = _error_text(exc)
    logger.warning(
        "Outbox message %s (%s) not sent, attempt %d: %s",
        claim.message.pk,
        claim.message.channel,
        claim.message.attempts,
        type(exc).__name__,
    )
    if final:
        _finish(
            claim,
            "notification.fail",
            type(exc).__name__,
            status=OutboxMessage.Status.FAILED,
            last_error=error,
        )
        return "failed"
    _finish(
        claim,
        "",
        status=OutboxMessage.Status.PENDING,
        claimed_at=None,
        available_at=retry_at,
        last_error=error,
    )
    raise DeliveryError(error) from exc
