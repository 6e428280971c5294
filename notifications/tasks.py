"""Celery tasks of notifications: send an outbox message, queue the left-behind."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.utils import timezone

from audit.context import bind
from notifications import conf
from notifications.channels import DeliveryError
from notifications.delivery import outbox_send
from notifications.outbox import outbox_requeue_due

logger = logging.getLogger(__name__)

# Retries wait up to 30 s, 1, 2, 4, 8, 16, 32 min, then 1 h: about two hours in all.
RETRY_BACKOFF_SECONDS = 30
RETRY_BACKOFF_MAX_SECONDS = 3600
MAX_RETRIES = 8


@shared_task(
    name="notifications.send_outbox_message",
    bind=True,
    autoretry_for=(DeliveryError,),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    # Below conf.claim_timeout(): a claim is never taken over from a live send.
    soft_time_limit=conf.SEND_TIME_LIMIT_SECONDS - 30,
    time_limit=conf.SEND_TIME_LIMIT_SECONDS,
    ignore_result=True,
)
def send_outbox_message(self: Task[Any, Any], message_id: int) -> str:
    """Send one outbox message; failures retry with exponential backoff."""
    retries = int(self.request.retries or 0)
    # The longest wait Celery's jittered backoff can choose for the next retry: the
    # row is not requeued before then.
    wait = get_exponential_backoff_interval(
        RETRY_BACKOFF_SECONDS, retries, RETRY_BACKOFF_MAX_SECONDS, full_jitter=False
    )
    with bind(via="worker"):
        return outbox_send(
            message_id=message_id,
            final=retries >= MAX_RETRIES,
            retry_at=timezone.now() + timedelta(seconds=wait),
        )


@shared_task(name="notifications.requeue_pending", ignore_result=True)
def requeue_pending() -> int:
    """Queue again the messages left pending or abandoned mid-send (run by beat)."""
    with bind(via="beat"):
        message_ids = outbox_requeue_due()
    return outbox_publish(message_ids)


def outbox_publish(message_ids: Sequence[int]) -> int:
    """Queue a send task per outbox message; return how many were queued.

    Stops at the first failure (the broker is down): the rest stay pending, and
    ``notifications.requeue_pending`` queues them once it is back.
    """
    for queued, message_id in enumerate(message_ids):
        try:
            send_outbox_message.delay(message_id)
        except Exception:
            logger.warning(
                "Could not queue %d outbox messages; requeue_pending will retry",
                len(message_ids) - queued,
                exc_info=True,
            )
            return queued
    return len(message_ids)
