"""Real threads racing on one database: one completion wins, each timer fires once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.db import connections

from audit.models import AuditEvent
from audit.verification import chain_verify
from tests.workflows.services.conftest import open_task
from workflows.errors import ConflictError
from workflows.models import ElementLog, HumanTask, ProcessInstance
from workflows.services.tasks import task_complete
from workflows.services.timers import TimerReport, timers_fire_due

pytestmark = pytest.mark.django_db(transaction=True)
T = TypeVar("T")


def _run_at_once(calls: list[Callable[[], T]]) -> list[T | Exception]:
    """Run each call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[T | Exception] = [ConflictError("never ran")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as exc:  # handed back to the test thread
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _completion(task: HumanTask, actor: Any) -> Callable[[], HumanTask]:
    def complete() -> HumanTask:
        return task_complete(actor=actor, task_id=task.pk, data={"by": actor.username})

    return complete


def _race_to_complete(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    people: list[Any],
    rounds: int,
) -> None:
    deploy("review_request")
    for round_number in range(rounds):
        instance = start("review_request", f"RACE-{round_number}", {"amount": 2})
        task = open_task(instance, "review_application")

        outcomes = _run_at_once([_completion(task, who) for who in people])

        winners = [o for o in outcomes if isinstance(o, HumanTask)]
        losers = [o for o in outcomes if not isinstance(o, HumanTask)]
        assert len(winners) == 1, outcomes
        assert len(losers) == 1
        assert isinstance(losers[0], ConflictError), repr(losers[0])
        winner = winners[0].completed_by
        assert winner is not None
        assert f"already completed by {winner.get_username()}" in str(losers[0])
        task.refresh_from_db()
        assert task.completed_by == winner
        assert task.outcome == {"by": winner.get_username()}
        assert (
            AuditEvent.objects.filter(
                action="task.complete", target_id=str(task.pk)
            ).count()
            == 1
        )
        steps = Counter(
            ElementLog.objects.filter(instance=instance).values_list(
                "element_id", flat=True
            )
        )
        assert steps["review_application"] == steps["compute_score"] == 1
        assert HumanTask.objects.open().filter(instance=instance).count() == 1
    assert chain_verify().ok


@pytest.mark.postgres
def test_two_people_completing_one_task_at_once_on_postgresql_one_wins(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    colleague: Any,
) -> None:
    _race_to_complete(deploy, start, [reviewer, colleague], rounds=5)


@pytest.mark.skipif(
    settings.DATABASE_IS_POSTGRES, reason="the PostgreSQL variant runs instead"
)
def test_two_people_completing_one_task_at_once_on_sqlite_one_wins(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    colleague: Any,
) -> None:
    _race_to_complete(deploy, start, [reviewer, colleague], rounds=3)


def _fire_from_two_workers(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    clock: Any,
    count: int,
) -> None:
    deploy("answer_deadline")
    instances = [start("answer_deadline", f"DUE-{n}") for n in range(count)]
    clock.shift(timedelta(hours=2, seconds=1))

    reports = _run_at_once([timers_fire_due, timers_fire_due])

    assert all(isinstance(r, TimerReport) for r in reports), reports
    fired = [pk for r in reports if isinstance(r, TimerReport) for pk in r.fired]
    assert sorted(fired) == sorted(i.pk for i in instances)
    assert all(isinstance(r, TimerReport) and r.failed == [] for r in reports)
    per_instance = Counter(
        AuditEvent.objects.filter(action="timer.fire").values_list(
            "process_instance_id", flat=True
        )
    )
    assert per_instance == Counter({str(i.pk): 1 for i in instances})
    expired = Counter(
        ElementLog.objects.filter(element_id="answer_deadline_passed").values_list(
            "instance_id", flat=True
        )
    )
    assert expired == Counter({i.pk: 1 for i in instances})
    assert set(ProcessInstance.objects.values_list("status", flat=True)) == {
        ProcessInstance.Status.COMPLETED
    }
    assert chain_verify().ok


@pytest.mark.postgres
def test_two_timer_workers_at_once_on_postgresql_fire_each_timer_once(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], clock: Any
) -> None:
    _fire_from_two_workers(deploy, start, clock, count=12)


@pytest.mark.skipif(
    settings.DATABASE_IS_POSTGRES, reason="the PostgreSQL variant runs instead"
)
def test_two_timer_workers_at_once_on_sqlite_fire_each_timer_once(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], clock: Any
) -> None:
    _fire_from_two_workers(deploy, start, clock, count=6)
