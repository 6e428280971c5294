"""Benchmark: print N official documents of each kind to PDF (`make bench-documents`).

Runs inside a throw-away test database (the command creates and drops it): it
writes sample cases and documents with the payloads their processes write, then
times :func:`notifications.documents.pdf.document_pdf` (HTML layout and WeasyPrint,
the whole of what the render task does apart from storing the file).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
import zlib
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from notifications.documents.pdf import document_pdf
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    Document,
    ListEntry,
    Measure,
    Subject,
)
from workflows.credit.operations.lists import REMEDIES as LIST_REMEDIES
from workflows.credit.operations.repair import REAPPLY, REMEDIES

DUE = "2026-05-20T23:59:59+08:00"
LISTING = "SCJ信列决〔2026〕1号"
# A PDF page object; "/Type /Pages" (the page tree) is not one.
PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


@dataclass(frozen=True, slots=True)
class KindFigures:
    """Timings of one document kind."""

    kind: str
    count: int
    mean: float
    p50: float
    p95: float
    pages: int
    size: int


@dataclass
class Samples:
    """The rows every sample document hangs off."""

    office: Department
    source: Department
    implementing: Department
    subject: Subject
    record: CreditRecord
    entry: ListEntry
    measures: list[dict[str, str]]
    serial: int = 0


def samples() -> Samples:
    """Create the departments, subject, record, list entry and measure."""
    office = Department.objects.create(
        code="XYB", name="示例市公共信用信息中心", jurisdiction="national",
        is_credit_office=True,
    )  # fmt: skip
    source = Department.objects.create(
        code="SCJ", name="示例市市场监督管理局", jurisdiction="national", is_source=True
    )
    implementing = Department.objects.create(
        code="SWJ", name="示例市税务局", jurisdiction="national", is_implementing=True
    )
    subject = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON,
        name="示例科技有限公司",
        code="91350100M000100Y43",
        legal_representative="张三",
    )
    record = CreditRecord.objects.create(
        subject=subject,
        source_department=source,
        category=CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        grade=CreditRecord.Grade.GENERAL,
        regime="ndrc_2025_36",
        jurisdiction="national",
        decision_number="示市监罚〔2026〕13号",
        decision_date=dt.date(2026, 1, 5),
        content={"fine": 5000},
    )
    entry = ListEntry.objects.create(
        list_type=ListEntry.ListType.SERIOUS_DISHONESTY,
        subject=subject,
        deciding_department=source,
        basis="国办发〔2020〕49号（六）拒不履行法定义务：逾期未缴纳罚款",
    )
    measure = Measure.objects.create(
        code="SWJ-01",
        name="限制参与政府采购活动",
        kind=Measure.Kind.MANDATORY,
        implementing_department=implementing,
        list_types=Measure.encode_list_types([entry.list_type]),
        legal_basis="国办发〔2020〕49号",
    )
    measures = [
        {
            "code": measure.code,
            "name": measure.name,
            "kind": measure.kind,
            "department": implementing.code,
        }
    ]
    return Samples(office, source, implementing, subject, record, entry, measures)


def _record_payload(record: CreditRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "decision_number": record.decision_number,
        "decision_date": "2026-01-05",
        "category": record.category,
        "grade": record.grade,
    }


def _payloads(s: Samples) -> dict[str, tuple[str, Department, dict[str, Any]]]:
    """Case type, issuing department and payload of each kind, as processes write."""
    entry, valid = s.entry, {"valid_from": "2026-05-07", "valid_to": "2027-05-06"}
    return {
        Document.Kind.ACCEPTANCE: (
            Case.Type.OBJECTION,
            s.office,
            {"verify_due": DUE, "measures_suspended": True},
        ),
        Document.Kind.NON_ACCEPTANCE: (
            Case.Type.REPAIR,
            s.source,
            {
                "outcome": "not_accepted",
                "reason": "申请人尚未缴清罚款，不符合信用修复条件",
                "remedies": [REAPPLY, REMEDIES],
            },
        ),
        Document.Kind.SUPPLEMENT_REQUEST: (
            Case.Type.OBJECTION,
            s.office,
            {"missing": ["营业执照复印件", "异议事项的证明材料"], "due": DUE},
        ),
        Document.Kind.OBJECTION_DECISION: (
            Case.Type.OBJECTION,
            s.office,
            {
                "outcome": "correct",
                "findings": "该行政处罚信息中罚款金额录入有误，应为5000元",
                "appeal_until": DUE,
            },
        ),
        Document.Kind.REPAIR_DECISION: (
            Case.Type.REPAIR,
            s.source,
            {
                "outcome": "approved",
                "record": _record_payload(s.record),
                "reasons": [],
                "remedies": [REMEDIES],
                "sync": [
                    {
                        "platform": "credit_china",
                        "name": "信用中国网站",
                        "synced_at": "2026-05-08T10:00:00+08:00",
                    }
                ],
            },
        ),
        Document.Kind.PRIOR_NOTICE: (
            Case.Type.LIST_ENTRY,
            s.source,
            {
                "list_type": entry.list_type,
                "basis": entry.basis,
                "evidence": ["示市监罚〔2026〕13号行政处罚决定书", "催告书送达回证"],
                "statement_due": DUE,
                "rights": "陈述、申辩",
            },
        ),
        Document.Kind.LISTING_DECISION: (
            Case.Type.LIST_ENTRY,
            s.source,
            {
                "list_type": entry.list_type,
                "basis": entry.basis,
                "reasons": "当事人经催告后仍拒不缴纳罚款5000元",
                "measures": s.measures,
                "removal_conditions": "",
                **valid,
                "remedies": LIST_REMEDIES,
                "signed_by": "head-li",
            },
        ),
        Document.Kind.EXIT_DECISION: (
            Case.Type.LIST_EXIT,
            s.source,
            {
                "list_type": entry.list_type,
                "listing": LISTING,
                "reason": ListEntry.ExitReason.REPAIR,
                **valid,
                "remedies": LIST_REMEDIES,
            },
        ),
        Document.Kind.REPAIR_NOTICE: (
            Case.Type.LIST_ENTRY,
            s.source,
            {"listing": LISTING, "earliest": "2026-08-07"},
        ),
        Document.Kind.MEASURES_NOTICE: (
            Case.Type.LIST_ENTRY,
            s.source,
            {
                "listing": LISTING,
                "list_type": entry.list_type,
                "departments": [s.implementing.code],
                "measures": s.measures,
                "feedback_due": DUE,
            },
        ),
    }


def sample_document(s: Samples, kind: str) -> Document:
    """Create one issued document of a kind on a case of its own."""
    case_type, department, payload = _payloads(s)[kind]
    s.serial += 1
    on_list = case_type in (Case.Type.LIST_ENTRY, Case.Type.LIST_EXIT)
    case = Case.objects.create(
        case_type=case_type,
        number=f"BM-2026-{s.serial:06d}",
        subject=s.subject,
        target_record=None if on_list else s.record,
        target_list_entry=s.entry if on_list else None,
        regime="ndrc_2025_36",
        jurisdiction="national",
        status=Case.Status.SUBMITTED,
        submitted_at=timezone.now(),
        grounds=Case.Grounds.RECORD_WRONG if case_type == Case.Type.OBJECTION else "",
    )
    return Document.objects.create(
        case=case,
        kind=kind,
        number=f"{department.code}BM〔2026〕{s.serial}号",
        issuing_department=department,
        issued_at=timezone.now(),
        status=Document.Status.ISSUED,
        payload=payload,
    )


def pages_of(pdf: bytes) -> int:
    """Count the page objects of a PDF, looking inside compressed object streams."""
    count = len(PAGE.findall(pdf))
    for match in STREAM.finditer(pdf):
        try:
            count += len(PAGE.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue  # an image or font stream, not objects
    return count


def render_kind(s: Samples, kind: str, count: int) -> KindFigures:
    """Render ``count`` documents of a kind; return their timings."""
    seconds, pages, size = [], 0, 0
    for _ in range(count):
        document = sample_document(s, kind)
        started = time.perf_counter()
        pdf = document_pdf(document)
        seconds.append(time.perf_counter() - started)
        pages, size = pages_of(pdf), len(pdf)
    ordered = sorted(seconds)
    return KindFigures(
        kind=kind,
        count=count,
        mean=statistics.fmean(ordered),
        p50=statistics.median(ordered),
        p95=ordered[int(0.95 * (len(ordered) - 1))],
        pages=pages,
        size=size,
    )


def report_lines(figures: list[KindFigures], load: str) -> list[str]:
    """Format the table `make bench-documents` prints."""
    lines = [
        f"{load}",
        f"{'kind':<20} {'n':>4} {'mean s':>8} {'p50 s':>8} {'p95 s':>8} "
        f"{'pages':>6} {'KiB':>6}",
    ]
    for f in figures:
        lines.append(
            f"{f.kind:<20} {f.count:>4} {f.mean:>8.3f} {f.p50:>8.3f} {f.p95:>8.3f} "
            f"{f.pages:>6} {f.size / 1024:>6.0f}"
        )
    total = sum(f.mean * f.count for f in figures)
    count = sum(f.count for f in figures)
    lines.append(f"all kinds: {count} documents, mean {total / count:.3f} s each")
    # What one worker process can print when it does nothing else, one at a time.
    per_minute = 60 * count / total
    lines.append(f"one process, one after another: {per_minute:.0f} documents/min")
    return lines
