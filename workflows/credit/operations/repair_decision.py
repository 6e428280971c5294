"""Operations that decide a credit repair once its approval chain has ended."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from workflows.credit.deadlines import deadline_met
from workflows.credit.documents import issue_document
from workflows.credit.models import Case, Document
from workflows.credit.operations.common import set_case_status
from workflows.credit.operations.repair import (
    REAPPLY,
    REMEDIES,
    add_to_decision,
    case_record,
    tell,
    texts,
)
from workflows.credit.process import case_of
from workflows.models import HumanTask
from workflows.operations import OperationContext, operation


def _approvals(context: OperationContext) -> list[dict[str, Any]]:
    """Who decided at each level of the approval chain, and how."""
    rows = (
        HumanTask.objects.filter(
            instance=context.instance,
            element_id="approve_at_level",
            status=HumanTask.Status.COMPLETED,
        )
        .select_related("candidate_group", "completed_by")
        .order_by("completed_at")
    )
    approvals = []
    for row in rows:
        answer = (row.outcome or {}).get("approval") or {}
        approvals.append(
            {
                "level": row.candidate_group.name if row.candidate_group else "",
                "by": row.completed_by.get_username() if row.completed_by else "",
                "approved": answer.get("approved") is True,
                "comment": str(answer.get("comment") or ""),
                "at": row.completed_at.isoformat() if row.completed_at else "",
            }
        )
    return approvals


@operation("repair_reject")
def repair_reject(context: OperationContext) -> dict[str, Any]:
    """Record why the repair is refused and what the applicant can do."""
    case = case_of(context)
    data = context.task_data
    reasons = texts(data.get("rejection_reasons"))
    reasons += [
        f"{a['level']}: {a['comment']}"
        for a in _approvals(context)
        if not a["approved"] and a["comment"]
    ]
    rejection = {
        "reasons": reasons or ["审批未通过 Not approved"],
        "remedies": [*texts(data.get("remedies")), REAPPLY, REMEDIES],
    }
    add_to_decision(case, **rejection)
    return rejection


def _payload(case: Case, decision: dict[str, Any]) -> dict[str, Any]:
    target = case_record(case)
    facts = ("decision_number", "decision_date", "category", "grade", "content")
    return {
        "outcome": decision["outcome"],
        "record": {"id": target.pk, **{f: getattr(target, f) for f in facts}},
        "reasons": decision.get("reasons", []),
        "remedies": decision["remedies"],
        "sync": decision.get("sync", []),
        "basis": case.policy_refs,
    }


@operation("repair_issue_decision")
def repair_issue_decision(context: OperationContext) -> dict[str, Any]:
    """Decide, issue the repair decision document (信用修复决定书) and notify."""
    case = case_of(context)
    data = context.task_data
    granted = data.get("chain_approved") is True
    decision: dict[str, Any] = {
        "remedies": [REMEDIES],
        **(case.decision or {}),
        "outcome": "approved" if granted else "rejected",
        "review": {
            "opinion": str(data.get("review_opinion") or ""),
            "findings": str(data.get("review_findings") or ""),
            "by": str((data.get("review_record") or {}).get("proposer") or ""),
        },
        "approvals": _approvals(context),
    }
    document = issue_document(
        Document.Kind.REPAIR_DECISION,
        case,
        department=case_record(case).source_department,
        payload=_payload(case, decision),
    )
    decision["document"] = document.number
    deadline_met(case, "answer")
    now = timezone.now()
    set_case_status(
        case, Case.Status.DECIDED, context, decided_at=now, decision=decision
    )
    title = "准予信用修复 Repair granted" if granted else "不予信用修复 Repair refused"
    tell(case, "case.decided", title, "\n".join(decision.get("reasons", [])))
    return {"outcome": decision["outcome"], "document": document.number}
