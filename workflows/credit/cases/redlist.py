"""Red-list (守信红名单) nominations: filing one, and objecting during its notice.

A department (or the credit office, for an association's recommendation) nominates
a subject; the ``redlist`` process (bpmn/redlist.bpmn) reviews it, publishes a
notice during which anyone may object, then lists the subject. A later dishonesty
record ends it: see ``workflows.credit.services.records``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.filing import action, case_submitted, filer
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    ListEntry,
    Membership,
    Subject,
)
from workflows.credit.models.common import regime_in_force
from workflows.credit.process import case_process_start, credit_office_for
from workflows.credit.selectors.subjects import subject_get_by_code
from workflows.credit.services.records import REMOVING_GRADES
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from workflows.models import EventSubscription, ProcessInstance
from workflows.services.messages import message_deliver

OBJECTION_MESSAGE: Final = "redlist_objection_filed"


def dishonesty_on_record(subject: Subject) -> CreditRecord | None:
    """Return a published record that bars the subject from the red list, if any."""
    return (
        CreditRecord.objects.for_subject(subject)
        .visible()
        .dishonesty()
        .filter(grade__in=REMOVING_GRADES)
        .first()
    )


def _text(data: Mapping[str, Any], key: str, what: str, limit: int = 5000) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        raise InvalidInputError(what, [key])
    return value[:limit]


def _nominator(actor: User, data: Mapping[str, Any]) -> Department:
    code = str(data.get("department") or "").strip().upper()
    department = Department.objects.active().filter(code=code).first()
    if department is None:
        raise InvalidInputError("name the nominating department", ["department"])
    if not Membership.objects.filter(user=actor, department=department).exists():
        raise ForbiddenError(f"only staff of {department.code} nominate for it")
    return department


def _subject(data: Mapping[str, Any]) -> Subject:
    code = str(data.get("subject") or "")
    if not code:
        raise InvalidInputError("name the subject by its code", ["subject"])
    # Locked, so two nominations of one subject cannot both pass the checks.
    found = subject_get_by_code(code=code)
    subject = Subject.objects.select_for_update().get(pk=found.pk)
    barred = dishonesty_on_record(subject)
    if barred is not None:
        raise InvalidInputError(
            "the subject has a published dishonesty record and cannot be nominated",
            [f"record {barred.pk}: {barred}"],
        )
    live = ListEntry.objects.live().of_type(ListEntry.ListType.RED)
    if live.for_subject(subject).exists():
        raise ConflictError("the subject is already nominated to or on the red list")
    return subject


@filer("redlist")
@transaction.atomic
def redlist_file(*, actor: User, data: Mapping[str, Any]) -> Case:
    """Nominate a subject to the red list and start the ``redlist`` process."""
    department = _nominator(actor, data)
    subject = _subject(data)
    grounds = _text(data, "grounds", "give the grounds of the nomination")
    association = str(data.get("association") or "").strip()[:200]
    now = timezone.now()
    entry = ListEntry.objects.create(
        list_type=ListEntry.ListType.RED,
        subject=subject,
        deciding_department=department,
        basis=grounds,
    )
    case = case_submitted(
        Case.Type.REDLIST,
        applicant=actor,
        subject=subject,
        target_list_entry=entry,
        regime=regime_in_force(timezone.localdate(now)),
        jurisdiction=department.jurisdiction,
        reason=grounds,
    )
    office = credit_office_for(case.jurisdiction)
    record(
        action="case.file",
        actor=actor,
        target=case,
        case_number=case.number,
        department_code=department.code,
        after={
            "type": case.case_type,
            "subject": subject.masked_code,
            "department": department.code,
            "association": association,
            "list_entry": entry.pk,
        },
    )
    case_process_start(
        case,
        "redlist",
        actor=actor,
        data={
            "credit_office": office.code,
            "nominating_department": department.code,
            "association": association,
            "list_entry_id": entry.pk,
            "proposer": actor.get_username(),
            "objections": [],
        },
    )
    notify(
        recipients=subject.accounts.all(),
        kind="redlist.nominated",
        title=f"拟列入守信红名单 Nominated to the red list: {case.number}",
        body=grounds,
        case_number=case.number,
    )
    return case


def _waiting_for(case: Case, message: str) -> bool:
    return EventSubscription.objects.filter(
        instance_id=case.process_instance_id,
        instance__status=ProcessInstance.Status.RUNNING,
        kind=EventSubscription.Kind.MESSAGE,
        name=message,
    ).exists()


@action("redlist_objection")
@transaction.atomic
def redlist_object(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """Object to a red-list nomination during its public notice; anyone may."""
    if case.case_type != Case.Type.REDLIST:
        raise NotFoundError(f"{case.number} is not a red-list nomination")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not _waiting_for(case, OBJECTION_MESSAGE):
        raise ConflictError(f"the public notice of {case.number} is not open")
    reason = _text(data, "reason", "say why the subject should not be listed")
    objection = {
        "objector": actor.get_username(),
        "reason": reason,
        "evidence": str(data.get("evidence") or "")[:2000],
        "filed_at": timezone.now().isoformat(),
    }
    record(
        action="redlist.objection",
        actor=actor,
        target=case,
        case_number=case.number,
        after=objection,
    )
    # Anyone may object; having checked the notice is open, the system delivers it.
    message_deliver(
        actor=None,
        system="credit",
        name=OBJECTION_MESSAGE,
        business_key=case.number,
        payload=objection,
    )
    return case
