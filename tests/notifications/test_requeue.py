"""The beat job queues again what was left pending or abandoned mid-send."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from notifications import conf
from notifications.delivery import outbox_claim
from notifications.models import OutboxMessage
from notifications.outbox import outbox_requeue_due
from notifications.services import notify
from notifications.tasks import requeue_pending, send_outbox_message
from tests.notifications.factories import UserContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    users = [UserContactFactory.create(phone="").user for _ in range(5)]
    notify(recipients=users, kind="case.decided", title="decided")
    return list(OutboxMessage.objects.order_by("pk"))


def _age(message, **values):
    OutboxMessage.objects.filter(pk=message.pk).update(**values)


def test_only_messages_pending_longer_than_the_grace_period_are_queued(rows):
    fresh, old, *_ = rows
    _age(old, available_at=timezone.now() - conf.requeue_after() - timedelta(seconds=1))

    assert outbox_requeue_due() == [old.pk]
    assert outbox_requeue_due() == [], "not again before another grace period"
    old.refresh_from_db()
    assert old.available_at > timezone.now() - timedelta(seconds=5)
    fresh.refresh_from_db()
    assert fresh.status == "pending"


def test_an_abandoned_claim_is_taken_back_and_marked_in_doubt(rows):
    live, dead, *_ = rows
    long_ago = timezone.now() - conf.claim_timeout() - timedelta(seconds=1)
    for message in (live, dead):
        outbox_claim(message_id=message.pk)
    _age(dead, claimed_at=long_ago)

    assert outbox_requeue_due() == [dead.pk]

    dead.refresh_from_db()
    assert (dead.status, dead.in_doubt, dead.claim_token) == ("pending", True, None)
    assert "stopped before finishing" in dead.last_error
    live.refresh_from_db()
    assert live.status == "sending"


def test_sent_and_failed_messages_are_never_queued_again(rows):
    long_ago = timezone.now() - timedelta(days=1)
    sent, failed, *_ = rows
    _age(sent, status="sent", sent_at=long_ago, available_at=long_ago)
    _age(failed, status="failed", available_at=long_ago)

    assert outbox_requeue_due() == []


def test_the_beat_task_queues_a_send_per_due_message(rows):
    long_ago = timezone.now() - timedelta(days=1)
    OutboxMessage.objects.update(available_at=long_ago)

    with mock.patch.object(send_outbox_message, "delay") as delay:
        assert requeue_pending.apply().get() == len(rows)

    assert sorted(c.args[0] for c in delay.call_args_list) == [m.pk for m in rows]
