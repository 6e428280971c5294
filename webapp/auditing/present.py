"""Shape audit events for the workspace's pages: values as readable JSON text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from audit.models import AuditEvent
from audit.selectors import FieldChange, TimelineEntry


def as_text(value: Any) -> str:
    """Render a stored JSON value the way it was recorded (strings without quotes)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One changed field of an event, ready to print."""

    field: str
    kind: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One event of a case's timeline, with its field changes and its details."""

    event: AuditEvent
    changes: list[ChangeRow]
    detail: str


def _row(change: FieldChange) -> ChangeRow:
    return ChangeRow(
        field=change.field,
        kind=change.kind,
        before="" if change.kind == "added" else as_text(change.before),
        after="" if change.kind == "removed" else as_text(change.after),
    )


def timeline_items(entries: list[TimelineEntry]) -> list[TimelineItem]:
    """Turn a case timeline into printable items."""
    return [
        TimelineItem(
            event=entry.event,
            changes=[_row(change) for change in entry.changes],
            detail=as_text(entry.event.detail) if entry.event.detail else "",
        )
        for entry in entries
    ]
