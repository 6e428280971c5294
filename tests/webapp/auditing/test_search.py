"""The audit trail search: filters, pages of 25, two queries on the events table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from tests.webapp.auditing.conftest import role_user, shown

pytestmark = pytest.mark.django_db
URL = reverse("auditing:search")


def _seqs(response: Any) -> list[int]:
    return [event.seq for event in response.context["page_obj"].object_list]


def _names(response: Any, trail: dict[str, Any]) -> list[str]:
    """The trail's events on the page, by name, in page order."""
    names = {trail[name]: name for name in ("file", "status", "task")}
    return [names[seq] for seq in _seqs(response) if seq in names]


def test_the_search_lists_every_event_newest_first(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    response = auditor_client.get(URL)

    assert response.status_code == 200
    assert _names(response, trail) == ["task", "status", "file"]
    assert _seqs(response) == sorted(_seqs(response), reverse=True)
    assert "XF-2026-000077" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"case_number": "xf-2026-000077"}, ["status", "file"]),
        ({"actor": "reviewer_li"}, ["task", "file"]),
        ({"actor": "system:engine"}, ["status"]),
        ({"department": "SWJ"}, ["task"]),
        ({"action": "case."}, ["status", "file"]),
        ({"action": "task.complete"}, ["task"]),
        ({"action": "task.complete", "department": "SCJ"}, []),
    ],
)
def test_each_filter_narrows_the_events(
    auditor_client: Client,
    trail: dict[str, Any],
    query: dict[str, str],
    expected: list[str],
) -> None:
    response = auditor_client.get(URL, query)

    assert _names(response, trail) == expected
    assert len(_seqs(response)) == len(expected)


def test_a_subject_code_finds_the_events_of_its_cases(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    code = trail["subject"].code

    response = auditor_client.get(URL, {"subject": code.lower()})

    assert _seqs(response) == [trail["status"], trail["file"]]


def test_dates_are_whole_days_with_both_ends_included(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    today = timezone.localdate().isoformat()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    same_day = auditor_client.get(URL, {"date_from": today, "date_to": today})
    assert _names(same_day, trail) == ["task", "status", "file"]
    assert _seqs(auditor_client.get(URL, {"date_to": yesterday})) == []


def test_an_end_date_before_the_start_is_shown_beside_the_field(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    response = auditor_client.get(
        URL, {"date_from": "2026-06-02", "date_to": "2026-06-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


def test_a_search_without_results_says_what_to_try(
    auditor_client: Client,
) -> None:
    response = auditor_client.get(URL, {"case_number": "YY-2026-999999"})

    assert shown("No event matches these filters") in response.content.decode()


def test_results_come_in_pages_of_25(auditor_client: Client, reviewer: User) -> None:
    with transaction.atomic():
        claims = [
            record(action="task.claim", actor=reviewer, detail={"n": n}).seq
            for n in range(30)
        ]

    first = auditor_client.get(URL, {"action": "task.claim"})
    second = auditor_client.get(URL, {"action": "task.claim", "page": "2"})

    assert _seqs(first) == claims[::-1][:25]
    assert _seqs(second) == claims[::-1][25:]
    assert 'rel="next"' in first.content.decode()


def _queries(client: Client, query: dict[str, str]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    return len(statements), [s for s in statements if "audit_auditevent" in s]


def test_a_page_costs_one_query_and_a_count_whatever_its_size(
    auditor_client: Client, reviewer: User
) -> None:
    with transaction.atomic():
        record(action="task.claim", actor=reviewer, case_number="YY-2026-000001")
    few_total, few_events = _queries(auditor_client, {"action": "task."})
    with transaction.atomic():
        for number in range(40):
            record(action="task.claim", actor=reviewer, detail={"n": number})

    many_total, many_events = _queries(auditor_client, {"action": "task."})

    # The page, its count and the chain head (of the chain status block).
    assert len(many_events) == 3
    assert sum("COUNT(" in s.upper() for s in many_events) == 1
    assert many_total == few_total
    assert len(few_events) == 3


def test_a_system_administrator_may_search_too(trail: dict[str, Any]) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root"))

    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("groups", [("reviewer",), ("process_admin",), ()])
def test_people_who_do_not_audit_are_refused(groups: tuple[str, ...]) -> None:
    client = Client()
    client.force_login(role_user("someone", *groups))

    assert client.get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(db: None) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_the_search_page_changes_nothing_and_takes_no_posts(
    auditor_client: Client,
) -> None:
    assert auditor_client.post(URL).status_code == 405
