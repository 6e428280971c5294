"""Stream events' hashed payloads as canonical JSON, for fast chain verification.

Rebuilding each event through the ORM and :func:`audit.canonical.normalise` costs
about 100 µs an event, so verifying a million events took minutes. Here the
database does most of the formatting: PostgreSQL writes the canonical JSON text
of every column except the three JSON ones (``to_json`` escapes strings as
Python's ``json`` does), which Python decodes and re-encodes canonically with the
C codec; SQLite assembles the whole payload with ``json_object`` for Python to
re-encode. hashlib hashes the result: a few C calls an event. A server-side
cursor (on PostgreSQL) streams the rows, so memory stays flat.

This is an accelerator, not a second definition of the hash: when its bytes do
not reproduce the stored hash, the caller recomputes the event the reference way
(:func:`audit.canonical.event_hash` over the ORM's values) before calling the
link broken. Values whose database rendering differs from Python's (a float such
as 1e-07, which PostgreSQL prints as 0.0000001) therefore cost time, never a
false alarm.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from audit.canonical import event_hash
from audit.models import AuditEvent

FETCH_SIZE = 5000
TABLE = AuditEvent._meta.db_table
# The reference encoding of audit.canonical.canonical_json, built once.
_encode = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
).encode
_decode = json.loads

# PostgreSQL writes the canonical text of everything but the three JSON columns,
# whose jsonb text (spaced, keys ordered by length) Python re-encodes canonically.
# Keys in sorted order; to_json() escapes strings exactly as Python's json does.
_TEXT = "to_json({})::text"
_POSTGRES_PARTS = (
    "'{\"action\":' || " + _TEXT.format("action")
    + " || ',\"actor_id\":' || coalesce(actor_id::text, 'null')"
    + " || ',\"actor_label\":' || " + _TEXT.format("actor_label")
    + " || ',\"after\":'",
    "after::text",
    "before::text",
    "',\"case_number\":' || " + _TEXT.format("case_number")
    + " || CASE WHEN department_code IS NULL THEN '' ELSE"
    " ',\"department_code\":' || " + _TEXT.format("department_code") + " END"
    + " || ',\"detail\":'",
    "detail::text",
    "',\"ip\":' || coalesce(to_json(host(ip))::text, 'null')"
    " || ',\"occurred_at\":\"' || to_char(occurred_at AT TIME ZONE 'UTC',"
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '\"'"
    + " || ',\"process_instance_id\":' || " + _TEXT.format("process_instance_id")
    + " || ',\"request_id\":' || " + _TEXT.format("request_id")
    + " || ',\"seq\":' || seq::text"
    + " || ',\"target_id\":' || " + _TEXT.format("target_id")
    + " || ',\"target_type\":' || " + _TEXT.format("target_type")
    + " || ',\"via\":' || " + _TEXT.format("via") + " || '}'",
)  # fmt: skip

# SQLite assembles the whole payload as one object that Python re-encodes.
_PLAIN = (
    "seq",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "case_number",
    "process_instance_id",
    "request_id",
    "via",
)
_SQLITE_PAYLOAD = (
    "json_object("
    + ", ".join(f"'{name}', {name}" for name in _PLAIN)
    + ", "
    + ", ".join(f"'{name}', json({name})" for name in ("before", "after", "detail"))
    + ", 'occurred_at', occurred_at, 'ip', ip, 'department_code', department_code)"
)


def _json(text: str | None) -> str:
    return "null" if text is None else _encode(_decode(text))


def _postgres_payload(
    head: str,
    after: str | None,
    before: str | None,
    middle: str,
    detail: str | None,
    tail: str,
) -> str:
    return f'{head}{_json(after)},"before":{_json(before)}{middle}{_json(detail)}{tail}'


def _sqlite_fixups(payload: dict[str, Any]) -> None:
    # SQLite keeps datetimes as naive UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    occurred = payload["occurred_at"]
    if isinstance(occurred, str):
        stamp = occurred.replace(" ", "T", 1)
        payload["occurred_at"] = f"{stamp}Z" if "." in stamp else f"{stamp}.000000Z"
    if payload.get("department_code") is None:
        payload.pop("department_code", None)


def payload_rows(
    from_seq: int | None, to_seq: int | None
) -> Iterator[tuple[int, str, str, str]]:
    """Yield (seq, prev_hash, hash, canonical payload text) in chain order."""
    postgres = connection.vendor == "postgresql"
    columns = ", ".join(_POSTGRES_PARTS) if postgres else _SQLITE_PAYLOAD
    sql = (
        f"SELECT seq, prev_hash, hash, {columns} FROM {TABLE}"  # noqa: S608
        " WHERE seq >= %s AND seq <= %s ORDER BY seq"
    )
    bounds = [from_seq if from_seq is not None else 0, to_seq or 2**62]
    # A transaction, so PostgreSQL streams through a plain server-side cursor
    # instead of materialising a WITH HOLD one first.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, bounds)
        while rows := cursor.fetchmany(FETCH_SIZE):
            if postgres:
                for (
                    seq,
                    prev,
                    stored,
                    head,
                    after,
                    before,
                    middle,
                    detail,
                    tail,
                ) in rows:
                    canonical = (
                        f'{head}{_json(after)},"before":{_json(before)}'
                        f"{middle}{_json(detail)}{tail}"
                    )
                    yield seq, prev, stored, canonical
            else:
                for seq, prev, stored, text in rows:
                    decoded = _decode(text)
                    _sqlite_fixups(decoded)
                    yield seq, prev, stored, _encode(decoded)


def fast_hash(prev_hash: str, canonical: str) -> str:
    """Return sha256(prev_hash ‖ canonical payload) as lowercase hex."""
    return hashlib.sha256(f"{prev_hash}{canonical}".encode()).hexdigest()


def reference_hash(seq: int, prev_hash: str) -> str:
    """Recompute one event's hash the reference way, from its ORM values."""
    row = AuditEvent.objects.values().get(seq=seq)
    return event_hash(prev_hash, row)
