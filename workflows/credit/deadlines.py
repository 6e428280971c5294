"""Case deadlines in working days: stored on the case, handed to BPMN as ISO text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from workflows.credit.models import Case, CaseDeadline
from workflows.errors import InvalidInputError
from workflows.workdays.calendar import deadline_at, deadline_before


@dataclass(frozen=True)
class SetDeadline:
    """A deadline just recorded, in the form a process needs it."""

    row: CaseDeadline

    @property
    def iso(self) -> str:
        return self.row.due_at.isoformat()


def deadline_set(
    case: Case,
    kind: str,
    working_days: int,
    *,
    policy_ref: str = "",
    start: dt.datetime | None = None,
) -> SetDeadline:
    """Record a deadline n working days after ``start`` (default now)."""
    due, provisional = deadline_at(
        start or timezone.now(), working_days, case.jurisdiction
    )
    row = CaseDeadline.objects.create(
        case=case,
        kind=kind,
        due_at=due,
        provisional=provisional,
        working_days=working_days,
        policy_ref=policy_ref,
    )
    return SetDeadline(row)


def reminder_working_days(model_value: object = None) -> int:
    """How many working days before a deadline its holder is reminded.

    Precedence: the value a process model gives its operation explicitly (the
    ``reminder_working_days`` parameter of a service task), else the setting
    ``TASK_REMINDER_WORKING_DAYS_BEFORE``, else 1.
    """
    value = (
        model_value
        if model_value is not None
        else getattr(settings, "TASK_REMINDER_WORKING_DAYS_BEFORE", 1)
    )
    if type(value) is not int or value < 0:
        raise InvalidInputError(
            f"a reminder comes a whole number of working days (0 or more) before "
            f"the deadline, not {value!r}"
        )
    return value


def reminder_before(deadline: SetDeadline, working_days: int | None = None) -> str:
    """Return when to remind: the start of the working day ``n`` days before due.

    ``working_days`` is the model's explicit value, if any (see
    :func:`reminder_working_days` for the precedence).
    """
    local_due = timezone.localtime(deadline.row.due_at)
    day = deadline_before(
        local_due.date(),
        reminder_working_days(working_days),
        deadline.row.case.jurisdiction,
    )
    start = dt.datetime.combine(day.day, dt.time(9, 0), tzinfo=local_due.tzinfo)
    return max(start, timezone.now()).isoformat()


def deadline_met(case: Case, kind: str) -> None:
    """Mark the case's pending deadlines of a kind as met now."""
    case.deadlines.filter(kind=kind, met_at__isnull=True).update(met_at=timezone.now())
