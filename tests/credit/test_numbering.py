"""Case numbers: formatted, gap-free per type and year, safe under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from workflows.credit.models import Case, NumberSequence
from workflows.credit.numbering import (
    NumberingOutsideTransactionError,
    next_number,
    next_value,
)


class _Rollback(Exception):
    pass


def _take(case_type: str, year: int) -> str:
    with transaction.atomic():
        return next_number(case_type, year)


def _take_and_roll_back(case_type: str, year: int) -> str:
    """Take a number in a transaction that then fails; return what it got."""
    got = ""
    try:
        with transaction.atomic():
            got = next_number(case_type, year)
            raise _Rollback
    except _Rollback:
        pass
    return got


@pytest.mark.django_db
class TestSequentialNumbers:
    def test_numbers_start_at_one_with_the_type_prefix_and_six_digits(self):
        assert _take(Case.Type.OBJECTION, 2026) == "YY-2026-000001"
        assert _take(Case.Type.OBJECTION, 2026) == "YY-2026-000002"

    def test_each_case_type_has_its_own_prefix_and_sequence(self):
        numbers = [_take(case_type, 2026) for case_type in Case.Type.values]
        assert numbers == [
            "YY-2026-000001",
            "XF-2026-000001",
            "LR-2026-000001",
            "LC-2026-000001",
            "HM-2026-000001",
            "FH-2026-000001",
        ]

    def test_a_new_year_starts_again_at_one(self):
        _take(Case.Type.REPAIR, 2026)
        assert _take(Case.Type.REPAIR, 2027) == "XF-2027-000001"
        assert _take(Case.Type.REPAIR, 2026) == "XF-2026-000002"

    def test_generic_keys_serve_document_numbers_too(self):
        with transaction.atomic():
            first = next_value("document.SCJ.objection_decision", 2026)
            second = next_value("document.SCJ.objection_decision", 2026)
        assert (first, second) == (1, 2)
        row = NumberSequence.objects.get(key="document.SCJ.objection_decision")
        assert row.last_value == 2

    def test_refuses_an_unknown_case_type(self):
        with transaction.atomic(), pytest.raises(ValueError, match="unknown case"):
            next_number("complaint", 2026)


@pytest.mark.django_db(transaction=True)
def test_refuses_to_take_a_number_outside_a_transaction():
    with pytest.raises(NumberingOutsideTransactionError):
        next_number(Case.Type.OBJECTION, 2026)
    assert not NumberSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_does_not_consume_a_number():
    assert _take(Case.Type.OBJECTION, 2026) == "YY-2026-000001"
    assert _take_and_roll_back(Case.Type.OBJECTION, 2026) == "YY-2026-000002"
    assert _take(Case.Type.OBJECTION, 2026) == "YY-2026-000002"


@pytest.mark.django_db(transaction=True)
def test_the_first_number_of_a_year_rolled_back_leaves_no_row_behind():
    assert _take_and_roll_back(Case.Type.APPEAL, 2030) == "FH-2030-000001"
    assert not NumberSequence.objects.filter(year=2030).exists()
    assert _take(Case.Type.APPEAL, 2030) == "FH-2030-000001"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_threads_taking_ten_numbers_each_get_eighty_consecutive_numbers():
    """All threads start together on a year with no row yet, so they also race to
    create it; every other transaction rolls back after taking a number."""
    threads_count, per_thread = 8, 10
    barrier = threading.Barrier(threads_count)
    taken: list[list[str]] = [[] for _ in range(threads_count)]
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            while len(taken[index]) < per_thread:
                taken[index].append(_take(Case.Type.OBJECTION, 2026))
                _take_and_roll_back(Case.Type.OBJECTION, 2026)
        except BaseException as exc:  # handed to the test thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    numbers = sorted(number for chunk in taken for number in chunk)
    expected = [f"YY-2026-{value:06d}" for value in range(1, 81)]
    assert numbers == expected
    assert NumberSequence.objects.get(key="case.objection", year=2026).last_value == 80
