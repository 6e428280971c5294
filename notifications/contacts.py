"""Writes of a person's contact data and channel preferences, audited.

A person changes their own; staff need the model's change permission. The phone
number never enters the audit trail: the event says only that it changed.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import record
from notifications.models import ChannelPreference, UserContact


def _require_may_change(actor: User, user: User, model: str) -> None:
    if actor.pk != user.pk and not actor.has_perm(f"notifications.change_{model}"):
        raise PermissionDenied(f"{actor} may not change the {model} of {user}")


@transaction.atomic
def user_contact_set(
    *, actor: User, user: User, phone: str, language: str
) -> UserContact:
    """Set a person's phone number and language for notifications."""
    _require_may_change(actor, user, "usercontact")
    contact = UserContact.objects.select_for_update().filter(
        user=user
    ).first() or UserContact(user=user)
    before = {"phone_set": bool(contact.phone), "language": contact.language}
    phone_changed = contact.phone != phone
    contact.phone, contact.language = phone, language
    contact.full_clean()
    contact.save()
    record(
        action="notification_contact.set",
        actor=actor,
        target=contact,
        before=before,
        after={"phone_set": bool(phone), "language": language},
        detail={"user": user.pk, "phone_changed": phone_changed},
    )
    return contact


@transaction.atomic
def channel_preference_set(
    *, actor: User, user: User, kind_pattern: str, email: bool, sms: bool
) -> ChannelPreference:
    """Switch e-mail and SMS on or off for the events a pattern matches."""
    _require_may_change(actor, user, "channelpreference")
    preference = ChannelPreference.objects.select_for_update().filter(
        user=user, kind_pattern=kind_pattern
    ).first() or ChannelPreference(user=user, kind_pattern=kind_pattern)
    before = (
        None
        if preference.pk is None
        else {"email": preference.email, "sms": preference.sms}
    )
    preference.email, preference.sms = email, sms
    preference.full_clean()
    preference.save()
    record(
        action="notification_preference.set",
        actor=actor,
        target=preference,
        before=before,
        after={"email": email, "sms": sms},
        detail={"user": user.pk, "kind_pattern": kind_pattern},
    )
    return preference
