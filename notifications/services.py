"""Tell people things: every notification is written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User

from audit.services import record
from notifications.models import Notification


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: str,
    body: str = "",
    case_number: str = "",
) -> list[Notification]:
    """Write one in-app notification per distinct recipient and audit the sending."""
    unique = {user.pk: user for user in recipients if user is not None}
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            title=title[:255],
            body=body,
            case_number=case_number,
        )
        for user in unique.values()
    )
    if created:
        record(
            action="notification.send",
            actor=None,
            system="notifications",
            target_type="notifications.notification",
            target_id=",".join(str(n.pk) for n in created),
            case_number=case_number,
            detail={"kind": kind, "recipients": sorted(unique)},
        )
    return created
