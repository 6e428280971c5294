"""Tell people things: every notification is written in the caller's transaction.

In-app rows and the outbox rows for e-mail and SMS commit or roll back with the
event that causes them; the send tasks are queued only after the commit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.models import Notification, OutboxMessage
from notifications.outbox import outbox_enqueue
from notifications.tasks import outbox_publish

# In-app titles of the task events (the e-mail and SMS text comes from templates).
TASK_EVENT_TITLES = {
    "task.queued": "新任务待办 New task in your queue",
    "task.assigned": "任务已分派给您 Task assigned to you",
    "task.delegated": "任务已委派给您 Task delegated to you",
}


def _queue_after_commit(messages: list[OutboxMessage]) -> None:
    if messages:
        transaction.on_commit(
            functools.partial(outbox_publish, [m.pk for m in messages]), robust=True
        )


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: str,
    body: str = "",
    case_number: str = "",
) -> list[Notification]:
    """Write one in-app notification per distinct recipient, its outbox, and audit."""
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
        messages = outbox_enqueue(created)
        record(
            action="notification.send",
            actor=None,
            system="notifications",
            target_type="notifications.notification",
            target_id=",".join(str(n.pk) for n in created),
            case_number=case_number,
            detail={
                "kind": kind,
                "recipients": sorted(unique),
                "outbox": sorted(m.pk for m in messages),
            },
        )
        _queue_after_commit(messages)
    return created


def notify_task_event(
    *,
    kind: str,
    task_name: str,
    case_number: str,
    recipients: Iterable[User | None],
) -> list[Notification]:
    """Tell people of a task put in their group's queue, assigned or delegated."""
    if kind not in TASK_EVENT_TITLES:
        raise ValueError(f"kind must be one of {sorted(TASK_EVENT_TITLES)}")
    suffix = f" ({case_number})" if case_number else ""
    return notify(
        recipients=recipients,
        kind=kind,
        title=f"{TASK_EVENT_TITLES[kind]}: {task_name}{suffix}",
        body=task_name,
        case_number=case_number,
    )


def notification_mark_read(*, actor: User, ids: Iterable[int]) -> int:
    """Mark some of the actor's own notifications read; return how many changed.

    One UPDATE and no audit event: reading a message changes no case.
    """
    return (
        Notification.objects.filter(recipient_id=actor.pk, pk__in=list(ids))
        .unread()
        .update(read_at=timezone.now())
    )


def notification_mark_all_read(*, actor: User) -> int:
    """Mark all of the actor's notifications read; return how many changed."""
    return (
        Notification.objects.filter(recipient_id=actor.pk)
        .unread()
        .update(read_at=timezone.now())
    )


@transaction.atomic
def outbox_message_retry(*, actor: User, ids: Iterable[int]) -> int:
    """Send failed outbox messages again (an operator's decision), audited."""
    retry = list(
        OutboxMessage.objects.filter(
            pk__in=list(ids), status=OutboxMessage.Status.FAILED
        ).values_list("pk", flat=True)
    )
    if not retry:
        return 0
    OutboxMessage.objects.filter(pk__in=retry).update(
        status=OutboxMessage.Status.PENDING, available_at=timezone.now()
    )
    record(
        action="notification.retry",
        actor=actor,
        target_type="notifications.outboxmessage",
        target_id=",".join(map(str, retry)),
        detail={"messages": retry},
    )
    transaction.on_commit(functools.partial(outbox_publish, retry), robust=True)
    return len(retry)
