"""Setting contact data and channel preferences: checked, audited, phone unsaid."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from notifications.contacts import channel_preference_set, user_contact_set
from notifications.models import ChannelPreference, UserContact
from tests.notifications.factories import UserFactory

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def test_a_person_sets_their_own_phone_and_language_and_the_audit_omits_the_number():
    user = UserFactory.create()

    contact = user_contact_set(actor=user, user=user, phone=PHONE, language="en")

    assert (contact.phone, contact.language) == (PHONE, "en")
    event = AuditEvent.objects.get(action="notification_contact.set")
    assert event.after == {"phone_set": True, "language": "en"}
    assert event.detail["phone_changed"] is True
    assert PHONE not in str([event.before, event.after, event.detail])
    assert contact.masked_phone == "139****5678"


def test_changing_only_the_language_keeps_the_phone():
    user = UserFactory.create()
    user_contact_set(actor=user, user=user, phone=PHONE, language="zh-hans")

    user_contact_set(actor=user, user=user, phone=PHONE, language="en")

    assert UserContact.objects.get(user=user).phone == PHONE
    latest = AuditEvent.objects.filter(action="notification_contact.set").last()
    assert latest is not None
    assert latest.detail["phone_changed"] is False


def test_someone_else_needs_the_change_permission():
    user, clerk = UserFactory.create_batch(2)

    with pytest.raises(PermissionDenied):
        user_contact_set(actor=clerk, user=user, phone=PHONE, language="en")

    clerk.user_permissions.add(Permission.objects.get(codename="change_usercontact"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # drop the permission cache
    user_contact_set(actor=clerk, user=user, phone=PHONE, language="en")
    assert UserContact.objects.filter(user=user).exists()


@pytest.mark.parametrize("phone", ["138-0013-8000", "12345", "+86 13800138000"])
def test_a_malformed_phone_number_is_refused(phone):
    user = UserFactory.create()

    with pytest.raises(ValidationError):
        user_contact_set(actor=user, user=user, phone=phone, language="zh-hans")


def test_the_database_refuses_a_malformed_phone_number_too():
    user = UserFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        UserContact.objects.create(user=user, phone="call me")


def test_a_preference_is_created_then_changed():
    user = UserFactory.create()

    channel_preference_set(
        actor=user, user=user, kind_pattern="task.*", email=True, sms=False
    )
    channel_preference_set(
        actor=user, user=user, kind_pattern="task.*", email=False, sms=False
    )

    preference = ChannelPreference.objects.get(user=user)
    assert (preference.email, preference.sms) == (False, False)
    first, second = AuditEvent.objects.filter(action="notification_preference.set")
    assert first.before is None
    assert second.before == {"email": True, "sms": False}


@pytest.mark.parametrize("pattern", ["task*", "Task.*", "*.reminder", ""])
def test_a_malformed_kind_pattern_is_refused(pattern):
    user = UserFactory.create()

    with pytest.raises(ValidationError):
        channel_preference_set(
            actor=user, user=user, kind_pattern=pattern, email=True, sms=True
        )
