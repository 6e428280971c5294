"""A second append in one transaction reuses the chain head the first one wrote.

The remembered head must never outlive the event it names: a savepoint rolled
back after the append, a rolled-back or committed transaction, or another
connection's appends in between all make record() read the head again. These
tests also pin down the Django behaviour the shortcut relies on (the connection's
list of on-commit callbacks is replaced, not edited, on those occasions), so a
Django upgrade that changed it would fail here rather than fork the chain.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from audit.canonical import GENESIS_HASH
from audit.models import AuditEvent
from audit.services import record
from audit.verification import chain_verify

pytestmark = pytest.mark.django_db(transaction=True)


class Undo(Exception):
    """Raised inside a savepoint to roll it back."""


def _append(user: Any, step: str) -> AuditEvent:
    return record(action="task.complete", actor=user, detail={"step": step})


@transaction.atomic
def _append_then_fail(user: Any, step: str) -> None:
    _append(user, step)
    raise Undo


def _inserts(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]


def test_a_second_append_in_the_same_transaction_costs_one_insert(user: Any) -> None:
    with transaction.atomic():
        first = _append(user, "first")
        with CaptureQueriesContext(connection) as queries:
            second = _append(user, "second")

    assert len(queries.captured_queries) == 1
    assert len(_inserts(queries)) == 1
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    assert chain_verify().ok


def test_the_first_append_of_a_transaction_reads_the_head(user: Any) -> None:
    with transaction.atomic():
        _append(user, "earlier transaction")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        _append(user, "new transaction")

    head_reads = [q for q in queries.captured_queries if "ORDER BY" in q["sql"].upper()]
    assert len(head_reads) == 1


def test_an_append_after_a_rolled_back_savepoint_links_to_the_surviving_event(
    user: Any,
) -> None:
    with transaction.atomic():
        kept = _append(user, "kept")
        with pytest.raises(Undo):
            _append_then_fail(user, "undone")
        after = _append(user, "after the rollback")

    assert (after.seq, after.prev_hash) == (kept.seq + 1, kept.hash)
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2]
    assert chain_verify().ok


def test_an_append_after_a_manually_rolled_back_savepoint_links_correctly(
    user: Any,
) -> None:
    with transaction.atomic():
        kept = _append(user, "kept")
        savepoint = transaction.savepoint()
        _append(user, "undone")
        transaction.savepoint_rollback(savepoint)
        after = _append(user, "after the rollback")

    assert after.prev_hash == kept.hash
    assert chain_verify().ok


def test_an_append_after_a_released_savepoint_reuses_its_head(user: Any) -> None:
    with transaction.atomic():
        with transaction.atomic():
            inner = _append(user, "inside a savepoint")
        with CaptureQueriesContext(connection) as queries:
            outer = _append(user, "after its release")

    assert len(queries.captured_queries) == 1
    assert outer.prev_hash == inner.hash
    assert chain_verify().ok


def test_a_rolled_back_transaction_leaves_no_head_behind(user: Any) -> None:
    with pytest.raises(Undo):
        _append_then_fail(user, "rolled back")
    with transaction.atomic():
        first = _append(user, "the real first")

    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert chain_verify().ok


def test_appends_by_another_connection_between_transactions_are_seen(
    user: Any,
) -> None:
    with transaction.atomic():
        _append(user, "mine")

    def other_writer() -> None:
        try:
            with transaction.atomic():
                _append(user, "theirs")
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_writer)
    thread.start()
    thread.join()
    with transaction.atomic():
        last = _append(user, "mine again")

    theirs = AuditEvent.objects.get(seq=2)
    assert (last.seq, last.prev_hash) == (3, theirs.hash)
    assert chain_verify().ok


def test_django_replaces_the_commit_hook_list_only_where_the_shortcut_expects() -> None:
    with transaction.atomic():
        hooks = connection.run_on_commit
        with transaction.atomic():
            pass
        released_keeps_it = connection.run_on_commit is hooks
        with pytest.raises(Undo), transaction.atomic():
            raise Undo
        rollback_replaces_it = connection.run_on_commit is not hooks
    assert released_keeps_it
    assert rollback_replaces_it
    assert connection.run_on_commit is not hooks
