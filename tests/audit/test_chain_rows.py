"""The fast verification path reproduces the reference hash, or defers to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from audit.canonical import canonical_json, event_payload
from audit.chain_rows import fast_hash, payload_rows
from audit.context import bind
from audit.models import AuditEvent
from audit.services import record
from audit.verification import chain_verify
from tests.audit.support import tamper

pytestmark = pytest.mark.django_db

AWKWARD_VALUES: list[dict[str, Any]] = [
    {"before": None, "after": None, "detail": {}},
    {"after": {"理由": '记录有误 "quoted" \\ back\nslash\t', "emoji": "✓"}},
    {"after": {"nested": {"b": [1, 2.5, None, True], "a": {"z": 0, "y": -1}}}},
    {"detail": {"big": 2**70, "negative": -(2**40), "fraction": 0.1}},
    {"detail": {"tiny": 1e-07, "huge_fraction": 1.5e300 / 7}},
    {"before": {"control": "\x01\x1f\x7f", "line_separator": "\u2028"}},
    {"detail": {"empty": "", "list": [], "dict": {}}},
]


def _record_awkward(user: Any) -> list[AuditEvent]:
    events = []
    with transaction.atomic():
        for number, values in enumerate(AWKWARD_VALUES):
            events.append(
                record(
                    action="case.file",
                    actor=user if number % 2 else None,
                    system="" if number % 2 else "test-job",
                    case_number=f"YY-2026-{number:06d}",
                    department_code="SCJ" if number % 3 else "",
                    **values,
                )
            )
    return events


@pytest.mark.parametrize(
    "ip", ["192.0.2.10", "2001:db8::1", "::ffff:192.0.2.1", None], ids=str
)
def test_the_fast_payload_is_byte_for_byte_the_reference_payload(
    user: Any, ip: str | None
) -> None:
    with bind(ip=ip or ""):
        events = _record_awkward(user)

    fast = {seq: canonical for seq, _p, _h, canonical in payload_rows(None, None)}
    exact = 0
    for event in events:
        row = AuditEvent.objects.values().get(seq=event.seq)
        reference = canonical_json(event_payload(row)).decode()
        # Python prints 1e-07 where the database prints 0.0000001; those events
        # take the reference path, every other one must match exactly.
        if "tiny" not in (event.detail or {}):
            assert fast[event.seq] == reference
            assert fast_hash(event.prev_hash, fast[event.seq]) == event.hash
            exact += 1
    assert exact == len(events) - 1
    assert chain_verify().ok


def test_an_event_at_a_whole_second_verifies(user: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, 0, tzinfo=dt.UTC), tick=False)
    with transaction.atomic():
        event = record(action="case.file", actor=user)

    assert event.occurred_at.microsecond == 0
    ((_seq, _prev, _hash, canonical),) = payload_rows(None, None)
    assert '"occurred_at":"2026-06-01T09:00:00.000000Z"' in canonical
    assert chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_changed_value_that_the_fast_path_cannot_encode_is_still_caught(
    user: Any,
) -> None:
    events = _record_awkward(user)
    tiny = next(e for e in events if "tiny" in (e.detail or {}))

    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["YY-2026-999999", tiny.seq],
    )

    result = chain_verify()
    assert (result.ok, result.broken_seq) == (False, tiny.seq)
    assert result.reason == "hash does not match the event's content"


def test_progress_is_reported_while_a_long_chain_is_checked(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("audit.verification.PROGRESS_EVERY", 3)
    with transaction.atomic():
        for number in range(7):
            record(action="task.complete", actor=user, detail={"n": number})
    seen: list[int] = []

    result = chain_verify(progress=seen.append)

    assert result.checked == 7
    assert seen == [3, 6]


def test_a_range_is_checked_from_the_stored_event_before_it(user: Any) -> None:
    with transaction.atomic():
        for number in range(5):
            record(action="task.complete", actor=user, detail={"n": number})

    result = chain_verify(from_seq=2, to_seq=4)

    assert (result.ok, result.checked, result.head_seq) == (True, 3, 4)
    assert result.head_hash == AuditEvent.objects.get(seq=4).hash
