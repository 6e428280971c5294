"""SMS goes through the backend named by SMS_BACKEND; the default records it."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.models import SmsMessage
from notifications.sms import DatabaseSmsBackend, sms_backend
from tests.notifications.support import BrokenSmsBackend

pytestmark = pytest.mark.django_db
NUMBER = "13800138000"


def test_the_default_backend_records_the_message_and_logs_it_without_the_number(
    caplog,
):
    caplog.set_level(logging.INFO, logger="notifications.sms")

    provider_id = sms_backend().send(NUMBER, "案件已受理：异议-2026-0001")

    row = SmsMessage.objects.get()
    assert (row.number, row.text, row.provider_message_id) == (
        NUMBER,
        "案件已受理：异议-2026-0001",
        provider_id,
    )
    assert provider_id in caplog.text
    assert "案件已受理" in caplog.text
    assert NUMBER not in caplog.text
    assert NUMBER[-4:] not in caplog.text


def test_a_repeated_reference_is_recorded_once(caplog):
    caplog.set_level(logging.INFO, logger="notifications.sms")
    backend = DatabaseSmsBackend()

    first = backend.send(NUMBER, "one", reference="outbox-7")
    again = backend.send(NUMBER, "one", reference="outbox-7")

    assert first == again
    assert SmsMessage.objects.count() == 1
    assert backend.find_sent("outbox-7") == first
    assert backend.find_sent("outbox-8") is None
    assert NUMBER not in caplog.text


def test_the_sms_backend_setting_chooses_the_backend(settings):
    settings.SMS_BACKEND = "tests.notifications.support.BrokenSmsBackend"

    assert isinstance(sms_backend(), BrokenSmsBackend)


@pytest.mark.parametrize(
    "path", ["tests.notifications.support.Nowhere", "notifications.models.SmsMessage"]
)
def test_a_setting_that_names_no_sms_backend_is_refused(settings, path):
    settings.SMS_BACKEND = path

    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        sms_backend()
