"""What the list processes' operations share: the entry, its people, its dates.

The operations themselves are in lists_entry.py (list_entry), lists_exit.py
(list_exit) and measures.py (joint_punishment).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import record
from workflows.credit.models import Case, Department, ListEntry, Subject
from workflows.models import EventSubscription
from workflows.operations import OperationContext
from workflows.services.messages import message_deliver

STATEMENT_DEADLINE: Final = "statement_defence"
FEEDBACK_DEADLINE: Final = "measures_feedback"
# The remedies every decision document states (行政复议法 art. 20, 行政诉讼法 art. 46).
REMEDIES: Final = (
    "如不服本决定，可自收到之日起60日内申请行政复议，或6个月内提起行政诉讼。"
    " Review may be applied for within 60 days, or a lawsuit filed within 6 months."
)


def entry_of(case: Case) -> ListEntry:
    """Return (locked) the list entry a list case is about."""
    if case.target_list_entry_id is None:
        raise LookupError(f"case {case.number} names no list entry")
    return (
        ListEntry.objects.select_for_update(of=("self",))
        .select_related("subject", "deciding_department", "record")
        .get(pk=case.target_list_entry_id)
    )


def entry_update(
    context: OperationContext, case: Case, entry: ListEntry, status: str, **extra: Any
) -> None:
    """Change a list entry's status (and dates, reason or record) and audit it."""
    fields = {"status": status, **extra}
    before = {name: _plain(getattr(entry, name)) for name in fields}
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*fields, "updated_at"])
    record(
        action="list_entry.update",
        actor=context.actor,
        system="" if context.actor else "engine",
        target=entry,
        case_number=case.number,
        process_instance_id=str(context.instance.pk),
        before=before,
        after={name: _plain(value) for name, value in fields.items()},
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def subject_people(subject: Subject) -> list[User]:
    """The accounts that act for a subject: notices of listing go to them."""
    return list(subject.accounts.filter(is_active=True))


def role_people(department: Department, role: str) -> QuerySet[User]:
    """Return the active users holding ``role`` in a department."""
    return User.objects.filter(
        is_active=True, groups__name=department.group_name(role)
    ).distinct()


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` later, or the month's last day if shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def validity_end(valid_from: dt.date, months: int) -> tuple[dt.date, dt.datetime]:
    """Return valid_to and the moment the entry expires (the day after, at 00:00).

    valid_to = valid_from + months, as the list_validity policy defines it; the
    entry is in force on valid_to itself (``ListEntry.objects.in_force_on``).
    """
    valid_to = add_months(valid_from, months)
    expires_at = dt.datetime.combine(
        valid_to + dt.timedelta(days=1),
        dt.time(0, 0),
        tzinfo=timezone.get_default_timezone(),
    )
    return valid_to, expires_at


def deliver_if_waiting(
    name: str, business_key: str, payload: Mapping[str, Any]
) -> bool:
    """Deliver a message to the case's instance waiting for it; say if one was."""
    if not business_key:
        return False
    waiting = EventSubscription.objects.filter(
        kind=EventSubscription.Kind.MESSAGE,
        name=name,
        instance__business_key=business_key,
    ).exists()
    if waiting:
        message_deliver(
            actor=None,
            system="credit",
            name=name,
            business_key=business_key,
            payload=payload,
        )
    return waiting
