"""Helpers for the working-day calendar's tests: an administrator and entries."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission, User

from workflows.workdays.models import CalendarOverride
from workflows.workdays.services import calendar_override_set

CALENDAR_PERMISSIONS = (
    "change_calendaroverride",
    "delete_calendaroverride",
    "change_calendaryear",
)


def make_calendar_admin(username: str = "calendar_admin") -> User:
    """Create a user holding the model permissions the calendar services ask for."""
    user = User.objects.create_user(username)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="workdays", codename__in=CALENDAR_PERMISSIONS
        )
    )
    # A fresh instance: has_perm() caches the permissions it saw first.
    return User.objects.get(pk=user.pk)


def holiday(
    actor: User, day: dt.date, name: str, jurisdiction: str = ""
) -> CalendarOverride:
    """Enter a day as a holiday, as an administrator would."""
    return calendar_override_set(
        actor=actor,
        day=day,
        kind=CalendarOverride.Kind.HOLIDAY,
        name=name,
        jurisdiction=jurisdiction,
    )


def workday(
    actor: User, day: dt.date, name: str, jurisdiction: str = ""
) -> CalendarOverride:
    """Enter a day as a make-up working day (调休上班), as an administrator would."""
    return calendar_override_set(
        actor=actor,
        day=day,
        kind=CalendarOverride.Kind.WORKDAY,
        name=name,
        jurisdiction=jurisdiction,
    )
