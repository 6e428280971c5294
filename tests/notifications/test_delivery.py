"""Sending an outbox message: claim, send once, retry with backoff, then fail."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from notifications import channels, conf
from notifications.channels import message_id_header
from notifications.delivery import outbox_claim, outbox_send
from notifications.models import OutboxMessage, SmsMessage
from notifications.services import notify
from notifications.tasks import MAX_RETRIES, send_outbox_message
from tests.notifications.support import (
    FlakyEmailBackend,
    copies_of,
    read_mail,
    text_of,
)

pytestmark = pytest.mark.django_db
LATER = timezone.now() + timedelta(minutes=1)


@pytest.fixture
def messages(person):
    notify(
        recipients=[person],
        kind="case.accepted",
        title="已受理 Accepted: 异议-2026-0001",
        case_number="异议-2026-0001",
    )
    return {m.channel: m for m in OutboxMessage.objects.all()}


def _send(message):
    return outbox_send(message_id=message.pk, final=False, retry_at=LATER)


def _abandon(message):
    """Leave the row as a worker that died mid-send leaves it."""
    outbox_claim(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - conf.claim_timeout() - timedelta(seconds=1)
    )


def test_an_email_is_sent_with_a_message_id_derived_from_the_row(mail_dir, messages):
    message = messages["email"]

    assert _send(message) == "sent"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.claim_token) == ("sent", 1, None)
    assert message.provider_message_id == message_id_header(message)
    assert message.provider_message_id.startswith(f"<outbox.{message.pk}.")
    assert message.provider_message_id.endswith("@credit.example.cn>")
    assert copies_of(mail_dir, message.provider_message_id) == 1
    (written,) = read_mail(mail_dir)
    assert written["To"] == message.address
    assert written["Subject"] == "案件已受理：异议-2026-0001"
    assert written["From"] == "信用服务 <noreply@credit.example.cn>"
    assert "已受理，受理通知书可在系统中查看" in text_of(written)
    event = AuditEvent.objects.get(action="notification.deliver")
    assert event.target_id == str(message.pk)
    assert event.case_number == "异议-2026-0001"


def test_an_sms_is_recorded_by_the_default_backend(messages):
    message = messages["sms"]

    assert _send(message) == "sent"

    message.refresh_from_db()
    recorded = SmsMessage.objects.get()
    assert (recorded.reference, recorded.number) == (
        f"outbox-{message.pk}",
        message.address,
    )
    assert message.provider_message_id == recorded.provider_message_id


def test_a_second_task_for_the_same_message_sends_nothing(messages):
    message = messages["email"]

    assert _send(message) == "sent"
    assert _send(message) == "skipped"

    assert len(mail.outbox) == 1


def test_a_claimed_message_is_not_sent_by_another_worker_before_the_timeout(messages):
    message = messages["email"]
    outbox_claim(message_id=message.pk)

    assert _send(message) == "skipped"

    assert mail.outbox == []


def test_an_abandoned_claim_is_taken_over_after_the_timeout(messages):
    message = messages["email"]
    _abandon(message)

    assert _send(message) == "sent"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.in_doubt) == ("sent", 2, True)
    assert len(mail.outbox) == 1


def test_an_email_that_went_out_before_the_worker_died_is_not_sent_again(
    mail_dir, messages
):
    message = messages["email"]
    _abandon(message)
    channels.deliver(message)  # the dead worker's send had reached the backend

    assert _send(message) == "recovered"

    message.refresh_from_db()
    assert message.status == "sent"
    assert copies_of(mail_dir, message_id_header(message)) == 1


def test_an_sms_that_went_out_before_the_worker_died_is_not_sent_again(messages):
    message = messages["sms"]
    _abandon(message)
    first = channels.deliver(message)

    assert _send(message) == "recovered"

    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == ("sent", first)
    assert SmsMessage.objects.count() == 1


def test_a_worker_overtaken_by_a_takeover_does_not_mark_the_message(messages):
    message = messages["email"]

    def overtaken(row):
        _abandon(row)  # meanwhile the claim expired and another worker took it
        outbox_claim(message_id=row.pk)
        return "<late@x>"

    with mock.patch.object(channels, "deliver", side_effect=overtaken):
        assert _send(message) == "claim_lost"

    message.refresh_from_db()
    assert message.status == "sending"
    assert not AuditEvent.objects.filter(action="notification.deliver").exists()


def test_a_transient_failure_is_retried_and_then_sent(settings, messages):
    settings.EMAIL_BACKEND = "tests.notifications.support.FlakyEmailBackend"
    FlakyEmailBackend.failures = 2
    message = messages["email"]

    # apply() runs the task here, retries included, without waiting out the backoff.
    send_outbox_message.apply(args=(message.pk,))

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1


def test_a_failed_attempt_puts_the_row_back_until_the_backoff_ends(settings, messages):
    settings.EMAIL_BACKEND = "tests.notifications.support.FlakyEmailBackend"
    FlakyEmailBackend.failures = 1
    message = messages["email"]

    with pytest.raises(channels.DeliveryError):
        _send(message)

    message.refresh_from_db()
    assert (message.status, message.available_at) == ("pending", LATER)
    assert message.claim_token is None
    assert message.last_error == "ConnectionRefusedError: mail server not answering"


def test_after_the_last_retry_the_message_is_failed_with_the_error(settings, messages):
    settings.SMS_BACKEND = "tests.notifications.support.BrokenSmsBackend"
    message = messages["sms"]

    send_outbox_message.apply(args=(message.pk,))

    message.refresh_from_db()
    assert message.status == "failed"
    assert message.attempts == MAX_RETRIES + 1
    assert message.last_error == "RuntimeError: provider down"
    event = AuditEvent.objects.get(action="notification.fail")
    assert event.detail["error"] == "RuntimeError"
    assert message.address not in str(event.detail)


def test_a_message_that_no_longer_exists_is_skipped():
    assert outbox_send(message_id=987654, final=True, retry_at=LATER) == "skipped"
