"""The dashboard: who may read it, its figures (computed in SQL), its query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.credit.processes.conftest import World, work, world  # noqa: F401
from tests.webapp.notices.test_notifications_page import transaction_statements
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord
from workflows.errors import ForbiddenError
from workflows.models import HumanTask
from workflows.selectors.dashboard import (
    dashboard_check,
    open_cases_by_type_and_status,
    step_timings,
    task_load_by_department,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    """A clock on a Monday morning (2026-06-01 09:00 Shanghai) that moves when told."""
    from django.utils import timezone

    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=timezone.get_default_timezone())
    time_machine.move_to(start, tick=False)
    return time_machine


def browser(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend=BACKEND)
    return client


def objection(world: World, n: int) -> Case:  # noqa: F811
    """File an objection on a fresh copy of the world's record."""
    assert world.record is not None
    assert world.rep is not None
    record = CreditRecord.objects.get(pk=world.record.pk)
    record.pk = None
    record.decision_number = f"示罚〔2026〕{n}号"
    record.save()
    data = {"record": record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=world.rep, kind="objection", data=data)


def accept(world: World, case: Case) -> None:  # noqa: F811
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )


@pytest.mark.django_db
def test_credit_office_auditors_and_admins_may_read_others_may_not(
    world: World,  # noqa: F811
) -> None:
    auditor = User.objects.create_user("auditor_x")
    auditor.groups.add(Group.objects.get(name="auditor"))
    for allowed in (world["xyb_clerk"], world["xyb_head"], auditor, world.admin):
        dashboard_check(allowed)
    for refused in (world["scj_reviewer"], world.rep):
        assert refused is not None
        with pytest.raises(ForbiddenError):
            dashboard_check(refused)
    assert (
        browser(world["scj_reviewer"]).get(reverse("dashboard:index")).status_code
        == 403
    )
    anonymous = Client().get(reverse("dashboard:index"))
    assert anonymous.status_code == 302


@pytest.mark.django_db
def test_counts_open_cases_by_type_and_status_and_tasks_per_department(
    world: World,  # noqa: F811
    frozen: Any,
) -> None:
    first, second, _third = (objection(world, n) for n in range(3))
    accept(world, first)
    accept(world, second)

    counts = {(c.case_type, c.status): c.count for c in open_cases_by_type_and_status()}
    assert sum(counts.values()) == 3
    assert counts[("objection", "submitted")] == 1

    frozen.move_to(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC))  # every task late
    loads = {d.code: (d.open, d.overdue) for d in task_load_by_department()}
    assert loads == {"XYB": (1, 1), "SCJ": (2, 2)}  # formal check, then verification
    assert {d.code: d.name for d in task_load_by_department()}["SCJ"] == "市场监管局"


@pytest.mark.django_db
def test_median_handling_time_per_step_over_the_window(
    world: World,  # noqa: F811
    frozen: Any,
) -> None:
    cases = [objection(world, n) for n in range(3)]
    for hours, case in zip((1, 2, 10), cases, strict=True):
        frozen.shift(hours * HOUR)
        accept(world, case)  # formal checks done after 1, 3 and 13 hours

    timings = step_timings(30)
    by_step = {s.element_id: s for s in timings.steps}
    assert by_step["formal_check"].completed == 3
    assert by_step["formal_check"].median_hours == 3.0
    assert by_step["formal_check"].process_id
    assert not timings.sampled

    frozen.shift(dt.timedelta(days=40))
    assert step_timings(30).steps == []
    assert step_timings(90).steps[0].median_hours == 3.0


@pytest.mark.django_db
def test_page_shows_charts_data_and_tables_in_a_fixed_number_of_queries(
    world: World,  # noqa: F811
    frozen: Any,
    django_assert_num_queries: Any,
) -> None:
    for n in range(4):
        accept(world, objection(world, n))
    client = browser(world["xyb_clerk"])
    # session, user, groups, credit-office check, 4 for the figures, departments
    # (header), unread badge, session refresh
    with django_assert_num_queries(11 + transaction_statements()):
        response = client.get(reverse("dashboard:index"), {"days": "90"})
    body = response.content.decode()
    assert response.status_code == 200
    for source in ("open-cases-data", "load-data", "steps-data"):
        assert f'data-source="{source}"' in body
        assert f'<script id="{source}" type="application/json">' in body
    assert "Median handling time per step" in body
    assert 'aria-current="page">Last 90 days' in body
    assert HumanTask.objects.filter(status="completed").count() == 4
    assert connection.vendor in {"sqlite", "postgresql"}
