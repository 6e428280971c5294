"""Verifying in parallel ranges reports exactly what a serial run reports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from audit.models import AuditVerification
from audit.parallel import chain_verify_parallel, combine, split
from audit.services import record
from audit.verification import VerifyResult, chain_verify
from tests.audit.support import tamper


def test_ranges_cover_the_span_once_in_order() -> None:
    assert split(1, 10, 3) == [(1, 4), (5, 8), (9, 10)]
    assert split(5, 5, 4) == [(5, 5)]
    assert split(3, 2, 2) == []


def test_the_first_broken_range_decides_and_counts_what_came_before() -> None:
    ok = VerifyResult(checked=4, head_seq=4, head_hash="a" * 64)
    broken = VerifyResult(
        checked=2, head_seq=6, head_hash="b" * 64, broken_seq=7, reason="x"
    )
    later = VerifyResult(checked=0, head_seq=None, head_hash="c" * 64, broken_seq=9)

    merged = combine([ok, broken, later])

    assert (merged.ok, merged.broken_seq, merged.checked) == (False, 7, 6)
    assert combine([ok, ok]).checked == 8


def _chain(user: Any, count: int) -> None:
    with transaction.atomic():
        for number in range(count):
            record(action="task.complete", actor=user, detail={"n": number})


@pytest.mark.django_db(transaction=True)
def test_an_intact_chain_verifies_the_same_in_parallel(user: Any) -> None:
    _chain(user, 30)

    assert chain_verify_parallel(3) == chain_verify()
    assert chain_verify_parallel(2, from_seq=5, to_seq=20) == chain_verify(
        from_seq=5, to_seq=20
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seq", [1, 11, 12, 30])
def test_a_broken_link_is_found_where_a_serial_run_finds_it(
    user: Any, seq: int
) -> None:
    _chain(user, 30)
    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["XX-2026-000001", seq],
    )

    parallel, serial = chain_verify_parallel(3), chain_verify()

    assert parallel == serial
    assert parallel.broken_seq == seq


@pytest.mark.django_db(transaction=True)
def test_a_missing_event_at_a_range_boundary_is_a_gap(user: Any) -> None:
    _chain(user, 30)
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [10])

    parallel, serial = chain_verify_parallel(3), chain_verify()

    assert parallel == serial
    assert parallel.reason.startswith("sequence gap")


@pytest.mark.django_db(transaction=True)
def test_the_verify_command_takes_a_number_of_processes(user: Any) -> None:
    _chain(user, 12)
    out = io.StringIO()

    call_command("audit", "verify", "--jobs", "2", stdout=out)

    assert "OK: 12 events checked, head seq 12" in out.getvalue()
    assert AuditVerification.objects.get().checked == 12
