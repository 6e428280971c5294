"""A case's full audit timeline with what each event changed, and the chain status."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.verification import verification_run
from tests.webapp.auditing.conftest import shown

pytestmark = pytest.mark.django_db


def _url(number: str) -> str:
    return reverse("auditing:case", args=[number])


def test_the_timeline_shows_each_event_of_the_case_in_chain_order(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    response = auditor_client.get(_url("XF-2026-000077"))

    items = response.context["items"]
    assert [item.event.seq for item in items] == [trail["file"], trail["status"]]
    assert [item.event.action for item in items] == ["case.file", "case.status"]


def test_each_event_shows_its_field_changes_before_and_after(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    response = auditor_client.get(_url("XF-2026-000077"))

    filed, status = response.context["items"]
    assert [(c.field, c.kind, c.before, c.after) for c in filed.changes] == [
        ("reason", "added", "", "已整改"),
        ("status", "added", "", "submitted"),
    ]
    assert [(c.field, c.kind, c.before, c.after) for c in status.changes] == [
        ("deadline.acceptance", "changed", "2026-06-05", "null"),
        ("status", "changed", "submitted", "accepted"),
    ]
    page = response.content.decode()
    assert "<del>submitted</del>" in page
    assert "<ins>accepted</ins>" in page


def test_an_unknown_case_has_an_empty_timeline_that_says_so(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    response = auditor_client.get(_url("YY-2026-999999"))

    assert response.status_code == 200
    assert shown("No events recorded for this case") in response.content.decode()


def test_the_timeline_is_one_query_on_the_events_whatever_its_length(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    with CaptureQueriesContext(connection) as captured:
        auditor_client.get(_url("XF-2026-000077"))

    on_events = [q for q in captured if "audit_auditevent" in q["sql"]]
    # The timeline, and the chain head of the status block.
    assert len(on_events) == 2


def test_every_workspace_page_shows_who_verified_the_chain_last_and_the_result(
    auditor_client: Client, auditor: User, trail: dict[str, Any]
) -> None:
    verification_run(actor=auditor)

    pages = [
        auditor_client.get(reverse("auditing:search")),
        auditor_client.get(_url("XF-2026-000077")),
    ]

    for response in pages:
        chain = response.context["chain"]
        assert chain.latest_verification.actor_label == "auditor_wang"
        html = response.content.decode()
        assert 'class="badge badge-success"' in html
        assert "auditor_wang" in html
        assert (
            timezone.localtime(chain.latest_verification.finished_at).strftime(
                "%Y-%m-%d %H:%M"
            )
            in html
        )


def test_a_chain_never_verified_says_so(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    response = auditor_client.get(reverse("auditing:search"))

    assert response.context["chain"].latest_verification is None
    assert response.context["chain"].head_seq >= trail["task"]


def test_other_roles_may_not_read_a_case_timeline(
    client: Client, reviewer: User, trail: dict[str, Any]
) -> None:
    client.force_login(reviewer)

    assert client.get(_url("XF-2026-000077")).status_code == 403
