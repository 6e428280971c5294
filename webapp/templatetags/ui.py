"""Small template helpers: optional URLs, deadline and status badges.

``{% load ui %}`` then:

- ``{% url_if_exists "console:index" as console_url %}`` gives "" when the name is
  unknown (areas are built in parallel; a link appears once its view exists);
- ``{% deadline_state due as state %}`` says "overdue", "soon" (due within two
  working days) or "on_time" ("none" without a due date); the working-day threshold
  is computed once per request (one calendar query), not once per row;
- ``{{ status|status_tone }}`` maps a status key to a badge tone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from workflows.workdays.calendar import add_working_days

register = template.Library()

SOON_WORKING_DAYS: Final = 2
_THRESHOLD_ATTR: Final = "_ui_deadline_soon_until"

# Status keys of cases, instances, tasks, notifications and list entries by tone.
TONES: Final[dict[str, frozenset[str]]] = {
    "success": frozenset(
        {"completed", "accepted", "approved", "published", "done", "sent", "active"}
    ),
    "danger": frozenset(
        {"rejected", "refused", "error", "failed", "terminated", "overdue", "revoked"}
    ),
    "warning": frozenset(
        {"suspended", "waiting", "pending", "supplement", "soon", "provisional"}
    ),
    "info": frozenset({"running", "open", "claimed", "submitted", "in_review", "new"}),
}


@register.simple_tag
def url_if_exists(name: str, *args: Any, **kwargs: Any) -> str:
    """Return the URL of ``name``, or "" if no such route exists (yet)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def soon_until(today: dt.date) -> dt.date:
    """Return the last day that counts as "due soon" (two working days ahead)."""
    return add_working_days(today, SOON_WORKING_DAYS).day


def deadline_state_for(
    due: dt.datetime | dt.date | None, *, now: dt.datetime, threshold: dt.date
) -> str:
    """Classify a due date against now and the "due soon" threshold."""
    if due is None:
        return "none"
    if isinstance(due, dt.datetime):
        if due < now:
            return "overdue"
        day = timezone.localtime(due).date()
    else:
        if due < timezone.localdate(now):
            return "overdue"
        day = due
    return "soon" if day <= threshold else "on_time"


@register.simple_tag(takes_context=True)
def deadline_state(context: template.Context, due: dt.datetime | dt.date | None) -> str:
    """Say whether ``due`` is overdue, due soon or on time (see module docstring)."""
    if due is None or due == "":
        return "none"
    now = timezone.now()
    holder = context.get("request") or context
    threshold = getattr(holder, _THRESHOLD_ATTR, None)
    if threshold is None:
        threshold = soon_until(timezone.localdate(now))
        setattr(holder, _THRESHOLD_ATTR, threshold)
    return deadline_state_for(due, now=now, threshold=threshold)


@register.filter
def status_tone(status: object) -> str:
    """Map a status key ("completed", "rejected", ...) to a badge tone."""
    key = str(getattr(status, "value", status) or "").lower()
    for tone, keys in TONES.items():
        if key in keys:
            return tone
    return "neutral"
