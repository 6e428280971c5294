"""What each kind of document says beyond the common frame: title, facts, decision.

One builder per ``Document.Kind``; each reads the payload its process wrote (see
``workflows/credit/operations``) and returns the values its template block prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

from notifications.documents.formatting import (
    LISTING_LAW,
    REGIME_LAWS,
    chinese_part,
    numbered,
    zh_date,
    zh_label,
)
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    Document,
    Jurisdiction,
    ListEntry,
    Measure,
)

Builder = Callable[[Document, dict[str, Any]], dict[str, Any]]

OBJECTION_OUTCOMES: Final[dict[str, str]] = {
    "correct": "异议成立，对上述信用信息予以更正",
    "supplement": "异议成立，对上述信用信息予以补充完善",
    "stop_publication": "异议成立，停止公开上述信用信息",
    "remove_from_list": "异议成立，将{you}移出相关名单",
    "keep": "异议不成立，维持上述信用信息，并撤销异议标注",
}


def _basis(document: Document, *defaults: str) -> list[str]:
    """The legal basis: what the payload names first, then the kind's defaults."""
    given = document.payload.get("legal_basis") or []
    if isinstance(given, str):
        given = [given]
    return numbered([*given, *defaults])


def _procedure_basis(document: Document) -> str:
    case = document.case
    if case.case_type in (Case.Type.OBJECTION, Case.Type.APPEAL):
        place = zh_label(Jurisdiction, case.jurisdiction)
        place = "国家" if case.jurisdiction == Jurisdiction.NATIONAL else place
        return f"{place}公共信用信息异议处理有关规定"
    if case.case_type == Case.Type.REPAIR:
        return REGIME_LAWS.get(case.regime, "")
    return LISTING_LAW


def _list_type(document: Document) -> str:
    entry = document.case.target_list_entry
    return str(document.payload.get("list_type") or (entry.list_type if entry else ""))


def _list_name(document: Document) -> str:
    return zh_label(ListEntry.ListType, _list_type(document), default="名单")


def _extra_remedies(items: Iterable[Any]) -> list[str]:
    """Keep remedies other than review and lawsuit (stated in full by the template)."""
    texts = [chinese_part(item) for item in items]
    return [text for text in texts if text and "复议" not in text]


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    return [value] if value else []


def _department_names(codes: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(codes))
    return dict(Department.objects.filter(code__in=wanted).values_list("code", "name"))


def acceptance(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    return {
        "title": "受理通知书",
        "title_en": "Notice of Acceptance",
        "due": zh_date(p.get("verify_due") or p.get("answer_due")),
        "measures_suspended": bool(p.get("measures_suspended")),
        "basis": _basis(document, _procedure_basis(document)),
    }


def non_acceptance(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    return {
        "title": "不予受理通知书",
        "title_en": "Notice of Non-acceptance",
        "reason": str(p.get("reason") or "").strip(),
        "extra_remedies": _extra_remedies(_as_list(p.get("remedies"))),
        "basis": _basis(document, _procedure_basis(document)),
        "remedies": True,
    }


def supplement_request(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    return {
        "title": "补正材料通知书",
        "title_en": "Request for Supplementary Materials",
        "missing": numbered(_as_list(p.get("missing"))),
        "due": zh_date(p.get("due")),
        "basis": _basis(document, _procedure_basis(document)),
    }


def objection_decision(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    appeal = document.case.case_type == Case.Type.APPEAL
    you = base["party"]["you"]
    outcome = OBJECTION_OUTCOMES.get(str(p.get("outcome") or ""), "")
    if appeal:
        outcome = (
            f"复核理由成立，撤销原异议处理决定；{outcome.format(you=you)}"
            if p.get("upheld")
            else "复核理由不成立，维持原异议处理决定"
        )
    return {
        "title": "异议复核决定书" if appeal else "异议处理决定书",
        "title_en": "Decision on Appeal" if appeal else "Decision on Objection",
        "style": "decision",
        "appeal": appeal,
        "original": document.case.appeal_of.number if document.case.appeal_of else "",
        "findings": str(p.get("findings") or "").strip(),
        "outcome": outcome.format(you=you),
        "appeal_until": "" if appeal else zh_date(p.get("appeal_until")),
        "basis": _basis(document, _procedure_basis(document)),
        "remedies": True,
    }


def repair_decision(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    record = p.get("record") or {}
    facts = base["record"] or {}
    if record:
        facts = {
            **facts,
            "decision_number": str(record.get("decision_number") or ""),
            "decision_date": zh_date(record.get("decision_date")),
            "category": zh_label(CreditRecord.Category, record.get("category")),
            "grade": zh_label(CreditRecord.Grade, record.get("grade"))
            if record.get("grade")
            else "",
        }
    sync = [
        {"name": str(s.get("name") or ""), "on": zh_date(s.get("synced_at"))}
        for s in _as_list(p.get("sync"))
        if isinstance(s, dict)
    ]
    return {
        "title": "信用修复决定书",
        "title_en": "Credit Repair Decision",
        "style": "decision",
        "record": facts or None,
        "granted": p.get("outcome") == "approved",
        "reasons": [chinese_part(r) for r in _as_list(p.get("reasons"))],
        "sync": sync,
        "extra_remedies": _extra_remedies(_as_list(p.get("remedies"))),
        "basis": _basis(document, REGIME_LAWS.get(document.case.regime, "")),
        "remedies": True,
    }


def prior_notice(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    return {
        "title": f"拟列入{_list_name(document)}事先告知书",
        "title_en": "Prior Notice of Listing",
        "list_name": _list_name(document),
        "grounds": str(p.get("basis") or "").strip(),
        "evidence": numbered(_as_list(p.get("evidence"))),
        "statement_due": zh_date(p.get("statement_due")),
        "basis": _basis(document, LISTING_LAW),
    }


def _measures(items: Iterable[Any]) -> list[dict[str, str]]:
    rows = [m for m in items if isinstance(m, dict)]
    names = _department_names(str(m.get("department") or "") for m in rows)
    return [
        {
            "name": str(m.get("name") or ""),
            "department": names.get(str(m.get("department")), ""),
            "kind": zh_label(Measure.Kind, m.get("kind")),
        }
        for m in rows
    ]


def listing_decision(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    red = _list_type(document) == ListEntry.ListType.RED
    return {
        "title": f"列入{_list_name(document)}决定书",
        "title_en": "Decision on Listing",
        "style": "decision",
        "red": red,
        "list_name": _list_name(document),
        "reasons": str(p.get("reasons") or p.get("basis") or "").strip(),
        "measures": _measures(_as_list(p.get("measures"))),
        "removal_conditions": str(p.get("removal_conditions") or "").strip(),
        "valid_from": zh_date(p.get("valid_from")),
        "valid_to": zh_date(p.get("valid_to")),
        "basis": _basis(document, LISTING_LAW),
        "remedies": not red,
    }


def exit_decision(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    entry = document.case.target_list_entry
    return {
        "title": f"移出{_list_name(document)}决定书",
        "title_en": "Decision on Removal from the List",
        "style": "decision",
        "red": _list_type(document) == ListEntry.ListType.RED,
        "list_name": _list_name(document),
        "listing": str(p.get("listing") or (entry.decision_number if entry else "")),
        "reason": zh_label(
            ListEntry.ExitReason, p.get("reason") or None, default="依法"
        ),
        "valid_from": zh_date(p.get("valid_from") or (entry and entry.valid_from)),
        "valid_to": zh_date(p.get("valid_to") or (entry and entry.valid_to)),
        "basis": _basis(document, LISTING_LAW),
        "remedies": True,
    }


def repair_notice(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    return {
        "title": "信用修复告知书",
        "title_en": "Notice of the Right to Credit Repair",
        "list_name": _list_name(document),
        "listing": str(p.get("listing") or ""),
        "earliest": zh_date(p.get("earliest")),
        "basis": _basis(document, base["regime_law"]),
    }


def measures_notice(document: Document, base: dict[str, Any]) -> dict[str, Any]:
    p = document.payload
    codes = [str(code) for code in _as_list(p.get("departments"))]
    names = _department_names(codes)
    listing = str(p.get("listing") or "")
    decision = Document.objects.filter(number=listing).first() if listing else None
    listed = p.get("measures") or (decision.payload.get("measures") if decision else [])
    measures = _measures(
        m
        for m in _as_list(listed)
        if isinstance(m, dict) and (not codes or m.get("department") in codes)
    )
    return {
        "title": "联合惩戒措施告知书",
        "title_en": "Notice of Joint Punishment Measures",
        "addressee": "、".join(names.get(code, code) for code in codes) or "各有关部门",
        "list_name": _list_name(document),
        "listing": listing,
        "measures": measures,
        "feedback_due": zh_date(p.get("feedback_due")),
        "basis": _basis(document, LISTING_LAW),
    }


KIND_BUILDERS: Final[dict[str, Builder]] = {
    Document.Kind.ACCEPTANCE: acceptance,
    Document.Kind.NON_ACCEPTANCE: non_acceptance,
    Document.Kind.SUPPLEMENT_REQUEST: supplement_request,
    Document.Kind.OBJECTION_DECISION: objection_decision,
    Document.Kind.REPAIR_DECISION: repair_decision,
    Document.Kind.PRIOR_NOTICE: prior_notice,
    Document.Kind.LISTING_DECISION: listing_decision,
    Document.Kind.EXIT_DECISION: exit_decision,
    Document.Kind.REPAIR_NOTICE: repair_notice,
    Document.Kind.MEASURES_NOTICE: measures_notice,
}
