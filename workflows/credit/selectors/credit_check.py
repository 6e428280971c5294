"""Credit check (信用审查): what another department's approval needs about a subject.

A procurement platform checking a bidder, a subsidy or licence approval: the
subject, its list memberships in force with their validity, the catalogue measures
the *calling* department implements on those lists (and whether it already answered
them), its records under objection, and whether it is on the red list. Every check
is recorded with the calling department and the stated purpose (查询使用登记), in
the same transaction as the read: ``credit_check_run``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import record
from workflows.access.roles import departments_of
from workflows.credit.identifiers import (
    mask_identifier,
    normalise_identifier,
    validate_resident_id,
    validate_uscc,
)
from workflows.credit.models import (
    CreditRecord,
    Department,
    ListEntry,
    Measure,
    MeasureApplication,
    Subject,
)
from workflows.errors import ForbiddenError, InvalidInputError

MAX_PURPOSE = 500
DISHONESTY_LISTS = (
    ListEntry.ListType.SERIOUS_DISHONESTY,
    ListEntry.ListType.KEY_ATTENTION,
)
UNDER_OBJECTION = (
    CreditRecord.Status.UNDER_OBJECTION,
    CreditRecord.Status.MEASURES_SUSPENDED,
)


@dataclass(frozen=True)
class MeasureFinding:
    """A measure the calling department implements on one of the subject's lists.

    ``status`` is the department's answer on that listing (pending, applied,
    not_applied) or "not_requested" when no request reached it; ``suspended`` says
    the listing's record is under objection with punishment suspended.
    """

    measure: Measure
    entry: ListEntry
    status: str
    suspended: bool


@dataclass(frozen=True)
class RedListStatus:
    """Whether the subject is on the red list today, and for how long."""

    listed: bool
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class CreditCheck:
    """The answer to one credit check."""

    code: str
    checked_on: dt.date
    department: Department
    subject: Subject | None
    memberships: list[ListEntry] = field(default_factory=list)
    measures: list[MeasureFinding] = field(default_factory=list)
    records_under_objection: list[CreditRecord] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """True when the code belongs to a subject on file."""
        return self.subject is not None

    @property
    def red_list(self) -> RedListStatus:
        """The subject's red-list status today."""
        entry = next(
            (e for e in self.memberships if e.list_type == ListEntry.ListType.RED),
            None,
        )
        if entry is None:
            return RedListStatus(listed=False)
        return RedListStatus(True, entry.valid_from, entry.valid_to)

    @property
    def dishonest(self) -> bool:
        """True when the subject is on a dishonesty list today."""
        return any(e.list_type in DISHONESTY_LISTS for e in self.memberships)


def checked_code(raw: str) -> str:
    """Return a normalised credit code or ID number, or raise naming the field."""
    code = normalise_identifier(raw or "")
    for validator in (validate_uscc, validate_resident_id):
        try:
            validator(code)
        except ValidationError:
            continue
        return code
    raise InvalidInputError(
        "not a valid unified social credit code or resident ID number",
        ["code: 代码或身份证号无效 / not a valid credit code or ID number"],
    )


def credit_check(subject_code: str, *, department: Department) -> CreditCheck:
    """Read what a credit check answers for one subject code (five queries)."""
    code = checked_code(subject_code)
    today = timezone.localdate()
    subject = Subject.objects.filter(code=code).first()
    if subject is None:
        return CreditCheck(
            code=mask_identifier(code),
            checked_on=today,
            department=department,
            subject=None,
        )
    memberships = list(
        ListEntry.objects.for_subject(subject)
        .in_force_on(today)
        .select_related("deciding_department", "record")
        .order_by("list_type", "valid_from", "pk")
    )
    return CreditCheck(
        code=subject.masked_code,
        checked_on=today,
        department=department,
        subject=subject,
        memberships=memberships,
        measures=_measures(memberships, department),
        records_under_objection=list(
            CreditRecord.objects.for_subject(subject)
            .filter(status__in=UNDER_OBJECTION)
            .select_related("source_department")
            .order_by("-decision_date", "-pk")
        ),
    )


def _measures(entries: list[ListEntry], department: Department) -> list[MeasureFinding]:
    """The department's active catalogue measures on each entry, with its answers."""
    types = {entry.list_type for entry in entries}
    if not types:
        return []
    catalogue = [
        measure
        for measure in Measure.objects.active().filter(
            implementing_department=department
        )
        if measure.list_type_set & types
    ]
    if not catalogue:
        return []
    rows = MeasureApplication.objects.filter(
        list_entry__in=[e.pk for e in entries],
        measure__in=[m.pk for m in catalogue],
    ).values_list("list_entry_id", "measure_id", "status")
    answers = {(entry_id, measure_id): status for entry_id, measure_id, status in rows}
    found: list[MeasureFinding] = []
    for entry in entries:
        suspended = bool(
            entry.record
            and entry.record.status == CreditRecord.Status.MEASURES_SUSPENDED
        )
        for measure in catalogue:
            if entry.list_type not in measure.list_type_set:
                continue
            status = answers.get((entry.pk, measure.pk), "not_requested")
            found.append(MeasureFinding(measure, entry, status, suspended))
    return found


def credit_check_department(user: User, code: str | None = None) -> Department:
    """Return the department a user checks for: the one named, or their only one."""
    departments = departments_of(user)
    if not departments:
        raise ForbiddenError("credit checks are made by a department's staff")
    if code:
        chosen = next((d for d in departments if d.code == code), None)
        if chosen is None:
            raise InvalidInputError(
                "you do not work in this department",
                ["department: 您不在该部门 / not one of your departments"],
            )
        return chosen
    if len(departments) > 1:
        raise InvalidInputError(
            "name the department you check for",
            ["department: " + ", ".join(d.code for d in departments)],
        )
    return departments[0]


@transaction.atomic
def credit_check_run(
    *, actor: User, subject_code: str, department: Department, purpose: str
) -> CreditCheck:
    """Make a credit check and record who asked, for which department and why."""
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise InvalidInputError(
            "say what the check is for", ["purpose: 请说明查询用途 / state the purpose"]
        )
    if len(purpose) > MAX_PURPOSE:
        raise InvalidInputError(
            "the purpose is too long", [f"purpose: at most {MAX_PURPOSE} characters"]
        )
    result = credit_check(subject_code, department=department)
    subject = result.subject
    record(
        action="credit.check",
        actor=actor,
        target=subject,
        target_type="" if subject else "credit.subject",
        target_id="" if subject else "unknown",
        department_code=department.code,
        detail={
            "purpose": purpose,
            "code": result.code,
            "found": subject is not None,
            "lists": sorted({e.list_type for e in result.memberships}),
        },
    )
    return result
