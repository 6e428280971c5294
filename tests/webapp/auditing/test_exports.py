"""Exports of a search: CSV streamed, a PDF report; each one audited first."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from audit.verification import chain_verify
from tests.webapp.auditing.conftest import audit_actions_since

pytestmark = pytest.mark.django_db
CSV_URL = reverse("auditing:export_csv")
PDF_URL = reverse("auditing:export_pdf")


def _last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]


def test_a_csv_export_streams_the_searched_events_in_chain_order(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    response = auditor_client.post(CSV_URL, {"case_number": "XF-2026-000077"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = f"audit-events-{trail['file']}-{trail['status']}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(row["seq"]) for row in rows] == [trail["file"], trail["status"]]
    assert rows[1]["actor"] == "system:engine"


def test_a_csv_export_is_recorded_with_who_what_and_how_many(
    auditor_client: Client, auditor: User, trail: dict[str, Any]
) -> None:
    before = _last_seq()

    response = auditor_client.post(CSV_URL, {"action": "case.", "department": "SCJ"})
    response.getvalue()

    assert audit_actions_since(before) == ["audit.export"]
    event = AuditEvent.objects.get(action="audit.export")
    assert event.actor == auditor
    assert event.detail == {
        "format": "csv",
        "filters": {"action": "case.", "department": "SCJ"},
        "rows": 2,
        "first_seq": trail["file"],
        "last_seq": trail["status"],
    }
    assert (event.ip, event.via) == ("127.0.0.1", "web")


def test_a_pdf_report_carries_the_range_its_hash_and_its_verification(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    before = _last_seq()

    response = auditor_client.post(PDF_URL, {"case_number": "XF-2026-000077"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert (
        f"audit-report-{trail['file']}-{trail['status']}-"
        in response["Content-Disposition"]
    )
    assert audit_actions_since(before) == ["audit.export"]
    assert AuditEvent.objects.get(action="audit.export").detail["format"] == "pdf"


def test_the_pdf_report_states_range_hashes_and_result(
    auditor_client: Client,
    trail: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    settings.PUBLIC_BASE_URL = "https://credit.example.gov.cn/"
    seen: dict[str, Any] = {}

    def capture(context: dict[str, Any]) -> bytes:
        from notifications.documents.audit_report import audit_report_html

        seen["html"] = audit_report_html(context)
        seen.update(context)
        return b"%PDF-1.7 test"

    monkeypatch.setattr("webapp.auditing.views.exports.audit_report_pdf", capture)

    auditor_client.post(PDF_URL, {"case_number": "XF-2026-000077"})

    status_hash = AuditEvent.objects.get(seq=trail["status"]).hash
    assert (seen["first_seq"], seen["last_seq"], seen["rows"]) == (
        trail["file"],
        trail["status"],
        2,
    )
    assert seen["range_head_hash"] == status_hash
    assert seen["verified"] is True
    assert [value for _label, value in seen["filters"]] == ["XF-2026-000077"]
    html = seen["html"]
    assert status_hash in html
    assert f"{trail['file']} \u2013 {trail['status']}" in html
    assert "通过 OK" in html
    assert seen["chain_head_hash"] in html
    assert "https://credit.example.gov.cn/audit/public-key.pem" in html


def test_a_pdf_of_more_events_than_a_report_holds_is_refused_before_any_export(
    auditor_client: Client, trail: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("webapp.auditing.views.exports.MAX_ROWS", 1)
    before = _last_seq()

    response = auditor_client.post(PDF_URL, {"action": "case."})

    assert response.status_code == 302
    assert response["Location"] == reverse("auditing:search") + "?action=case."
    assert audit_actions_since(before) == []


def test_exports_are_posts_and_for_auditors_only(
    client: Client, reviewer: User, auditor_client: Client, trail: dict[str, Any]
) -> None:
    client.force_login(reviewer)
    before = _last_seq()

    assert auditor_client.get(CSV_URL).status_code == 405
    assert auditor_client.get(PDF_URL).status_code == 405
    assert client.post(CSV_URL).status_code == 403
    assert client.post(PDF_URL).status_code == 403
    assert audit_actions_since(before) == []


def test_invalid_filters_export_nothing(
    auditor_client: Client, trail: dict[str, Any]
) -> None:
    before = _last_seq()

    response = auditor_client.post(CSV_URL, {"date_from": "not a date"})

    assert response.status_code == 400
    assert audit_actions_since(before) == []
    assert chain_verify().ok
