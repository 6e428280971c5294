"""Canonical JSON and chain hashing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
import zoneinfo
from decimal import Decimal

import pytest

from audit.canonical import (
    GENESIS_HASH,
    HASHED_FIELDS,
    canonical_json,
    chain_hash,
    event_hash,
    normalise,
)


def test_canonical_json_is_independent_of_key_order() -> None:
    first = {"b": 1, "a": {"y": [1, 2], "x": None}}
    second = {"a": {"x": None, "y": [1, 2]}, "b": 1}
    assert canonical_json(first) == canonical_json(second)
    assert canonical_json(first) == b'{"a":{"x":null,"y":[1,2]},"b":1}'


def test_canonical_json_keeps_non_ascii_text_as_utf8() -> None:
    assert canonical_json({"名称": "信用修复"}) == '{"名称":"信用修复"}'.encode()


def test_datetimes_become_utc_iso8601_with_z_whatever_their_zone() -> None:
    shanghai = dt.datetime(2024, 5, 1, 8, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    utc = dt.datetime(2024, 5, 1, 0, 30, tzinfo=dt.UTC)
    assert normalise(shanghai) == normalise(utc) == "2024-05-01T00:30:00.000000Z"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        canonical_json({"at": dt.datetime(2024, 5, 1)})  # noqa: DTZ001


def test_decimal_uuid_and_date_encode_deterministically() -> None:
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert normalise(
        {"amount": Decimal("1.50"), "id": value, "day": dt.date(2024, 2, 29)}
    ) == {"amount": "1.50", "id": str(value), "day": "2024-02-29"}


def test_tuples_become_lists_and_integral_floats_become_ints() -> None:
    assert normalise({"t": (1, 2.0, 2.5, 1e20)}) == {
        "t": [1, 2, 2.5, 100000000000000000000]
    }


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_non_finite_numbers_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match=r"(?i)nan|non-finite"):
        canonical_json({"v": value})


@pytest.mark.parametrize("value", [{1, 2}, b"bytes", object()])
def test_values_without_a_canonical_form_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        canonical_json({"v": value})


def test_mappings_with_non_string_keys_are_refused() -> None:
    with pytest.raises(TypeError, match="str keys"):
        canonical_json({1: "one"})


def test_canonical_json_round_trips_through_json() -> None:
    payload = {"z": "文字", "n": [1, 2.5, None, True], "d": {"k": "v"}}
    assert canonical_json(json.loads(canonical_json(payload))) == canonical_json(
        payload
    )


def test_chain_hash_is_sha256_of_prev_hash_text_then_canonical_bytes() -> None:
    canonical = canonical_json({"a": 1})
    expected = hashlib.sha256(GENESIS_HASH.encode("ascii") + canonical).hexdigest()
    assert chain_hash(GENESIS_HASH, canonical) == expected
    assert len(expected) == 64


def test_genesis_hash_is_64_zeros() -> None:
    assert GENESIS_HASH == "0" * 64


@pytest.mark.parametrize("prev_hash", ["", "0" * 63, "G" * 64, "A" * 64])
def test_chain_hash_refuses_a_malformed_prev_hash(prev_hash: str) -> None:
    with pytest.raises(ValueError, match="64 lowercase hex"):
        chain_hash(prev_hash, b"{}")


def test_event_hash_covers_seq_so_a_moved_event_changes_hash() -> None:
    values: dict[str, object] = dict.fromkeys(HASHED_FIELDS, "")
    values.update(seq=1, before=None, after=None, detail={}, ip=None, actor_id=None)
    moved = {**values, "seq": 2}
    assert event_hash(GENESIS_HASH, values) != event_hash(GENESIS_HASH, moved)
