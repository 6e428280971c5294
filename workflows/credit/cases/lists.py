"""Proposing a listing (列入名单) and the subject's statement and defence (陈述申辩)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import record
from workflows.credit.deadlines import deadline_met
from workflows.credit.filing import action, case_submitted, filer
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    ListEntry,
    Membership,
    Regime,
    Subject,
)
from workflows.credit.models.departments import role_group_name
from workflows.credit.operations.lists import STATEMENT_DEADLINE
from workflows.credit.process import case_process_start, credit_office_for
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError
from workflows.services.messages import message_deliver

LIST_TYPES = (ListEntry.ListType.SERIOUS_DISHONESTY, ListEntry.ListType.KEY_ATTENTION)
APPROVAL_ROLES = (Membership.Role.SECTION_CHIEF, Membership.Role.HEAD)
STATEMENT_MESSAGE = "list_statement_filed"


def _proposing_department(actor: User, data: Mapping[str, Any]) -> Department:
    """The source department in which the actor is a reviewer (经办人)."""
    memberships = Membership.objects.filter(
        user=actor,
        role=Membership.Role.REVIEWER,
        department__is_source=True,
        department__active=True,
    ).select_related("department")
    if data.get("department"):
        memberships = memberships.filter(department__code=str(data["department"]))
    departments = [m.department for m in memberships]
    if not departments:
        raise ForbiddenError("only a source department's reviewer proposes a listing")
    if len(departments) > 1:
        raise InvalidInputError(
            "name the proposing department", [d.code for d in departments]
        )
    return departments[0]


def _subject(data: Mapping[str, Any]) -> Subject:
    value = data.get("subject")
    found = None
    if isinstance(value, int) and not isinstance(value, bool):
        found = Subject.objects.filter(pk=value).first()
    elif isinstance(value, str) and value.strip():
        found = Subject.objects.filter(code=value.strip().upper()).first()
    if found is None:
        raise InvalidInputError("name the subject by id or code", ["subject"])
    return found


def _basis_record(
    data: Mapping[str, Any], subject: Subject, department: Department
) -> CreditRecord | None:
    if data.get("record") in (None, ""):
        return None
    found = (
        CreditRecord.objects.visible()
        .dishonesty()
        .filter(pk=data["record"], subject=subject, source_department=department)
        .first()
        if str(data["record"]).isdigit()
        else None
    )
    if found is None:
        raise InvalidInputError(
            f"record {data['record']!r} is not a published dishonesty record of "
            f"{department.code} about this subject",
            ["record"],
        )
    return found


def _text(data: Mapping[str, Any], key: str, limit: int) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        raise InvalidInputError(f"give the {key} of the listing", [key])
    return value[:limit]


def _evidence(data: Mapping[str, Any]) -> list[str]:
    raw = data.get("evidence")
    items = raw if isinstance(raw, list) else [raw] if raw else []
    evidence = [str(item).strip()[:500] for item in items if str(item).strip()]
    if not evidence:
        raise InvalidInputError("list the evidence the listing rests on", ["evidence"])
    return evidence


def _regime(data: Mapping[str, Any], basis: CreditRecord | None) -> str:
    if basis is not None:
        return basis.regime
    regime = str(data.get("regime") or "")
    if regime not in Regime.values:
        raise InvalidInputError("name the regime (or the record)", list(Regime.values))
    return regime


def _countersign(
    data: Mapping[str, Any], department: Department, jurisdiction: str
) -> tuple[list[str], int]:
    """The heads' groups that decide collectively, and how many must approve."""
    spec = data.get("countersign") or {}
    if not isinstance(spec, dict):
        raise InvalidInputError("countersign: {departments: [...], required: n}")
    codes = [str(c) for c in spec.get("departments") or []]
    if not codes:
        codes = [department.code, credit_office_for(jurisdiction).code]
    known = set(
        Department.objects.active()
        .filter(code__in=codes)
        .values_list("code", flat=True)
    )
    unknown = sorted(set(codes) - known)
    if unknown or len(set(codes)) != len(codes):
        raise InvalidInputError("countersign departments: each active, once", unknown)
    required = spec.get("required", len(codes) // 2 + 1)
    if not isinstance(required, int) or not 1 <= required <= len(codes):
        raise InvalidInputError(f"countersign required must be 1..{len(codes)}")
    return [role_group_name(c, Membership.Role.HEAD) for c in codes], required


@filer("list_entry")
@transaction.atomic
def list_entry_file(*, actor: User, data: Mapping[str, Any]) -> Case:
    """Propose listing a subject (with basis and evidence) and start the process."""
    department = _proposing_department(actor, data)
    subject = _subject(data)
    list_type = str(data.get("list_type") or "")
    if list_type not in LIST_TYPES:
        raise InvalidInputError("choose the list", list(LIST_TYPES))
    basis_text, evidence = _text(data, "basis", 5000), _evidence(data)
    basis = _basis_record(data, subject, department)
    if ListEntry.objects.live().for_subject(subject).of_type(list_type).exists():
        raise ConflictError(f"{subject.name} is already proposed for or on this list")
    jurisdiction = basis.jurisdiction if basis else department.jurisdiction
    collective = data.get("collective") is True
    groups, required = (
        _countersign(data, department, jurisdiction) if collective else ([], 0)
    )
    entry = ListEntry.objects.create(
        list_type=list_type,
        subject=subject,
        deciding_department=department,
        basis=basis_text,
        record=basis,
    )
    case = case_submitted(
        Case.Type.LIST_ENTRY,
        applicant=actor,
        subject=subject,
        target_list_entry=entry,
        regime=_regime(data, basis),
        jurisdiction=jurisdiction,
        reason=basis_text,
    )
    record(
        action="case.file",
        actor=actor,
        target=case,
        case_number=case.number,
        department_code=department.code,
        after={
            "type": case.case_type,
            "list_type": list_type,
            "list_entry": entry.pk,
            "record": basis.pk if basis else None,
            "evidence": evidence,
            "collective": collective,
        },
    )
    case_process_start(
        case,
        "list_entry",
        actor=actor,
        data={
            "list_type": list_type,
            "entry_id": entry.pk,
            "source_department": department.code,
            "credit_office": credit_office_for(jurisdiction).code,
            "proposer": actor.get_username(),
            "evidence": evidence,
            "collective": collective,
            "approval_levels": [department.group_name(r) for r in APPROVAL_ROLES],
            "countersign_groups": groups,
            "countersign_required": required,
        },
    )
    case.refresh_from_db()  # the process has moved it on
    return case


@action("list_statement")
@transaction.atomic
def list_entry_statement(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """File the subject's statement and defence within the window (once)."""
    if case.case_type != Case.Type.LIST_ENTRY:
        raise ConflictError(f"case {case.number} is not a listing proposal")
    if not case.subject.accounts.filter(pk=actor.pk).exists():
        raise ForbiddenError(f"only the subject may answer the notice of {case.number}")
    case = Case.objects.select_for_update().get(pk=case.pk)
    window = case.deadlines.filter(kind=STATEMENT_DEADLINE, met_at__isnull=True).first()
    if window is None or window.due_at < timezone.now():
        raise ConflictError("the statement-and-defence window is closed")
    text = str(data.get("statement") or "").strip()
    if not text:
        raise InvalidInputError("state the facts and reasons", ["statement"])
    attachments = list(
        case.attachments.filter(
            pk__in=[int(a) for a in data.get("attachments") or [] if str(a).isdigit()]
        ).values_list("pk", flat=True)
    )
    statement = {
        "text": text[:5000],
        "attachments": attachments,
        "filed_by": actor.get_username(),
        "filed_at": timezone.now().isoformat(),
    }
    deadline_met(case, STATEMENT_DEADLINE)
    record(
        action="case.statement",
        actor=actor,
        target=case,
        case_number=case.number,
        after=statement,
    )
    # The subject's right to be heard was checked above; the system delivers it.
    message_deliver(
        actor=None,
        system="credit",
        name=STATEMENT_MESSAGE,
        business_key=case.number,
        payload=statement,
    )
    return case
