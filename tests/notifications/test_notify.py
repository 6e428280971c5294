"""notify() writes in-app and outbox rows with the event, and queues after commit."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction

from audit.models import AuditEvent
from notifications.models import Notification, OutboxMessage
from notifications.services import notify
from notifications.tasks import send_outbox_message
from tests.notifications.factories import (
    ChannelPreferenceFactory,
    UserContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _accept(*recipients, case_number="异议-2026-0001"):
    return notify(
        recipients=recipients,
        kind="case.accepted",
        title=f"已受理 Accepted: {case_number}",
        case_number=case_number,
    )


def _channels(user) -> set[str]:
    return set(
        OutboxMessage.objects.filter(notification__recipient=user).values_list(
            "channel", flat=True
        )
    )


def test_writes_in_app_and_outbox_rows_inside_the_callers_transaction(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        (notification,) = _accept(person, person, None)
        assert Notification.objects.filter(recipient=person).count() == 1
        rows = OutboxMessage.objects.filter(notification=notification)
        assert {(m.channel, m.status) for m in rows} == {
            ("email", "pending"),
            ("sms", "pending"),
        }
        assert not callbacks, "nothing is queued before the commit"

    assert len(callbacks) == 1
    event = AuditEvent.objects.get(action="notification.send")
    assert event.detail["outbox"] == sorted(m.pk for m in rows)


def test_queues_one_send_task_per_outbox_row_after_commit(
    person, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(send_outbox_message, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        _accept(person)

    ids = sorted(OutboxMessage.objects.values_list("pk", flat=True))
    assert sorted(c.args[0] for c in delay.call_args_list) == ids


def test_a_rolled_back_event_leaves_no_notification_and_no_outbox_row(
    person, django_capture_on_commit_callbacks
):
    @transaction.atomic
    def decide_then_fail():
        _accept(person)
        raise RuntimeError("the decision failed")

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
    ):
        decide_then_fail()

    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not callbacks


def test_a_broker_failure_after_commit_is_logged_and_the_rows_stay_pending(
    person, caplog, django_capture_on_commit_callbacks
):
    failure = OSError("broker unreachable")
    with (
        mock.patch.object(send_outbox_message, "delay", side_effect=failure) as delay,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        (notification,) = _accept(person)

    assert delay.call_count == 1, "stops at the first failure"
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == [
        "pending",
        "pending",
    ]
    assert "Could not queue 2 outbox messages" in caplog.text


def test_people_without_address_or_phone_get_the_in_app_notice_only():
    nobody = UserFactory.create(email="")

    _accept(nobody)

    assert Notification.objects.filter(recipient=nobody).exists()
    assert not OutboxMessage.objects.exists()


def test_inactive_accounts_get_nothing_outside_the_app(person):
    person.is_active = False
    person.save()

    _accept(person)

    assert Notification.objects.filter(recipient=person).exists()
    assert not OutboxMessage.objects.exists()


def test_a_preference_for_all_kinds_switches_a_channel_off(person):
    ChannelPreferenceFactory.create(user=person, email=False, sms=True)

    _accept(person)

    assert _channels(person) == {"sms"}


def test_the_most_specific_preference_wins(person):
    ChannelPreferenceFactory.create(user=person, kind_pattern="*", sms=True)
    ChannelPreferenceFactory.create(user=person, kind_pattern="case.*", sms=False)
    ChannelPreferenceFactory.create(
        user=person, kind_pattern="case.accepted", email=False, sms=True
    )

    _accept(person)
    notify(recipients=[person], kind="case.decided", title="decided")
    notify(recipients=[person], kind="task.reminder", title="due")

    by_kind = {
        kind: set(
            OutboxMessage.objects.filter(notification__kind=kind).values_list(
                "channel", flat=True
            )
        )
        for kind in ("case.accepted", "case.decided", "task.reminder")
    }
    assert by_kind == {
        "case.accepted": {"sms"},
        "case.decided": {"email"},
        "task.reminder": {"email", "sms"},
    }


def test_each_recipient_gets_the_channels_they_want():
    both = UserContactFactory.create().user
    mail_only = UserContactFactory.create(phone="").user
    quiet = UserContactFactory.create().user
    ChannelPreferenceFactory.create(user=quiet, email=False, sms=False)

    _accept(both, mail_only, quiet)

    assert _channels(both) == {"email", "sms"}
    assert _channels(mail_only) == {"email"}
    assert _channels(quiet) == set()
    assert Notification.objects.filter(recipient=quiet).exists()


def test_the_outbox_row_keeps_the_address_of_the_time_of_the_event(person):
    _accept(person)

    email = OutboxMessage.objects.get(channel="email")
    sms = OutboxMessage.objects.get(channel="sms")
    assert email.address == person.email
    assert sms.address == person.notification_contact.phone
    assert sms.masked_address == f"138****{sms.address[-4:]}"
