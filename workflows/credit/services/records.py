"""Publish credit records with the dates their policies give them.

A record's publication end and earliest repair dates come from the
``publicity_period`` and ``repair_rules`` tables for its regime, jurisdiction and
grade. A new general or serious dishonesty record ends the subject's red-list
nominations and entries (below).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from typing import Any, Final

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import record
from notifications.services import notify
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    ListEntry,
    MeasureApplication,
    Membership,
    Subject,
)
from workflows.credit.models.records import CreditRecordQuerySet
from workflows.credit.policies import publicity_period, repair_rules
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    StepFailedError,
)
from workflows.models import EventSubscription, ProcessInstance
from workflows.services.messages import message_deliver

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION: Final = "credit.add_creditrecord"
DISHONESTY_MESSAGE: Final = "dishonesty_recorded"
# Grades that end a red-list standing: 一般 and 严重, and the legacy 较重 between them.
REMOVING_GRADES: Final = ("general", "major", "serious")
# Instances a message can reach (a suspended one takes none until resumed).
DELIVERABLE: Final = (ProcessInstance.Status.RUNNING, ProcessInstance.Status.ERROR)
# Who publishes a department's records, besides holders of PUBLISH_PERMISSION.
DECIDING_ROLES: Final = ("reviewer", "section_chief", "head")
AUDITED_FIELDS: Final = (
    "category", "scale", "grade", "regime", "jurisdiction", "decision_number",
    "decision_date", "published_at", "earliest_repair_date", "publication_end_date",
)  # fmt: skip


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` later (or the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _require_publisher(actor: User | None, department: Department) -> None:
    if actor is None or actor.has_perm(PUBLISH_PERMISSION):
        return
    if not Membership.objects.filter(
        user=actor, department=department, role__in=DECIDING_ROLES
    ).exists():
        raise ForbiddenError(f"only {department.code} publishes its own records")


def _check_source(department: Department) -> None:
    if not (department.active and department.is_source):
        raise InvalidInputError(
            f"{department.code} is not an active source department", ["department"]
        )


def _dates(
    credit_record: CreditRecord, published_on: dt.date | None
) -> tuple[list[str], bool]:
    """Fill in the record's end and repair dates; return the policy references."""
    if not credit_record.grade:
        return [], True  # licences: published, no dishonesty period
    args = (credit_record.regime, credit_record.jurisdiction, credit_record.grade)
    period = publicity_period(*args)
    rules = repair_rules(*args)
    start = credit_record.decision_date
    if period.counted_from == "publication":
        start = published_on or timezone.localdate()
    credit_record.publication_end_date = add_months(start, period.max_months)
    if rules.repairable:
        credit_record.earliest_repair_date = min(
            add_months(start, max(period.min_months, rules.min_months)),
            credit_record.publication_end_date,
        )
    return [period.reference, rules.reference], period.published


def _validate(credit_record: CreditRecord) -> None:
    if credit_record.decision_date > timezone.localdate():
        raise InvalidInputError("the decision date is in the future", ["decision_date"])
    try:
        credit_record.full_clean()
    except ValidationError as exc:
        problems = [
            f"{field}: {text}"
            for field, texts in exc.message_dict.items()
            for text in texts
        ]
        raise InvalidInputError("invalid credit record", problems) from None


def _snapshot(credit_record: CreditRecord) -> dict[str, Any]:
    return {
        "subject": credit_record.subject.masked_code,
        "source_department": credit_record.source_department.code,
        **{field: getattr(credit_record, field) for field in AUDITED_FIELDS},
    }


@transaction.atomic
def credit_record_publish(
    *,
    actor: User | None,
    subject: Subject,
    source_department: Department,
    category: str,
    grade: str,
    scale: str,
    regime: str,
    jurisdiction: str,
    decision_number: str,
    decision_date: dt.date,
    content: dict[str, Any],
    published_at: dt.datetime | None = None,
) -> CreditRecord:
    """Publish a credit record with its policy dates, and audit it.

    Minor records, which the policy does not publish, are kept unpublished unless
    ``published_at`` is given. A general or serious dishonesty record ends the
    subject's red-list nominations and entries.
    """
    _require_publisher(actor, source_department)
    _check_source(source_department)
    if (
        decision_number
        and CreditRecord.objects.filter(
            subject=subject,
            source_department=source_department,
            category=category,
            decision_number=decision_number,
        ).exists()
    ):
        raise ConflictError(f"decision {decision_number} is already published")
    credit_record = CreditRecord(
        subject=subject,
        source_department=source_department,
        category=category,
        scale=scale,
        grade=grade,
        regime=regime,
        jurisdiction=jurisdiction,
        decision_number=decision_number,
        decision_date=decision_date,
        content=dict(content),
    )
    _validate(credit_record)
    published_on = timezone.localdate(published_at) if published_at else None
    references, published = _dates(credit_record, published_on)
    if published_at is None and published:
        published_at = timezone.now()
    credit_record.published_at = published_at
    _validate(credit_record)
    credit_record.save()
    record(
        action="credit_record.publish",
        actor=actor,
        system="" if actor else "credit",
        target=credit_record,
        after=_snapshot(credit_record),
        detail={"policies": references},
    )
    if (
        credit_record.grade in REMOVING_GRADES
        and credit_record.category != CreditRecord.Category.ADMINISTRATIVE_LICENCE
    ):
        redlist_dishonesty_recorded(credit_record=credit_record)
    return credit_record


def record_list_for_subject(*, subject: Subject) -> CreditRecordQuerySet:
    """Return a subject's records still shown to the public, newest decision first."""
    return (
        CreditRecord.objects.for_subject(subject)
        .visible()
        .select_related("source_department")
    )


def _tell_implementing_departments(entry: ListEntry) -> None:
    applied = MeasureApplication.objects.applied().filter(
        list_entry=entry, lifted_at__isnull=True
    )
    officers = User.objects.filter(
        is_active=True,
        credit_memberships__role=Membership.Role.OFFICER,
        credit_memberships__department__in=applied.values("implementing_department"),
    ).distinct()
    notify(
        recipients=officers,
        kind="measures.lift",
        title=f"停止实施激励措施 Stop the incentives: {entry}",
        body=entry.subject.name,
    )


def red_entry_end(
    entry: ListEntry, *, actor: User | None, reason: str, case_number: str = ""
) -> ListEntry:
    """Exit a listed red entry, or revoke a nominated one; ended entries stay so."""
    if not entry.is_live:
        return entry
    before = {"status": entry.status, "exit_reason": entry.exit_reason}
    if entry.status == ListEntry.Status.LISTED:
        entry.status, entry.exited_at = ListEntry.Status.EXITED, timezone.now()
        _tell_implementing_departments(entry)
    else:
        entry.status = ListEntry.Status.REVOKED
    entry.exit_reason = reason
    entry.save(update_fields=["status", "exit_reason", "exited_at", "updated_at"])
    record(
        action="list_entry.end",
        actor=actor,
        system="" if actor else "credit",
        target=entry,
        case_number=case_number,
        before=before,
        after={"status": entry.status, "exit_reason": entry.exit_reason},
    )
    return entry


def _payload(credit_record: CreditRecord) -> dict[str, Any]:
    return {
        "record_id": credit_record.pk,
        "grade": credit_record.grade,
        "category": credit_record.category,
        "decision_number": credit_record.decision_number,
        "source_department": credit_record.source_department.code,
        "decision_date": credit_record.decision_date.isoformat(),
    }


def redlist_dishonesty_recorded(*, credit_record: CreditRecord) -> list[str]:
    """End the red-list nominations and entries of the record's subject.

    Each running case gets the message and ends itself, with its documents and
    notices. A case whose step fails becomes an incident to retry; its entry, like
    any other still live, is ended here at once. Returns the cases reached.
    """
    subject = credit_record.subject
    waiting = EventSubscription.objects.filter(
        kind=EventSubscription.Kind.MESSAGE,
        name=DISHONESTY_MESSAGE,
        instance__status__in=DELIVERABLE,
    ).values("instance_id")
    numbers = (
        Case.objects.of_type(Case.Type.REDLIST)
        .for_subject(subject)
        .filter(process_instance__in=waiting)
        .order_by("number")
        .values_list("number", flat=True)
    )
    reached = []
    for number in numbers:
        try:
            message_deliver(
                actor=None,
                system="credit",
                name=DISHONESTY_MESSAGE,
                business_key=number,
                payload=_payload(credit_record),
            )
        except StepFailedError:
            logger.warning("red-list case %s failed on a dishonesty record", number)
            continue
        reached.append(number)
    reason = ListEntry.ExitReason.NEW_DISHONESTY_RECORD
    live = ListEntry.objects.live().of_type(ListEntry.ListType.RED)
    for entry in live.for_subject(subject).select_for_update():
        red_entry_end(entry, actor=None, reason=reason)
    return reached
