"""Service-task operations of the red-list process (bpmn/redlist.bpmn)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.contrib.auth.models import User
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.deadlines import deadline_met, deadline_set
from workflows.credit.documents import issue_document
from workflows.credit.models import Case, Document, ListEntry
from workflows.credit.operations.common import set_case_status
from workflows.credit.policies import (
    list_validity,
    objection_time_limits,
    redlist_notice_days,
)
from workflows.credit.process import case_of
from workflows.credit.services.records import add_months, red_entry_end
from workflows.errors import InvalidInputError
from workflows.operations import OperationContext, operation

# Why a nomination ends without listing -> the entry's exit reason.
REJECTION_GROUNDS: Final[dict[str, str]] = {
    "review_refused": ListEntry.ExitReason.NONE,
    "objection_upheld": ListEntry.ExitReason.OBJECTION_UPHELD,
    "new_dishonesty_record": ListEntry.ExitReason.NEW_DISHONESTY_RECORD,
}


def _entry(case: Case, *, live: bool = False) -> ListEntry:
    """Lock the case's red entry; ``live`` refuses one that ended meanwhile."""
    entry = case.target_list_entry
    if entry is None or entry.list_type != ListEntry.ListType.RED:
        raise InvalidInputError(f"case {case.number} has no red-list entry")
    entry = ListEntry.objects.select_for_update().get(pk=entry.pk)
    if live and not entry.is_live:
        # Ended while this case was held (e.g. suspended when a dishonesty record
        # arrived): it must not be noticed or listed again.
        raise InvalidInputError(
            f"the red-list entry of {case.number} has ended "
            f"({entry.get_exit_reason_display()}); end this case"
        )
    return entry


def _people(case: Case) -> list[User | None]:
    """The subject's accounts and the nominator: who hears of every turn."""
    return [*case.subject.accounts.all(), case.applicant]


def _tell(case: Case, kind: str, title: str, body: str = "") -> None:
    notify(
        recipients=_people(case),
        kind=kind,
        title=f"{title}: {case.number}",
        body=body,
        case_number=case.number,
    )


def _add_policy(case: Case, reference: str) -> None:
    case.policy_refs = sorted({*case.policy_refs, reference})


@operation("redlist_notice_start")
def redlist_notice_start(context: OperationContext) -> dict[str, Any]:
    """Publish the nomination for public notice for the policy's working days."""
    case = case_of(context)
    entry = _entry(case, live=True)
    days = redlist_notice_days(case.jurisdiction)
    notice = deadline_set(case, "public_notice", days.value, policy_ref=days.reference)
    entry.status = ListEntry.Status.NOTICED
    entry.save(update_fields=["status", "updated_at"])
    _add_policy(case, days.reference)
    set_case_status(case, Case.Status.ACCEPTED, context)
    _tell(
        case,
        "redlist.notice",
        "红名单公示 Public notice of the nomination",
        f"公示至 until {notice.iso}",
    )
    return {
        "ends_at": notice.iso,
        "days": days.value,
        "provisional": notice.row.provisional,
        "policy": days.reference,
    }


@operation("redlist_objection_record")
def redlist_objection_record(context: OperationContext) -> list[dict[str, Any]]:
    """Add an objection received during the notice to the case's list of them."""
    case = case_of(context)
    objection = dict(context.task_data.get("objection") or {})
    objections = [*(context.task_data.get("objections") or []), objection]
    record(
        action="redlist.objection_recorded",
        actor=context.actor,
        system="" if context.actor else "engine",
        target=case,
        case_number=case.number,
        process_instance_id=str(context.instance.pk),
        detail={"objector": objection.get("objector", ""), "count": len(objections)},
    )
    return objections


@operation("redlist_notice_end")
def redlist_notice_end(context: OperationContext) -> dict[str, Any]:
    """Close the notice; give objections, if any, a verification deadline."""
    case = case_of(context)
    deadline_met(case, "public_notice")
    count = len(context.task_data.get("objections") or [])
    if not count:
        return {"objections": 0}
    limits = objection_time_limits(case.jurisdiction, own_data=False)
    verify = deadline_set(
        case, "objection_verify", limits.verify_days, policy_ref=limits.reference
    )
    _add_policy(case, limits.reference)
    set_case_status(case, Case.Status.UNDER_REVIEW, context)
    return {"objections": count, "verify_due": verify.iso}


def _meet_all(case: Case) -> None:
    case.deadlines.filter(met_at__isnull=True).update(met_at=timezone.now())


@operation("redlist_reject")
def redlist_reject(context: OperationContext, *, grounds: str) -> dict[str, Any]:
    """End the nomination without listing: refused, objection upheld, or dishonesty."""
    if grounds not in REJECTION_GROUNDS:
        raise InvalidInputError(f"unknown grounds {grounds!r}", list(REJECTION_GROUNDS))
    case = case_of(context)
    entry = _entry(case)
    comment = str(
        context.task_data.get("verification_findings")
        or context.task_data.get("review_comment")
        or ""
    )[:2000]
    red_entry_end(
        entry,
        actor=context.actor,
        reason=REJECTION_GROUNDS[grounds],
        case_number=case.number,
    )
    _meet_all(case)
    now = timezone.now()
    decision = {"outcome": "rejected", "grounds": grounds, "comment": comment}
    set_case_status(
        case,
        Case.Status.REJECTED,
        context,
        decided_at=now,
        closed_at=now,
        decision=decision,
    )
    _tell(case, "redlist.rejected", "未列入守信红名单 Not listed", comment)
    return decision


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after a day, local time: when validity to that day ends."""
    following = day + dt.timedelta(days=1)
    return dt.datetime.combine(
        following, dt.time.min, tzinfo=timezone.get_default_timezone()
    )


@operation("redlist_publish")
def redlist_publish(context: OperationContext) -> dict[str, Any]:
    """List the subject with the policy's validity, issue the decision, publish."""
    case = case_of(context)
    entry = _entry(case, live=True)
    _meet_all(case)
    validity = list_validity(ListEntry.ListType.RED, case.jurisdiction)
    valid_from = timezone.localdate()
    valid_to = add_months(valid_from, validity.validity_months)
    document = issue_document(
        Document.Kind.LISTING_DECISION,
        case,
        department=entry.deciding_department,
        payload={
            "list_type": entry.list_type,
            "basis": entry.basis,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
        },
    )
    entry.status = ListEntry.Status.LISTED
    entry.decision_number = document.number or ""
    entry.valid_from, entry.valid_to = valid_from, valid_to
    entry.save(
        update_fields=[
            "status",
            "decision_number",
            "valid_from",
            "valid_to",
            "updated_at",
        ]
    )
    _add_policy(case, validity.reference)
    decision = {
        "outcome": "listed",
        "entry_id": entry.pk,
        "decision_number": document.number,
        "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat(),
        "expires_at": _end_of(valid_to).isoformat(),
    }
    set_case_status(
        case, Case.Status.DECIDED, context, decided_at=timezone.now(), decision=decision
    )
    _tell(
        case,
        "redlist.listed",
        "已列入守信红名单 Listed on the red list",
        f"{document.number}, {valid_from} 至 {valid_to}",
    )
    return decision


def _exit(context: OperationContext, reason: str, title: str) -> dict[str, Any]:
    case = case_of(context)
    entry = _entry(case)
    red_entry_end(entry, actor=context.actor, reason=reason, case_number=case.number)
    reason = entry.exit_reason  # the earlier one, if the entry had already ended
    dishonesty = dict(context.task_data.get("dishonesty") or {})
    document = issue_document(
        Document.Kind.EXIT_DECISION,
        case,
        department=entry.deciding_department,
        payload={"reason": reason, "record": dishonesty},
    )
    case.decision = {**(case.decision or {}), "exit_reason": reason}
    case.save(update_fields=["decision", "updated_at"])
    _tell(case, "redlist.exited", title, document.number or "")
    return {
        "reason": reason,
        "decision_number": document.number,
        "record_id": dishonesty.get("record_id"),
    }


@operation("redlist_remove")
def redlist_remove(context: OperationContext) -> dict[str, Any]:
    """Remove the subject from the red list because of a new dishonesty record."""
    return _exit(
        context,
        ListEntry.ExitReason.NEW_DISHONESTY_RECORD,
        "因新增失信记录移出守信红名单 Removed: new dishonesty record",
    )


@operation("redlist_expire")
def redlist_expire(context: OperationContext) -> dict[str, Any]:
    """Take the subject off the red list when its validity has ended."""
    return _exit(
        context,
        ListEntry.ExitReason.EXPIRY,
        "守信红名单有效期届满 Red-list validity ended",
    )
