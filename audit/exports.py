"""Exports of the audit trail: CSV for spreadsheets, the context of the PDF report.

An export is itself an audit event (``audit.export``), written *before* any row
leaves, with the filters, the row count and the sequence range. The exported set is
pinned to the events that existed at that moment, so the count in the event is the
count in the file and the export's own event is never part of it.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max, Min, QuerySet

from audit.canonical import format_datetime, normalise
from audit.models import AuditEvent
from audit.selectors import chain_status
from audit.services import record
from audit.verification import chain_verify

CSV_COLUMNS = (
    "seq",
    "time_shanghai",
    "time_utc",
    "actor",
    "action",
    "target",
    "case_number",
    "department",
    "process_instance",
    "request_id",
    "ip",
    "via",
    "hash",
)
# Chinese authorities' local time, whatever TIME_ZONE a deployment sets.
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UTF8_BOM = "\ufeff"
CHUNK_SIZE = 2000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection);
# such text cells are written with a leading apostrophe (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class BinaryWriter(Protocol):
    def write(self, data: bytes, /) -> Any: ...


@dataclass(frozen=True, slots=True)
class PinnedExport:
    """An audited export: the frozen set of events and its extent."""

    events: QuerySet[AuditEvent]
    rows: int
    first_seq: int | None
    last_seq: int | None


def export_begin(
    queryset: QuerySet[AuditEvent],
    *,
    actor: AbstractBaseUser | None,
    system: str = "",
    export_format: str,
    filters: Mapping[str, Any] | None = None,
) -> PinnedExport:
    """Pin the events to export and record the audit.export event, before any leaves."""
    with transaction.atomic():
        head = AuditEvent.objects.aggregate(head=Max("seq"))["head"] or 0
        events = queryset.filter(seq__lte=head).order_by("seq")
        extent = events.aggregate(rows=Count("seq"), first=Min("seq"), last=Max("seq"))
        record(
            action="audit.export",
            actor=actor,
            system=system,
            detail={
                "format": export_format,
                "filters": normalise(dict(filters or {})),
                "rows": extent["rows"],
                "first_seq": extent["first"],
                "last_seq": extent["last"],
            },
        )
    return PinnedExport(
        events=events,
        rows=extent["rows"],
        first_seq=extent["first"],
        last_seq=extent["last"],
    )


def export_csv(
    queryset: QuerySet[AuditEvent],
    stream: BinaryWriter,
    *,
    actor: AbstractBaseUser | None,
    system: str = "",
    filters: Mapping[str, Any] | None = None,
) -> int:
    """Audit the export, then write the events as UTF-8 CSV with a BOM; return rows."""
    pinned = export_begin(
        queryset, actor=actor, system=system, export_format="csv", filters=filters
    )
    for chunk in csv_chunks(pinned.events):
        stream.write(chunk)
    return pinned.rows


def csv_chunks(events: QuerySet[AuditEvent]) -> Iterator[bytes]:
    """Yield the CSV bytes of already-audited events, for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(UTF8_BOM)
    writer.writerow(CSV_COLUMNS)
    for count, event in enumerate(events.iterator(chunk_size=CHUNK_SIZE), start=1):
        writer.writerow(_csv_row(event))
        if count % CHUNK_SIZE == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def _csv_row(event: AuditEvent) -> list[str | int]:
    target = f"{event.target_type}:{event.target_id}" if event.target_type else ""
    return [
        event.seq,
        event.occurred_at.astimezone(SHANGHAI).isoformat(),
        format_datetime(event.occurred_at),
        _cell(event.actor_label),
        _cell(event.action),
        _cell(target),
        _cell(event.case_number),
        _cell(event.department_code or ""),
        _cell(event.process_instance_id),
        _cell(event.request_id),
        event.ip or "",
        event.via,
        event.hash,
    ]


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def report_context(queryset: QuerySet[AuditEvent]) -> dict[str, Any]:
    """Return what the PDF report prints: range, head hashes, the range's check.

    Give it the events of :func:`export_begin`, which has audited the export. The
    range is verified from its first to its last seq (anchored on the stored event
    before it); ``latest_digest`` tells how far a signed digest reaches.
    """
    extent = queryset.aggregate(rows=Count("seq"), first=Min("seq"), last=Max("seq"))
    first, last = extent["first"], extent["last"]
    verification = (
        chain_verify(from_seq=first, to_seq=last) if first is not None else None
    )
    status = chain_status()
    return {
        "events": queryset,
        "rows": extent["rows"],
        "first_seq": first,
        "last_seq": last,
        "range_head_hash": verification.head_hash if verification else "",
        "verification": verification,
        "verified": verification.ok if verification else True,
        "chain_head_seq": status.head_seq,
        "chain_head_hash": status.head_hash,
        "latest_digest": status.latest_digest,
        "latest_verification": status.latest_verification,
    }
