"""record(department_code=...): searchable, hashed when given, old events unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from audit.canonical import HASHED_FIELDS, canonical_json, chain_hash, normalise
from audit.models import AuditEvent
from audit.services import record
from audit.verification import chain_verify
from tests.audit.support import tamper

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_event_without_a_department_hashes_as_before_the_column_existed(
    user: Any,
) -> None:
    with transaction.atomic():
        event = record(action="process.start", actor=user, case_number="C-1")

    row: dict[str, Any] = dict(AuditEvent.objects.values().get(seq=event.seq))
    old_payload = {name: normalise(row[name]) for name in HASHED_FIELDS}
    assert row["department_code"] is None
    assert chain_hash(row["prev_hash"], canonical_json(old_payload)) == event.hash


def test_a_department_code_is_stored_and_covered_by_the_hash(user: Any) -> None:
    with transaction.atomic():
        event = record(action="process.start", actor=user, department_code="FGW")

    row: dict[str, Any] = dict(AuditEvent.objects.values().get(seq=event.seq))
    old_payload = {name: normalise(row[name]) for name in HASHED_FIELDS}
    assert row["department_code"] == "FGW"
    assert chain_hash(row["prev_hash"], canonical_json(old_payload)) != event.hash
    assert chain_verify().ok


@pytest.mark.parametrize("forged", ["SCJGJ", None])
def test_changing_or_clearing_a_department_code_breaks_the_chain(
    user: Any, forged: str | None
) -> None:
    with transaction.atomic():
        event = record(action="process.start", actor=user, department_code="FGW")

    tamper(
        "UPDATE audit_auditevent SET department_code = %s WHERE seq = %s",
        [forged, event.seq],  # type: ignore[list-item]
    )

    assert chain_verify().broken_seq == event.seq


def test_setting_a_department_code_on_an_old_event_breaks_the_chain(
    user: Any,
) -> None:
    with transaction.atomic():
        event = record(action="process.start", actor=user)

    tamper(
        "UPDATE audit_auditevent SET department_code = %s WHERE seq = %s",
        ["FGW", event.seq],
    )

    assert chain_verify().broken_seq == event.seq


def test_an_over_long_department_code_is_refused(user: Any) -> None:
    with pytest.raises(ValueError, match="department_code"), transaction.atomic():
        record(action="process.start", actor=user, department_code="X" * 33)
