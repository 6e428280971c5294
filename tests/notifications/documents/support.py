"""Issue one document of each kind, with the payload its process writes."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from tests.credit.factories import (
    CaseFactory,
    CreditRecordFactory,
    DepartmentFactory,
    ListEntryFactory,
    MeasureFactory,
    SubjectFactory,
    make_resident_id,
)
from workflows.credit.documents import issue_document
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    Document,
    ListEntry,
    Subject,
)
from workflows.credit.operations.lists import REMEDIES as LIST_REMEDIES
from workflows.credit.operations.repair import REAPPLY, REMEDIES

SUBMITTED = dt.datetime(2026, 5, 6, 9, 30, tzinfo=dt.UTC)
DUE = "2026-05-20T23:59:59+08:00"
PERSON_NAME = "王小明"
PERSON_ID = make_resident_id(7, birth="19850615")


@dataclass
class World:
    office: Department
    source: Department
    implementing: Department


def world() -> World:
    """The departments every sample document needs."""
    return World(
        office=DepartmentFactory.create(
            code="XYB",
            name="示例市公共信用信息中心",
            name_en="Example City Public Credit Information Centre",
            is_credit_office=True,
            is_source=False,
        ),
        source=DepartmentFactory.create(
            code="SCJ",
            name="示例市市场监督管理局",
            name_en="Example City Administration for Market Regulation",
        ),
        implementing=DepartmentFactory.create(
            code="SWJ",
            name="示例市税务局",
            name_en="Example City Tax Bureau",
            is_source=False,
            is_implementing=True,
        ),
    )


def subject(*, person: bool) -> Subject:
    if person:
        found, _created = Subject.objects.get_or_create(
            code=PERSON_ID,
            defaults={"kind": Subject.Kind.NATURAL_PERSON, "name": PERSON_NAME},
        )
        return found
    return SubjectFactory.create(name="示例科技有限公司")


def _case(case_type: str, who: Subject, **fields: Any) -> Case:
    return CaseFactory.create(
        case_type=case_type,
        subject=who,
        status=Case.Status.SUBMITTED,
        submitted_at=SUBMITTED,
        grounds=Case.Grounds.RECORD_WRONG if case_type == Case.Type.OBJECTION else "",
        **fields,
    )


def _record(w: World, who: Subject) -> CreditRecord:
    number = "示市监罚〔2026〕13号"
    existing = CreditRecord.objects.filter(subject=who, decision_number=number)
    return existing.first() or CreditRecordFactory.create(
        subject=who,
        source_department=w.source,
        decision_number=number,
        content={"fine": 5000},
    )


def _entry(w: World, who: Subject, list_type: str) -> ListEntry:
    return ListEntryFactory.create(
        subject=who,
        deciding_department=w.source,
        list_type=list_type,
        basis="国办发〔2020〕49号（六）拒不履行法定义务：逾期未缴纳罚款",
    )


def _measures(w: World) -> list[dict[str, str]]:
    measure = MeasureFactory.create(
        name="限制参与政府采购活动", implementing_department=w.implementing
    )
    return [
        {
            "code": measure.code,
            "name": measure.name,
            "kind": measure.kind,
            "department": w.implementing.code,
        }
    ]


def sample_document(kind: str, w: World, *, person: bool = False) -> Document:
    """Issue a document of ``kind`` through the hook, as its process does."""
    who = subject(person=person)
    record = _record(w, who)
    objection = {"target_record": record}
    entry = _entry(w, who, ListEntry.ListType.SERIOUS_DISHONESTY)
    listing = {"target_list_entry": entry}
    valid = {"valid_from": "2026-05-07", "valid_to": "2027-05-06"}
    samples: dict[str, tuple[str, dict[str, Any], Department, dict[str, Any]]] = {
        Document.Kind.ACCEPTANCE: (
            Case.Type.OBJECTION,
            objection,
            w.office,
            {"verify_due": DUE, "measures_suspended": True},
        ),
        Document.Kind.NON_ACCEPTANCE: (
            Case.Type.REPAIR,
            objection,
            w.source,
            {
                "outcome": "not_accepted",
                "reason": "申请人尚未缴清罚款，不符合信用修复条件",
                "remedies": [REAPPLY, REMEDIES],
            },
        ),
        Document.Kind.SUPPLEMENT_REQUEST: (
            Case.Type.OBJECTION,
            objection,
            w.office,
            {"missing": ["营业执照复印件", "异议事项的证明材料"], "due": DUE},
        ),
        Document.Kind.OBJECTION_DECISION: (
            Case.Type.OBJECTION,
            objection,
            w.office,
            {
                "outcome": "correct",
                "findings": "该行政处罚信息中罚款金额录入有误，应为5000元",
                "appeal_until": DUE,
            },
        ),
        Document.Kind.REPAIR_DECISION: (
            Case.Type.REPAIR,
            objection,
            w.source,
            {
                "outcome": "approved",
                "record": {
                    "id": record.pk,
                    "decision_number": record.decision_number,
                    "decision_date": "2026-01-05",
                    "category": record.category,
                    "grade": record.grade,
                },
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
            listing,
            w.source,
            {
                "list_type": entry.list_type,
                "basis": entry.basis,
                "evidence": ["示市监罚〔2026〕13号行政处罚决定书", "催告书送达回证"],
                "statement_due": DUE,
                "rights": "陈述、申辩 statement and defence before the decision",
            },
        ),
        Document.Kind.LISTING_DECISION: (
            Case.Type.LIST_ENTRY,
            listing,
            w.source,
            {
                "list_type": entry.list_type,
                "basis": entry.basis,
                "reasons": "当事人经催告后仍拒不缴纳罚款5000元",
                "measures": _measures(w),
                "removal_conditions": "",
                **valid,
                "remedies": LIST_REMEDIES,
                "signed_by": "head-li",
            },
        ),
        Document.Kind.EXIT_DECISION: (
            Case.Type.LIST_EXIT,
            listing,
            w.source,
            {
                "list_type": entry.list_type,
                "listing": "SCJ信列决〔2026〕1号",
                "reason": ListEntry.ExitReason.REPAIR,
                **valid,
                "remedies": LIST_REMEDIES,
            },
        ),
        Document.Kind.REPAIR_NOTICE: (
            Case.Type.LIST_ENTRY,
            listing,
            w.source,
            {"listing": "SCJ信列决〔2026〕1号", "earliest": "2026-08-07"},
        ),
        Document.Kind.MEASURES_NOTICE: (
            Case.Type.LIST_ENTRY,
            listing,
            w.source,
            {
                "listing": "SCJ信列决〔2026〕1号",
                "list_type": entry.list_type,
                "departments": [w.implementing.code],
                "measures": _measures(w),
                "feedback_due": DUE,
            },
        ),
    }
    case_type, targets, department, payload = samples[kind]
    case = _case(case_type, who, **targets)
    return issue_document(kind, case, department=department, payload=payload)


def issued_today() -> str:
    """Today as a document prints it."""
    today = timezone.localdate()
    return f"{today.year}年{today.month}月{today.day}日"


def pdf_text(path: Path) -> str:
    """Extract a PDF's text with poppler's pdftotext (layout order kept)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_fonts(path: Path) -> str:
    """List the fonts a PDF uses, with whether each is embedded (pdffonts)."""
    return subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout


def have(program: str) -> bool:
    return shutil.which(program) is not None
