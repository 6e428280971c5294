"""CSV export and the PDF report's context: audited, Excel-readable, verifiable."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from audit.exports import UTF8_BOM, csv_chunks, export_begin, export_csv, report_context
from audit.models import AuditEvent
from audit.selectors import audit_event_search
from audit.services import record
from tests.audit.support import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(db: None) -> Any:
    return get_user_model().objects.create_user(username="审计员张")


@pytest.fixture
def events(user: Any) -> list[AuditEvent]:
    with transaction.atomic():
        return _record_events(user)


def _record_events(user: Any) -> list[AuditEvent]:
    return [
        record(
            action="objection.submit",
            actor=user,
            target_type="credit.case",
            target_id="42",
            case_number="异议-2024-0001",
            process_instance_id="b1c2",
        ),
        record(action="task.complete", actor=user, case_number="异议-2024-0001"),
        record(action="timer.fire", actor=None, system="timers", case_number="X-1"),
    ]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_export_has_a_bom_chinese_text_and_one_row_per_event(
    events: list[AuditEvent], auditor: Any
) -> None:
    stream = io.BytesIO()

    count = export_csv(
        audit_event_search(case_number="异议-2024-0001"),
        stream,
        actor=auditor,
        filters={"case_number": "异议-2024-0001"},
    )

    data = stream.getvalue()
    assert data.startswith(UTF8_BOM.encode("utf-8"))
    header, first, second = _rows(data)
    assert count == 2
    assert header[:3] == ["seq", "time_shanghai", "time_utc"]
    assert first == [
        str(events[0].seq),
        events[0]
        .occurred_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        .isoformat(),
        events[0].occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "reviewer-li",
        "objection.submit",
        "credit.case:42",
        "异议-2024-0001",
        "",
        "b1c2",
        "test-request",
        "192.0.2.10",
        "test",
        events[0].hash,
    ]
    assert second[0] == str(events[1].seq)


def test_an_export_is_audited_with_its_filters_and_row_count_before_rows_leave(
    events: list[AuditEvent], auditor: Any
) -> None:
    export_csv(
        audit_event_search(action="task."),
        io.BytesIO(),
        actor=auditor,
        filters={"action": "task.", "date_from": dt.date(2024, 5, 1)},
    )

    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_label) == ("audit.export", "审计员张")
    assert event.detail == {
        "format": "csv",
        "filters": {"action": "task.", "date_from": "2024-05-01"},
        "rows": 1,
        "first_seq": events[1].seq,
        "last_seq": events[1].seq,
    }


def test_an_export_of_everything_leaves_out_its_own_event(
    events: list[AuditEvent], auditor: Any
) -> None:
    stream = io.BytesIO()

    count = export_csv(audit_event_search(), stream, actor=auditor)

    assert count == len(events)
    assert len(_rows(stream.getvalue())) == 1 + len(events)
    assert AuditEvent.objects.count() == len(events) + 1


def test_text_a_spreadsheet_would_run_as_a_formula_is_defused(db: None) -> None:
    hostile = get_user_model().objects.create_user(username="=HYPERLINK(1)")
    record(action="task.claim", actor=hostile, case_number="+1-2024")

    [_header, row] = _rows(b"".join(csv_chunks(audit_event_search())))

    assert (row[3], row[6]) == ("'=HYPERLINK(1)", "'+1-2024")


def test_csv_chunks_stream_in_pieces_that_join_to_the_whole_file(
    user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("audit.exports.CHUNK_SIZE", 2)
    for _ in range(5):
        record(action="task.claim", actor=user)

    chunks = list(csv_chunks(audit_event_search()))

    assert len(chunks) == 3
    assert len(_rows(b"".join(chunks))) == 6


def test_report_context_carries_the_range_the_head_hash_and_a_passing_check(
    events: list[AuditEvent], auditor: Any
) -> None:
    pinned = export_begin(
        audit_event_search(case_number="异议-2024-0001"),
        actor=auditor,
        export_format="pdf",
    )

    context = report_context(pinned.events)

    assert (context["rows"], context["first_seq"], context["last_seq"]) == (
        2,
        events[0].seq,
        events[1].seq,
    )
    assert context["range_head_hash"] == events[1].hash
    assert context["verified"] is True
    assert context["verification"].checked == 2
    export_event = AuditEvent.objects.get(action="audit.export")
    assert (context["chain_head_seq"], context["chain_head_hash"]) == (
        export_event.seq,
        export_event.hash,
    )
    assert [e.seq for e in context["events"]] == [events[0].seq, events[1].seq]


# Transactional: PostgreSQL refuses to disable triggers on a table that has deferred
# (foreign key) checks pending in the same transaction.
@pytest.mark.django_db(transaction=True)
def test_report_context_reports_a_broken_range(events: list[AuditEvent]) -> None:
    tamper(
        "UPDATE audit_auditevent SET action = %s WHERE seq = %s",
        ["task.claim", events[1].seq],
    )

    context = report_context(audit_event_search(case_number="异议-2024-0001"))

    assert context["verified"] is False
    assert context["verification"].broken_seq == events[1].seq


def test_report_context_of_an_empty_result_has_no_range(db: None) -> None:
    context = report_context(audit_event_search(case_number="none"))

    assert (context["rows"], context["first_seq"], context["verified"]) == (
        0,
        None,
        True,
    )
