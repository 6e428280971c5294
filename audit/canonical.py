"""Canonical JSON and the hash chain over audit events.

An event's hash is ``sha256(prev_hash ‖ canonical JSON of its payload)`` where
``prev_hash`` is the previous event's 64-character lowercase hex hash, taken as its
ASCII bytes, so anyone can recompute a link with ``sha256sum`` and no knowledge of
this code. The first event links to ``GENESIS_HASH`` (64 zeros).

The payload is every column except ``prev_hash`` (already the prefix of the hashed
bytes) and ``hash`` itself. Columns added later (``OPTIONAL_HASHED_FIELDS``) are
nullable and enter the payload only when not null, so events written before they
existed hash exactly as they did, while a later change of such a value in either
direction (null to a value, a value to null or to another value) breaks the link.
``seq`` is included on purpose: a row moved to another position or a row deleted
from the middle then breaks the chain, not just a row whose content changed.

Canonical form: keys sorted, UTF-8 without ``\\u`` escapes, no insignificant
whitespace, no NaN or infinity. Values are first reduced to plain JSON types by
:func:`normalise`, and ``record`` stores the normalised before/after/detail, so the
bytes hashed at write time are exactly the bytes recomputed from the row later, on
SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import math
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

GENESIS_HASH = "0" * 64

# Frozen: changing this list changes every hash. Adding a column to AuditEvent
# therefore needs a versioned payload, not an edit here.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "case_number",
    "process_instance_id",
    "before",
    "after",
    "detail",
    "request_id",
    "ip",
    "via",
)
# Added after the first events were written: hashed only when not null (see above).
OPTIONAL_HASHED_FIELDS = ("department_code",)

_HEX_HASH = re.compile(r"[0-9a-f]{64}")

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


def normalise(value: Any) -> JSONValue:
    """Reduce a value to plain JSON types, the same way on every run and database."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, bool):
        return value
    # int(...) and str(...) drop subclasses, whose json encoding may differ.
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return _normalise_mapping(value)
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    return _normalise_scalar(value)


def _normalise_scalar(value: object) -> JSONValue:
    if isinstance(value, float):
        return _normalise_float(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("Audit data cannot hold a non-finite Decimal.")
        return str(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    # Sets, bytes and arbitrary objects have no single canonical JSON form.
    raise TypeError(f"Audit data cannot hold a {type(value).__name__}.")


def _normalise_float(value: float) -> JSONValue:
    if not math.isfinite(value):
        raise ValueError("Audit data cannot hold NaN or infinity.")
    # PostgreSQL's jsonb gives an integral number back without a fraction (1e20 is
    # read back as the int 100000000000000000000), so store integral floats as ints.
    if value.is_integer():
        return int(value)
    return value


def _normalise_mapping(value: Mapping[Any, Any]) -> dict[str, JSONValue]:
    result: dict[str, JSONValue] = {}
    for key, item in value.items():
        # Refuse rather than coerce: {1: …, "1": …} would collapse to one key.
        if not isinstance(key, str):
            raise TypeError("Audit data mappings must have str keys.")
        result[str(key)] = normalise(item)
    return result


def format_datetime(value: dt.datetime) -> str:
    """Format an aware datetime as UTC ISO 8601 with microseconds and a "Z"."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Audit data cannot hold a naive datetime.")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> bytes:
    """Encode a value as canonical JSON bytes: sorted keys, compact, UTF-8."""
    return json.dumps(
        normalise(value),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    ).encode("utf-8")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """Return sha256(prev_hash as ASCII hex ‖ canonical) as lowercase hex."""
    if not _HEX_HASH.fullmatch(prev_hash):
        raise ValueError("prev_hash must be 64 lowercase hex characters.")
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def event_payload(values: Mapping[str, Any]) -> dict[str, JSONValue]:
    """Pick the hashed fields of an event out of a mapping of column values."""
    payload = {name: normalise(values[name]) for name in HASHED_FIELDS}
    for name in OPTIONAL_HASHED_FIELDS:
        if values.get(name) is not None:
            payload[name] = normalise(values[name])
    return payload


def event_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    """Compute an event's chain hash from its predecessor's hash and its columns."""
    return chain_hash(prev_hash, canonical_json(event_payload(values)))
