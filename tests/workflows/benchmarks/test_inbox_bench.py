"""The inbox benchmark's code, at a tiny scale: seeding, grants, timing, report."""

from __future__ import annotations

import pytest

from workflows.benchmarks.inbox import REVIEWER_GROUPS, measure, report, seed
from workflows.models import HumanTask
from workflows.selectors.tasks import task_list_for_user

pytestmark = pytest.mark.django_db


def test_seeds_tasks_the_reviewer_sees_through_the_grants_and_times_the_pages() -> None:
    reviewer, seconds = seed(200, 600)
    assert HumanTask.objects.open().count() == 200
    assert HumanTask.objects.filter(status="completed").count() == 600
    assert sorted(reviewer.groups.values_list("name", flat=True)) == sorted(
        REVIEWER_GROUPS
    )
    # The grants the runtime would have written make the tasks visible as usual.
    queue = task_list_for_user(reviewer, tab="queue")
    assert queue.exists()
    groups = set(queue.values_list("candidate_group__name", flat=True))
    assert groups <= set(REVIEWER_GROUPS)
    assert task_list_for_user(reviewer, tab="mine").exists()
    assert task_list_for_user(reviewer, tab="done").exists()

    timings = measure(reviewer, requests=3)
    assert [len(t.seconds) for t in timings] == [3, 3, 3]
    first, queue_page, _filtered = timings
    assert first.rows == min(25, task_list_for_user(reviewer, tab="mine").count())
    assert 0 < queue_page.rows == min(25, queue.count())
    assert all(0 < t.p50 <= t.p95 for t in timings)

    lines = report("sqlite", 200, 600, seconds, timings)
    assert lines[0].startswith("database: sqlite; open tasks: 200; done tasks: 600")
    assert any(line.startswith("inbox, filtered queue: 3 requests") for line in lines)
    assert lines[-1].startswith("machine load average")
