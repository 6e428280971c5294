"""The admin shows notifications read-only, with phone numbers masked."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import OutboxMessage, SmsMessage
from notifications.services import notify
from notifications.sms import DatabaseSmsBackend
from notifications.tasks import send_outbox_message

pytestmark = pytest.mark.django_db
MODELS = [
    "notification",
    "usercontact",
    "channelpreference",
    "outboxmessage",
    "smsmessage",
]


@pytest.fixture
def phone(person):
    notify(recipients=[person], kind="case.accepted", title="Accepted")
    number = person.notification_contact.phone
    DatabaseSmsBackend().send(number, "hello", reference="outbox-x")
    return number


@pytest.mark.parametrize("model", MODELS)
def test_list_pages_render_without_phone_numbers_or_an_add_button(
    admin_client, phone, model
):
    response = admin_client.get(reverse(f"admin:notifications_{model}_changelist"))

    assert response.status_code == 200
    assert phone.encode() not in response.content
    assert reverse(f"admin:notifications_{model}_add").encode() not in response.content


@pytest.mark.parametrize(
    ("model", "row"),
    [
        ("usercontact", lambda p: p.notification_contact),
        ("outboxmessage", lambda p: OutboxMessage.objects.get(channel="sms")),
        ("smsmessage", lambda p: SmsMessage.objects.get()),
    ],
)
def test_detail_pages_show_the_phone_number_masked(
    admin_client, person, phone, model, row
):
    url = reverse(f"admin:notifications_{model}_change", args=[row(person).pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert f"{phone[:3]}****{phone[-4:]}".encode() in response.content
    assert phone.encode() not in response.content


def test_an_administrator_sends_failed_messages_again(
    admin_client, phone, django_capture_on_commit_callbacks
):
    OutboxMessage.objects.update(status="failed", last_error="RuntimeError: down")
    ids = sorted(OutboxMessage.objects.values_list("pk", flat=True))

    with (
        mock.patch.object(send_outbox_message, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_client.post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "send_again", "_selected_action": ids},
            follow=True,
        )

    assert response.status_code == 200
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
    assert sorted(c.args[0] for c in delay.call_args_list) == ids
    assert AuditEvent.objects.filter(action="notification.retry").count() == 1


def test_sending_again_needs_the_change_permission(client, phone):
    staff = User.objects.create_user("viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    client.force_login(staff)
    OutboxMessage.objects.update(status="failed")
    ids = list(OutboxMessage.objects.values_list("pk", flat=True))

    client.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "send_again", "_selected_action": ids},
    )

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"failed"}
