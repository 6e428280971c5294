"""Delivery through real Celery workers on the configured broker.

Rows must be committed for a worker to see them, hence transactional tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from notifications import conf
from notifications.channels import message_id_header
from notifications.models import Notification, OutboxMessage, SmsMessage
from notifications.services import notify
from notifications.tasks import requeue_pending
from tests.notifications.factories import UserContactFactory
from tests.notifications.support import copies_of, wait_for
from webapp.celery import app as celery_app

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.celery_worker,
    pytest.mark.usefixtures("empty_broker_queue"),
]
REPO = Path(__file__).parents[2]
# Nothing listens here: connecting is refused at once, as with a stopped Redis.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def _decide(recipients, case_number="异议-2026-0009"):
    with transaction.atomic():
        return notify(
            recipients=recipients,
            kind="case.decided",
            title=f"异议已处理 Objection decided: {case_number}",
            body="更正信用记录",
            case_number=case_number,
        )


def _all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status="sent").exists()


def _delivered_once(mail_dir: Path) -> None:
    for message in OutboxMessage.objects.all():
        assert message.status == "sent"
        if message.channel == "email":
            assert copies_of(mail_dir, message_id_header(message)) == 1
        else:
            assert SmsMessage.objects.filter(reference=message.reference).count() == 1
    assert AuditEvent.objects.filter(action="notification.deliver").count() == (
        OutboxMessage.objects.count()
    )


def test_after_commit_a_real_worker_sends_the_email_to_a_file_and_marks_it_sent(
    mail_dir, person, running_worker
):
    with running_worker():
        (notification,) = _decide([person])
        wait_for(_all_sent)

    email = OutboxMessage.objects.get(notification=notification, channel="email")
    assert email.attempts == 1
    assert email.sent_at is not None
    assert list(mail_dir.iterdir()), "the file-based backend wrote the mail"
    _delivered_once(mail_dir)


@contextmanager
def _broker_down() -> Iterator[None]:
    """Point the app's publishing connection at a broker that refuses connections.

    The worker-side broker is untouched; what fails is exactly what fails in
    production when the broker is down: kombu's connect inside ``delay()``.
    """
    # Celery's connection pools are internals that celery-types does not declare.
    app: Any = celery_app
    saved_url = app.conf.broker_write_url
    saved_pools = app._pool, app.amqp._producer_pool
    app.conf.broker_write_url = UNREACHABLE_BROKER
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.pool.force_close_all()
        app.conf.broker_write_url = saved_url
        app._pool, app.amqp._producer_pool = saved_pools


def test_with_the_broker_down_events_commit_and_all_are_delivered_once_it_is_back(
    mail_dir, running_worker, caplog
):
    people = [UserContactFactory.create().user for _ in range(3)]

    with _broker_down():
        sent = _decide(people)

    assert len(sent) == 3
    assert Notification.objects.count() == 3, "the event committed"
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
    assert OutboxMessage.objects.count() == 6
    assert "Could not queue 6 outbox messages" in caplog.text

    # The broker is back; the grace period has passed; beat runs the requeue job.
    OutboxMessage.objects.update(
        available_at=timezone.now() - conf.requeue_after() - timedelta(seconds=1)
    )
    with running_worker():
        requeue_pending.delay()
        wait_for(_all_sent)

    _delivered_once(mail_dir)


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'])}{password}@{host}/{db['NAME']}"


@contextmanager
def _hanging_worker(mail_dir: Path, marker: Path, *, after_delivery: bool):
    """Run a worker subprocess whose sends hang; SIGKILL it on leaving."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": _test_database_url(),
        "VAR_DIR": str(settings.VAR_DIR),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "NTF_MAIL_DIR": str(mail_dir),
        # The Message-ID's domain comes from the sender: the same in both workers.
        "NTF_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "NTF_HANG_MARKER": str(marker),
        "NTF_HANG_AFTER_DELIVERY": "1" if after_delivery else "0",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "--app=webapp",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
        f"--hostname=killed-{uuid.uuid4().hex[:8]}@localhost",
    ]
    worker = subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


@pytest.mark.parametrize("channel", ["email", "sms"])
@pytest.mark.parametrize(
    "after_delivery",
    [False, True],
    ids=["killed-before-the-channel-took-it", "killed-after-the-channel-took-it"],
)
def test_a_worker_killed_mid_send_produces_no_duplicate(
    mail_dir, running_worker, tmp_path, channel, after_delivery
):
    contact = UserContactFactory.create(
        phone="" if channel == "email" else "13800000001"
    )
    if channel == "sms":
        contact.user.email = ""
        contact.user.save()
    marker = tmp_path / "inside-send"

    with _hanging_worker(mail_dir, marker, after_delivery=after_delivery) as worker:
        _decide([contact.user])
        wait_for(marker.exists, timeout=60)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    message = OutboxMessage.objects.get()
    assert (message.channel, message.status) == (channel, "sending")
    delivered_before = (
        copies_of(mail_dir, message_id_header(message))
        if channel == "email"
        else SmsMessage.objects.count()
    )
    assert delivered_before == (1 if after_delivery else 0)

    # The claim outlives its timeout; beat's requeue job takes it back.
    OutboxMessage.objects.update(
        claimed_at=timezone.now() - conf.claim_timeout() - timedelta(seconds=1)
    )
    with running_worker():
        requeue_pending.delay()
        wait_for(_all_sent)

    message.refresh_from_db()
    assert (message.attempts, message.in_doubt) == (2, True)
    _delivered_once(mail_dir)
    if channel == "sms":
        assert (
            message.provider_message_id == SmsMessage.objects.get().provider_message_id
        )
