"""Reads for the auditors' workspace: search, a case's timeline, the chain status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from audit.canonical import GENESIS_HASH, JSONValue
from audit.models import (
    AuditDigest,
    AuditEvent,
    AuditEventQuerySet,
    AuditVerification,
)

SYSTEM_PREFIX = "system:"


def audit_event_search(
    *,
    case_number: str | None = None,
    case_numbers: Iterable[str] | QuerySet[Any, str] | None = None,
    actor: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    action: str | None = None,
    department: str | None = None,
    date_from: dt.date | dt.datetime | None = None,
    date_to: dt.date | dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Return the events matching every given filter, in chain order, as one query.

    ``actor`` is a username, or a "system:<job>" label. ``action`` ending in "."
    matches a family ("task."). ``case_numbers`` may be a values_list QuerySet (for
    example a subject's case numbers), which stays a subquery of the one query.
    Dates are whole days in the current time zone, both ends included; aware
    datetimes are instants, ``date_from`` included and ``date_to`` excluded.
    Empty strings count as "no filter", so a search form can pass its fields as-is.
    """
    events = AuditEvent.objects.all()
    if case_number:
        events = events.for_case(case_number)
    if case_numbers is not None:
        events = events.filter(case_number__in=case_numbers)
    if actor:
        events = _by_actor(events, actor)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if action:
        events = events.with_action(action)
    if department:
        events = events.filter(department_code=department)
    if date_from is not None:
        events = events.filter(occurred_at__gte=_instant(date_from, end=False))
    if date_to is not None:
        events = events.filter(occurred_at__lt=_instant(date_to, end=True))
    return events.in_chain_order()


def _by_actor(events: AuditEventQuerySet, actor: str) -> AuditEventQuerySet:
    if actor.startswith(SYSTEM_PREFIX):
        return events.filter(actor_label=actor)
    # By the user, not the label: a renamed user's earlier events still match.
    return events.filter(**{f"actor__{get_user_model().USERNAME_FIELD}": actor})


def _instant(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError("Search by aware datetimes, or by dates.")
        return value
    day = value + dt.timedelta(days=1) if end else value
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a before/after pair: added, removed or changed."""

    field: str
    kind: Literal["added", "removed", "changed"]
    before: JSONValue = None
    after: JSONValue = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """An event of a case's timeline with the field-level diff of its before/after."""

    event: AuditEvent
    changes: tuple[FieldChange, ...]


def case_timeline(case_number: str) -> list[TimelineEntry]:
    """Return every event of a case in chain order, each with what it changed."""
    return [
        TimelineEntry(event=event, changes=field_changes(event.before, event.after))
        for event in AuditEvent.objects.for_case(case_number).in_chain_order()
    ]


_MISSING: Any = object()


def field_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[FieldChange, ...]:
    """Diff two before/after mappings field by field; nested mappings get a.b paths."""
    changes: list[FieldChange] = []
    _diff(before or {}, after or {}, "", changes)
    return tuple(changes)


def _diff(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    prefix: str,
    changes: list[FieldChange],
) -> None:
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        path = f"{prefix}{key}"
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            _diff(old, new, f"{path}.", changes)
        elif old is _MISSING:
            changes.append(FieldChange(field=path, kind="added", after=new))
        elif new is _MISSING:
            changes.append(FieldChange(field=path, kind="removed", before=old))
        elif old != new or type(old) is not type(new):
            changes.append(
                FieldChange(field=path, kind="changed", before=old, after=new)
            )


@dataclass(frozen=True, slots=True)
class ChainStatus:
    """What every workspace page shows: the last check, the last digest, the head."""

    latest_verification: AuditVerification | None
    latest_digest: AuditDigest | None
    head_seq: int
    head_hash: str

    @property
    def unverified_events(self) -> int | None:
        """Count events appended after the last check's head (None if never run)."""
        verification = self.latest_verification
        if verification is None:
            return None
        return self.head_seq - (verification.head_seq or 0)


def chain_status() -> ChainStatus:
    """Return the latest verification, the latest digest and the chain head."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    head_seq, head_hash = head if head is not None else (0, GENESIS_HASH)
    return ChainStatus(
        latest_verification=AuditVerification.objects.order_by("-id").first(),
        latest_digest=AuditDigest.objects.order_by("-id").first(),
        head_seq=head_seq,
        head_hash=head_hash,
    )
