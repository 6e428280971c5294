"""The task inbox: tabs with exact counts, filters, due states, order, pages, htmx."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.credit.processes.conftest import World, work
from tests.credit.processes.test_redlist_support import clean_subject, nominate
from tests.webapp.inbox.conftest import new_record, new_subject, signed_in
from workflows.models import HumanTask
from workflows.selectors.inbox import (
    BASIC_TABS,
    InboxFilters,
    due_clock,
    inbox_page,
)
from workflows.selectors.tasks import task_list_for_user
from workflows.services.tasks import task_claim

URL = reverse("inbox:list")
ROW = re.compile(r'<tr class="task-row task-(\w+)" data-task="([0-9a-f-]+)"')


def local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    zone = timezone.get_default_timezone()
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)


def rows(html: bytes) -> list[tuple[str, str]]:
    """(due state, task id) of each row the page shows, in order."""
    return [(state, pk) for state, pk in ROW.findall(html.decode())]


def counts(html: bytes) -> dict[str, int]:
    found = re.findall(r'data-count="(\w+)">(\d+)<', html.decode())
    return {tab: int(n) for tab, n in found}


def formal_checks(
    world: World, objections: Any, n: int, **record: Any
) -> list[HumanTask]:
    cases = objections(n, **record)
    return [
        HumanTask.objects.get(case_number=c.number, element_id="formal_check")
        for c in cases
    ]


def test_each_tab_lists_its_tasks_and_every_tab_shows_its_exact_count(
    world: World, objections: Any
) -> None:
    clerk = world["xyb_clerk"]
    tasks = formal_checks(world, objections, 4)
    task_claim(actor=clerk, task_id=tasks[0].pk)
    work(clerk, tasks[1].case_number, "formal_check", {"formal_check_result": "accept"})
    client = signed_in(clerk)

    # Filed at the same frozen moment: equal due times, so the ids break the tie.
    queue = sorted(tasks[2:], key=lambda t: str(t.pk))
    expected = {"mine": [tasks[0]], "queue": queue, "done": [tasks[1]]}
    for tab, wanted in expected.items():
        page = client.get(URL, {"tab": tab})
        assert page.status_code == 200
        assert counts(page.content) == {"mine": 1, "queue": 2, "done": 1}
        assert [pk for _s, pk in rows(page.content)] == [str(t.pk) for t in wanted]
        assert (
            'aria-current="page" data-tab-link="' + tab + '"' in page.content.decode()
        )
    # The counts are those of the permission selector's own lists.
    for tab in BASIC_TABS:
        assert task_list_for_user(clerk, tab=tab).count() == len(expected[tab])


def test_the_first_tab_is_my_tasks_and_an_unknown_tab_falls_back_to_it(
    world: World, objections: Any
) -> None:
    clerk = world["xyb_clerk"]
    task_claim(actor=clerk, task_id=formal_checks(world, objections, 1)[0].pk)
    for query in ({}, {"tab": "everything"}):
        page = signed_in(clerk).get(URL, query)
        assert 'aria-current="page" data-tab-link="mine"' in page.content.decode()
        assert len(rows(page.content)) == 1


def test_section_chiefs_also_get_every_open_task_they_may_see(
    world: World, objections: Any
) -> None:
    formal_checks(world, objections, 2)
    chief = world["xyb_section_chief"]
    page = signed_in(chief).get(URL, {"tab": "all"})
    open_tasks = task_list_for_user(chief, tab="all").filter(
        status__in=HumanTask.OPEN_STATUSES
    )
    assert counts(page.content)["all"] == open_tasks.count() == 2
    assert len(rows(page.content)) == 2
    # A reviewer has no such tab.
    reviewer_page = signed_in(world["xyb_clerk"]).get(URL)
    assert "all" not in counts(reviewer_page.content)


@pytest.fixture
def mixed(world: World, objections: Any, frozen: Any) -> dict[str, HumanTask]:
    """The clerk's queue: objections of SCJ and SWJ, another subject, a red list."""
    scj = formal_checks(world, objections, 2)
    swj = formal_checks(world, objections, 1, department="SWJ")[0]
    other = new_subject(world, "华信商贸有限公司", 1)
    traded = world_objection(world, new_record(world, subject=other))
    redlist = nominate(world, clean_subject(world))
    nomination = HumanTask.objects.get(
        case_number=redlist.number, element_id="review_nomination"
    )
    return {
        "scj0": scj[0],
        "scj1": scj[1],
        "swj": swj,
        "other": traded,
        "redlist": nomination,
    }


def world_objection(world: World, record: Any) -> HumanTask:
    from tests.webapp.inbox.conftest import file_objection

    case = file_objection(world, record)
    return HumanTask.objects.get(case_number=case.number, element_id="formal_check")


def _queue(world: World, **filters: str) -> list[HumanTask]:
    page = inbox_page(world["xyb_clerk"], tab="queue", filters=InboxFilters(**filters))
    assert page.counts["queue"] == len(page.rows)
    return page.rows


def test_each_filter_narrows_the_queue_and_its_count(
    world: World, mixed: dict[str, HumanTask]
) -> None:
    assert len(_queue(world)) == 5
    assert _queue(world, case_type="redlist") == [mixed["redlist"]]
    assert mixed["redlist"] not in _queue(world, case_type="objection")
    assert _queue(world, department="SWJ") == [mixed["swj"]]
    assert _queue(world, subject="华信") == [mixed["other"]]
    assert _queue(world, subject=mixed["other"].subject_code[-6:]) == [mixed["other"]]
    number = mixed["scj1"].case_number
    assert _queue(world, case_number=number[-3:]) == [mixed["scj1"]]
    assert _queue(world, case_number=number.lower()) == [mixed["scj1"]]
    assert _queue(world, department="SWJ", case_type="redlist") == []


def test_the_filter_form_narrows_the_page_and_keeps_the_filters_in_the_tab_links(
    world: World, mixed: dict[str, HumanTask]
) -> None:
    page = signed_in(world["xyb_clerk"]).get(
        URL, {"tab": "queue", "department": "SWJ", "case_type": "objection"}
    )
    html = page.content.decode()
    assert [pk for _s, pk in rows(page.content)] == [str(mixed["swj"].pk)]
    assert counts(page.content) == {"mine": 0, "queue": 1, "done": 0}
    assert '?tab=mine&amp;case_type=objection&amp;department=SWJ"' in html
    assert "filtered" in html
    # A value that is not a choice is ignored, not an error.
    page = signed_in(world["xyb_clerk"]).get(URL, {"tab": "queue", "due": "yesterday"})
    assert len(rows(page.content)) == 5


def test_due_states_follow_the_working_day_calendar(
    world: World, objections: Any, frozen: Any
) -> None:
    """Two working days from Wednesday 17 June 2026 end on Monday 22 June: the
    Dragon Boat Festival (Friday 19) and the weekend do not count."""
    tasks = formal_checks(world, objections, 5)
    dues = [
        local(2026, 6, 17, 8, 59, 59),  # overdue by a second
        local(2026, 6, 17, 9, 0, 0),  # due this very moment: not overdue yet
        local(2026, 6, 22, 23, 59, 59),  # the end of the second working day
        local(2026, 6, 23, 0, 0, 0),  # a second later: on time
        None,  # no deadline: on time
    ]
    for task, due in zip(tasks, dues, strict=True):
        HumanTask.objects.filter(pk=task.pk).update(due_at=due)
    frozen.move_to(local(2026, 6, 17, 9, 0, 0))

    clock = due_clock()
    assert clock.soon_until == local(2026, 6, 22, 23, 59, 59)
    ids = [t.pk for t in tasks]
    assert [t.pk for t in _queue(world, due="overdue")] == ids[:1]
    assert [t.pk for t in _queue(world, due="soon")] == ids[1:3]
    assert [t.pk for t in _queue(world, due="on_time")] == ids[3:]

    page = signed_in(world["xyb_clerk"]).get(URL, {"tab": "queue"})
    assert [state for state, _pk in rows(page.content)] == [
        "overdue",
        "soon",
        "soon",
        "on_time",
        "on_time",
    ]
    html = page.content.decode()
    assert html.count('class="badge badge-danger">Overdue<') == 1
    assert html.count('class="badge badge-warning">Due soon<') == 2


def test_the_boundary_is_computed_once_per_request(
    world: World, objections: Any
) -> None:
    formal_checks(world, objections, 3)
    client = signed_in(world["xyb_clerk"])
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"tab": "queue", "due": "soon"})
    calendar = [q for q in queries if "workdays_calendaroverride" in q["sql"]]
    assert len(calendar) == 1


def test_pages_of_25_in_due_order_earliest_first_or_latest_first(
    world: World, objections: Any
) -> None:
    tasks = formal_checks(world, objections, 27)
    base = local(2026, 7, 1, 12)
    for n, task in enumerate(tasks):
        HumanTask.objects.filter(pk=task.pk).update(due_at=base + dt.timedelta(hours=n))
    client = signed_in(world["xyb_clerk"])
    ids = [str(t.pk) for t in tasks]

    first = client.get(URL, {"tab": "queue"})
    second = client.get(URL, {"tab": "queue", "page": "2"})
    assert [pk for _s, pk in rows(first.content)] == ids[:25]
    assert [pk for _s, pk in rows(second.content)] == ids[25:]
    assert "Page 1 of 2" in first.content.decode()
    assert counts(second.content)["queue"] == 27
    latest = client.get(URL, {"tab": "queue", "sort": "-due"})
    assert [pk for _s, pk in rows(latest.content)] == ids[::-1][:25]
    # Past the last page: the last page, not an error.
    beyond = client.get(URL, {"tab": "queue", "page": "9"})
    assert [pk for _s, pk in rows(beyond.content)] == ids[25:]


def test_htmx_gets_the_results_only_and_the_messages_out_of_band(
    world: World, objections: Any
) -> None:
    formal_checks(world, objections, 2)
    client = signed_in(world["xyb_clerk"])
    fragment = client.get(
        URL,
        {"tab": "queue"},
        headers={"HX-Request": "true", "HX-Target": "inbox-results"},
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.startswith('<div id="inbox-results"')
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in fragment["Vary"]
    restore = {
        "HX-Request": "true",
        "HX-History-Restore-Request": "true",
        "HX-Target": "inbox-results",
    }
    full = client.get(URL, {"tab": "queue"}, headers=restore)
    assert "<html" in full.content.decode()


def test_rows_work_with_the_keyboard_and_screen_readers(
    world: World, objections: Any
) -> None:
    task = formal_checks(world, objections, 1)[0]
    html = signed_in(world["xyb_clerk"]).get(URL, {"tab": "queue"}).content.decode()
    # A real link to the task, a labelled checkbox, a real button per row.
    assert f'<a href="/tasks/{task.pk}/">' in html
    assert f'<label for="pick-{task.pk}" class="visually-hidden">Select ' in html
    assert f'id="pick-{task.pk}"' in html
    assert f'name="task" value="{task.pk}">Claim' in html
    for label in ("Case type", "Department", "Due", "Subject name or code"):
        assert f">{label}:</label>" in html


def test_an_empty_inbox_says_what_to_do_next(world: World) -> None:
    html = signed_in(world["xyb_clerk"]).get(URL).content.decode()
    assert "You hold no open task." in html
    assert "Claim tasks from your group queue" in html


def test_the_page_costs_the_same_queries_for_three_tasks_or_thirty(
    world: World, objections: Any, django_assert_num_queries: Any
) -> None:
    formal_checks(world, objections, 3)
    client = signed_in(world["xyb_clerk"])
    client.get(URL, {"tab": "queue"})  # sessions, caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"tab": "queue"})
    assert len(few) <= 18, "\n".join(q["sql"][:150] for q in few)
    formal_checks(world, objections, 27)
    with django_assert_num_queries(len(few)):
        page = client.get(URL, {"tab": "queue"})
    assert len(rows(page.content)) == 25
    # One query counts every tab.
    counting = [q for q in few if "COUNT(" in q["sql"] and "humantask" in q["sql"]]
    assert len(counting) == 1


def test_signing_in_is_required(client: Any, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=/tasks/" in response["Location"]
