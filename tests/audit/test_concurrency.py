"""Concurrent writers leave one unforked chain."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections, transaction

from audit.context import bind
from audit.models import AuditEvent
from audit.services import record
from audit.verification import chain_verify

pytestmark = pytest.mark.django_db(transaction=True)


def _write_concurrently(user: Any, *, threads: int, per_thread: int) -> list[str]:
    start = threading.Barrier(threads)
    errors: list[str] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            with bind(via="test", request_id=f"writer-{number}"):
                for step in range(per_thread):
                    with transaction.atomic():
                        record(
                            action="task.complete",
                            actor=user,
                            detail={"writer": number, "step": step},
                        )
        except Exception as error:  # reported to the main thread
            errors.append(repr(error))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def _assert_single_chain(total: int) -> None:
    seqs = list(AuditEvent.objects.values_list("seq", flat=True).order_by("seq"))
    assert seqs == list(range(1, total + 1))
    distinct_prev = AuditEvent.objects.values("prev_hash").distinct().count()
    assert distinct_prev == total
    result = chain_verify()
    assert (result.ok, result.checked) == (True, total)


@pytest.mark.postgres
def test_parallel_writers_on_postgresql_leave_one_unforked_chain(user: Any) -> None:
    errors = _write_concurrently(user, threads=8, per_thread=25)

    assert errors == []
    _assert_single_chain(8 * 25)


def test_parallel_writers_on_any_database_leave_one_unforked_chain(user: Any) -> None:
    errors = _write_concurrently(user, threads=4, per_thread=10)

    assert errors == []
    _assert_single_chain(4 * 10)
