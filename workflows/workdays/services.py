"""Administrators' edits to the working-day calendar, each audited in its transaction.

Deadlines already computed (and handed to BPMN timers) keep the day they were given;
an edit changes only deadlines counted after it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import record
from workflows.errors import InvalidInputError, NotFoundError
from workflows.policies import require_permission
from workflows.workdays.calendar import PACKAGE_YEARS
from workflows.workdays.models import (
    JURISDICTION_PATTERN,
    NAME_MAX_LENGTH,
    NATIONAL,
    CalendarOverride,
    CalendarYear,
)


@transaction.atomic
def calendar_override_set(
    *,
    actor: User,
    day: dt.date,
    kind: str,
    name: str,
    jurisdiction: str = NATIONAL,
) -> CalendarOverride:
    """State that a day is a holiday or a make-up working day, replacing any earlier."""
    require_permission(actor, "workdays.change_calendaroverride", "edit the calendar")
    _check_jurisdiction(jurisdiction)
    if kind not in CalendarOverride.Kind.values:
        raise InvalidInputError(f"kind must be one of {CalendarOverride.Kind.values}")
    name = name.strip()
    if not 1 <= len(name) <= NAME_MAX_LENGTH:
        raise InvalidInputError(f"the name must have 1 to {NAME_MAX_LENGTH} characters")
    override, created = CalendarOverride.objects.select_for_update().get_or_create(
        date=day,
        jurisdiction=jurisdiction,
        defaults={"kind": kind, "name": name, "created_by": actor},
    )
    before = None if created else _override_state(override)
    if not created:
        if (override.kind, override.name) == (kind, name):
            return override
        override.kind, override.name = kind, name
        override.save(update_fields=["kind", "name"])
    record(
        action="calendar_override.set",
        actor=actor,
        target=override,
        before=before,
        after=_override_state(override),
    )
    return override


@transaction.atomic
def calendar_override_remove(
    *, actor: User, day: dt.date, jurisdiction: str = NATIONAL
) -> None:
    """Delete a day's override, so the next source of the calendar decides the day."""
    require_permission(actor, "workdays.delete_calendaroverride", "edit the calendar")
    override = (
        CalendarOverride.objects.select_for_update()
        .filter(date=day, jurisdiction=jurisdiction)
        .first()
    )
    if override is None:
        where = jurisdiction or "national"
        raise NotFoundError(f"no {where} calendar override on {day}")
    # Recorded before the delete, while the row still has its primary key.
    record(
        action="calendar_override.remove",
        actor=actor,
        target=override,
        before=_override_state(override),
    )
    override.delete()


@transaction.atomic
def calendar_year_mark_complete(
    *, actor: User, year: int, jurisdiction: str = NATIONAL
) -> CalendarYear:
    """Declare a year's official holidays entered, making its deadlines definite."""
    require_permission(actor, "workdays.change_calendaryear", "edit the calendar")
    check_year_entered(year, jurisdiction)
    entry, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year,
        jurisdiction=jurisdiction,
        defaults={"complete": True, "set_by": actor, "set_at": timezone.now()},
    )
    if not created and entry.complete:
        return entry
    before = None if created else {"complete": False}
    if not created:
        entry.complete, entry.set_by, entry.set_at = True, actor, timezone.now()
        entry.save(update_fields=["complete", "set_by", "set_at"])
    record(
        action="calendar_year.mark_complete",
        actor=actor,
        target=entry,
        before=before,
        after={"year": year, "jurisdiction": jurisdiction, "complete": True},
    )
    return entry


def check_year_entered(year: int, jurisdiction: str = NATIONAL) -> None:
    """Raise InvalidInputError unless a year's holidays can be declared complete."""
    _check_jurisdiction(jurisdiction)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise InvalidInputError(f"{year} is not a calendar year")
    if year in PACKAGE_YEARS:
        return
    # Every year has statutory holidays (元旦 at least): none entered means the data
    # is missing, and marking the year complete would silently turn a provisional
    # Monday to Friday guess into an authoritative one.
    if not CalendarOverride.objects.filter(
        date__year=year,
        jurisdiction__in={NATIONAL, jurisdiction},
        kind=CalendarOverride.Kind.HOLIDAY,
    ).exists():
        raise InvalidInputError(f"no holidays are entered for {year} yet")


def _check_jurisdiction(jurisdiction: str) -> None:
    if jurisdiction != NATIONAL and not JURISDICTION_PATTERN.fullmatch(jurisdiction):
        raise InvalidInputError(
            "jurisdiction must be blank (national) or a lower-case code like 'shanghai'"
        )


def _override_state(override: CalendarOverride) -> dict[str, str]:
    return {
        "date": override.date.isoformat(),
        "jurisdiction": override.jurisdiction,
        "kind": override.kind,
        "name": override.name,
    }
