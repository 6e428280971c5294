"""Auditors' reads: search by each filter in one query, a case's timeline with diffs."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from audit.selectors import audit_event_search, case_timeline, field_changes
from audit.services import record

pytestmark = pytest.mark.django_db
ALL = ["claim", "complete", "timer"]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 5, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def events(user: Any) -> dict[str, AuditEvent]:
    chief = get_user_model().objects.create_user(username="chief-wang")
    made: dict[str, AuditEvent] = {}
    with time_machine.travel(_at(1, 10), tick=False):
        made["claim"] = record(
            action="task.claim",
            actor=user,
            target_type="workflows.humantask",
            target_id="17",
            case_number="YY-2024-0001",
            department_code="FGW",
        )
    with time_machine.travel(_at(2, 23, 30), tick=False):
        made["complete"] = record(
            action="task.complete",
            actor=chief,
            target_type="workflows.humantask",
            target_id="17",
            case_number="YY-2024-0001",
            department_code="FGW",
            before={"status": "claimed"},
            after={"status": "completed"},
        )
    with time_machine.travel(_at(3, 0, 30), tick=False):
        made["timer"] = record(
            action="timer.fire",
            actor=None,
            system="timers",
            case_number="YY-2024-0002",
            department_code="SCJGJ",
        )
    return made


def _seqs(**filters: Any) -> list[int]:
    return list(audit_event_search(**filters).values_list("seq", flat=True))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ALL),
        ({"case_number": "YY-2024-0001"}, ["claim", "complete"]),
        ({"case_numbers": ["YY-2024-0002", "YY-2024-0404"]}, ["timer"]),
        ({"actor": "reviewer-li"}, ["claim"]),
        ({"actor": "system:timers"}, ["timer"]),
        ({"target_type": "workflows.humantask"}, ["claim", "complete"]),
        (
            {"target_type": "workflows.humantask", "target_id": "17"},
            ["claim", "complete"],
        ),
        ({"action": "task."}, ["claim", "complete"]),
        ({"action": "task.complete"}, ["complete"]),
        ({"action": "task"}, []),
        ({"department": "SCJGJ"}, ["timer"]),
        ({"date_from": dt.date(2024, 5, 2)}, ["complete", "timer"]),
        ({"date_to": dt.date(2024, 5, 2)}, ["claim", "complete"]),
        ({"date_from": _at(2, 23, 30), "date_to": _at(3, 0, 30)}, ["complete"]),
        (
            {"case_number": "", "actor": "", "department": ""},
            ["claim", "complete", "timer"],
        ),
        ({"department": "FGW", "actor": "chief-wang"}, ["complete"]),
    ],
)
def test_search_filters_in_one_query_in_chain_order(
    events: dict[str, AuditEvent],
    django_assert_num_queries: Any,
    filters: dict[str, Any],
    expected: list[str],
) -> None:
    with django_assert_num_queries(1):
        found = _seqs(**filters)

    assert found == [events[name].seq for name in expected]


def test_search_by_a_subject_uses_a_subquery_of_case_numbers_in_the_same_query(
    events: dict[str, AuditEvent], django_assert_num_queries: Any
) -> None:
    numbers = AuditEvent.objects.filter(department_code="SCJGJ").values_list(
        "case_number", flat=True
    )

    with django_assert_num_queries(1):
        found = _seqs(case_numbers=numbers)

    assert found == [events["timer"].seq]


def test_search_refuses_naive_datetimes(db: None) -> None:
    with pytest.raises(ValueError, match="aware"):
        audit_event_search(date_from=dt.datetime(2024, 5, 1))  # noqa: DTZ001


def test_a_case_timeline_lists_its_events_with_what_each_changed(
    events: dict[str, AuditEvent], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        timeline = case_timeline("YY-2024-0001")

    assert [entry.event.seq for entry in timeline] == [
        events["claim"].seq,
        events["complete"].seq,
    ]
    assert timeline[0].changes == ()
    [change] = timeline[1].changes
    assert (change.field, change.kind, change.before, change.after) == (
        "status",
        "changed",
        "claimed",
        "completed",
    )


def test_field_changes_name_added_removed_changed_and_nested_fields() -> None:
    changes = field_changes(
        {"status": "draft", "grade": "A", "subject": {"name": "甲公司", "code": "91"}},
        {
            "status": "draft",
            "note": "补正",
            "subject": {"name": "乙公司", "code": "91"},
        },
    )

    assert [(c.field, c.kind, c.before, c.after) for c in changes] == [
        ("grade", "removed", "A", None),
        ("note", "added", None, "补正"),
        ("subject.name", "changed", "甲公司", "乙公司"),
    ]


def test_field_changes_of_a_creation_list_every_field_as_added() -> None:
    changes = field_changes(None, {"b": 1, "a": [1, 2]})

    assert [(c.field, c.kind) for c in changes] == [("a", "added"), ("b", "added")]
