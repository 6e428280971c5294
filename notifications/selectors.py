"""Reads: a person's notifications, and the channels people want for an event."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from notifications.models import (
    ChannelPreference,
    Notification,
    NotificationQuerySet,
    UserContact,
)


def notification_list_for_user(
    user: AbstractBaseUser, unread_only: bool = False
) -> NotificationQuerySet:
    """Return the user's notifications, newest first."""
    notifications = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-pk")


def unread_count(user: AbstractBaseUser) -> int:
    """Count the user's unread notifications (the header badge)."""
    return Notification.objects.filter(recipient_id=user.pk).unread().count()


def kind_patterns(kind: str) -> list[str]:
    """List the preference patterns that match a kind, most specific first."""
    parts = kind.split(".")
    prefixes = [".".join(parts[:n]) + ".*" for n in range(len(parts) - 1, 0, -1)]
    return [kind, *prefixes, ChannelPreference.ALL]


@dataclass(frozen=True, slots=True)
class Reach:
    """How one recipient is reached outside the app for one event."""

    email: bool
    sms: bool
    phone: str
    language: str


def reach_for(user_ids: Collection[int], kind: str) -> dict[int, Reach]:
    """Resolve preferences and contacts of many recipients in two queries."""
    patterns = kind_patterns(kind)
    rank = {pattern: index for index, pattern in enumerate(patterns)}
    best: dict[int, ChannelPreference] = {}
    for preference in ChannelPreference.objects.filter(
        user_id__in=user_ids, kind_pattern__in=patterns
    ):
        current = best.get(preference.user_id)
        if (
            current is None
            or rank[preference.kind_pattern] < rank[current.kind_pattern]
        ):
            best[preference.user_id] = preference
    contacts = {c.user_id: c for c in UserContact.objects.filter(user_id__in=user_ids)}
    reach = {}
    for user_id in user_ids:
        chosen, contact = best.get(user_id), contacts.get(user_id)
        reach[user_id] = Reach(
            email=chosen is None or chosen.email,
            sms=chosen is None or chosen.sms,
            phone=contact.phone if contact else "",
            language=contact.language if contact else "",
        )
    return reach
