"""Joint punishment measures on a list entry: request, feedback, lifting, selectors.

The implementing departments answer through their BPMN task (the form is the
interface); these functions are what the process's operations call, so every
write validates, changes the rows and audits in the step's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import record
from workflows.access.roles import is_process_admin
from workflows.credit.models import Department, ListEntry, Measure, MeasureApplication
from workflows.errors import ForbiddenError, InvalidInputError, NotFoundError

SYSTEM: Final = "credit"


def catalogue_measures(list_type: str) -> QuerySet[Measure]:
    """Return the active catalogue measures for a list type with a live implementer."""
    return (
        Measure.objects.active()
        .for_list_type(list_type)
        .filter(
            implementing_department__active=True,
            implementing_department__is_implementing=True,
        )
        .select_related("implementing_department")
    )


def measure_applications_pending_for(
    department: Department,
) -> QuerySet[MeasureApplication]:
    """List a department's unanswered measures on entries that are still listed."""
    return (
        MeasureApplication.objects.pending()
        .for_department(department)
        .filter(list_entry__status=ListEntry.Status.LISTED)
        .select_related(
            "measure", "list_entry__subject", "list_entry__deciding_department"
        )
        .order_by("created_at", "id")
    )


def departments_to_lift(entry: ListEntry) -> list[str]:
    """Return the codes of departments with applied measures not yet lifted."""
    codes = (
        MeasureApplication.objects.applied()
        .filter(list_entry=entry, lifted_at__isnull=True)
        .values_list("implementing_department__code", flat=True)
    )
    return sorted(set(codes))


def measure_feedback_summary(entry: ListEntry) -> dict[str, dict[str, Any]]:
    """Return, per department code, the measures applied, not applied and pending."""
    summary: dict[str, dict[str, Any]] = {}
    rows = entry.measure_applications.select_related(
        "measure", "implementing_department"
    ).order_by("implementing_department__code", "measure__code")
    for row in rows:
        answer = summary.setdefault(
            row.implementing_department.code,
            {"applied": [], "not_applied": [], "pending": []},
        )
        if row.status == MeasureApplication.Status.NOT_APPLIED:
            answer["not_applied"].append(
                {"measure": row.measure.code, "reason": row.reason}
            )
        else:
            answer[row.status].append(row.measure.code)
    return summary


@transaction.atomic
def measure_applications_open(
    *, actor: User | None, entry: ListEntry, case_number: str = ""
) -> list[str]:
    """Ask each implementing department for the catalogue's measures on an entry.

    Returns the codes of the departments that have measures to answer; asking
    again creates nothing twice.
    """
    created = []
    for measure in catalogue_measures(entry.list_type):
        _row, new = MeasureApplication.objects.get_or_create(
            list_entry=entry,
            measure=measure,
            defaults={"implementing_department": measure.implementing_department},
        )
        if new:
            created.append(measure.code)
    departments = sorted(
        set(
            entry.measure_applications.pending().values_list(
                "implementing_department__code", flat=True
            )
        )
    )
    record(
        action="measures.request",
        actor=actor,
        system="" if actor else SYSTEM,
        target=entry,
        case_number=case_number,
        detail={"measures": created, "departments": departments},
    )
    return departments


def _answer_problems(
    answers: Any, pending: dict[str, MeasureApplication]
) -> tuple[list[str], dict[str, tuple[bool, str]]]:
    if not isinstance(answers, list):
        return ["measures_feedback: give one answer per measure, as a list"], {}
    problems: list[str] = []
    given: dict[str, tuple[bool, str]] = {}
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        where = f"measures_feedback[{index}]"
        code = str(answer.get("measure") or "") if isinstance(answer, dict) else ""
        problem = _answer_problem(answer, code, pending, seen)
        seen.add(code)
        if problem:
            problems.append(f"{where}: {problem}")
        else:
            reason = str(answer.get("reason") or "").strip()[:2000]
            given[code] = (answer["applied"], reason)
    problems += [f"{code}: not answered" for code in sorted(set(pending) - seen)]
    return problems, given


def _answer_problem(
    answer: Any, code: str, pending: dict[str, MeasureApplication], seen: set[str]
) -> str:
    if code not in pending:
        return f"{code!r} is not a measure awaiting your answer"
    if code in seen:
        return f"{code} is answered twice"
    if not isinstance(answer.get("applied"), bool):
        return f"say whether {code} was applied (true/false)"
    if not answer["applied"] and not str(answer.get("reason") or "").strip():
        return f"give the reason {code} is not applied"
    return ""


@transaction.atomic
def measure_feedback_record(
    *,
    actor: User | None,
    entry: ListEntry,
    department: Department,
    answers: Any,
    case_number: str = "",
) -> list[str]:
    """Record a department's answer on each of its measures, or say what is missing.

    All or nothing: with any problem nothing is written and the problems are
    returned, so the department answers again in the same task.
    """
    rows = (
        MeasureApplication.objects.pending()
        .select_for_update(of=("self",))
        .filter(list_entry=entry, implementing_department=department)
        .select_related("measure")
    )
    pending = {row.measure.code: row for row in rows}
    problems, given = _answer_problems(answers, pending)
    if problems:
        return problems
    now = timezone.now()
    for code, (applied, reason) in given.items():
        row = pending[code]
        row.status = (
            MeasureApplication.Status.APPLIED
            if applied
            else MeasureApplication.Status.NOT_APPLIED
        )
        row.reason, row.decided_by, row.decided_at = reason, actor, now
        row.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    record(
        action="measures.feedback",
        actor=actor,
        system="" if actor else SYSTEM,
        target=entry,
        case_number=case_number,
        department_code=department.code,
        detail={
            "department": department.code,
            "applied": sorted(c for c, (a, _r) in given.items() if a),
            "not_applied": {c: r for c, (a, r) in sorted(given.items()) if not a},
        },
    )
    return []


@transaction.atomic
def measures_lift(
    *,
    actor: User | None,
    entry: ListEntry,
    department: Department,
    note: str = "",
    case_number: str = "",
) -> list[str]:
    """Record that a department lifted every measure it applied to an exited entry."""
    rows = list(
        MeasureApplication.objects.applied()
        .select_for_update(of=("self",))
        .filter(list_entry=entry, implementing_department=department)
        .filter(lifted_at__isnull=True)
        .select_related("measure")
    )
    now = timezone.now()
    for row in rows:
        row.lifted_at = now
        row.save(update_fields=["lifted_at"])
    codes = sorted(row.measure.code for row in rows)
    record(
        action="measures.lift",
        actor=actor,
        system="" if actor else SYSTEM,
        target=entry,
        case_number=case_number,
        department_code=department.code,
        detail={"department": department.code, "lifted": codes, "note": note[:500]},
    )
    return codes


def department_people(codes: Iterable[str], role: str) -> QuerySet[User]:
    """Return the active users holding ``role`` in any of these departments."""
    return User.objects.filter(
        is_active=True,
        credit_memberships__role=role,
        credit_memberships__department__code__in=list(codes),
    ).distinct()


def can_edit_catalogue(actor: User) -> bool:
    """Say if the actor maintains the measures catalogue (process administrators)."""
    return actor.has_perm("credit.change_measure") or is_process_admin(actor)


def _catalogue_state(measure: Measure) -> dict[str, Any]:
    fields = ("code", "name", "kind", "list_types", "legal_basis", "active")
    state = {name: getattr(measure, name) for name in fields}
    return state | {"department": measure.implementing_department.code}


def _require_editor(actor: User) -> None:
    if not can_edit_catalogue(actor):
        raise ForbiddenError("not allowed to edit the measures catalogue")


def _save_measure(measure: Measure, actor: User, action: str, before: Any) -> None:
    department = measure.implementing_department
    try:
        measure.full_clean()
        if not (department.is_implementing and department.active):
            message = "不是实施部门 / not an active implementing department"
            raise ValidationError({"implementing_department": message})
    except ValidationError as exc:
        problems = [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
        raise InvalidInputError("the measure is not valid", problems) from exc
    measure.save()
    record(
        action=action,
        actor=actor,
        target=measure,
        department_code=department.code,
        before=before,
        after=_catalogue_state(measure),
    )


@transaction.atomic
def measure_create(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    implementing_department: Department,
    list_types: Iterable[str],
    legal_basis: str,
    active: bool = True,
) -> Measure:
    """Add a measure to the published catalogue."""
    _require_editor(actor)
    measure = Measure(
        code=code.strip(), implementing_department=implementing_department
    )
    _fill(measure, name, kind, list_types, legal_basis, active)
    _save_measure(measure, actor, "measure.create", None)
    return measure


@transaction.atomic
def measure_update(
    *,
    actor: User,
    measure_id: int,
    name: str,
    kind: str,
    implementing_department: Department,
    list_types: Iterable[str],
    legal_basis: str,
    active: bool,
) -> Measure:
    """Change a catalogue measure; its code, which answers refer to, stays."""
    _require_editor(actor)
    measure = Measure.objects.select_for_update().filter(pk=measure_id).first()
    if measure is None:
        raise NotFoundError("no such measure")
    before = _catalogue_state(measure)
    measure.implementing_department = implementing_department
    _fill(measure, name, kind, list_types, legal_basis, active)
    _save_measure(measure, actor, "measure.update", before)
    return measure


def _fill(
    measure: Measure,
    name: str,
    kind: str,
    list_types: Iterable[str],
    legal_basis: str,
    active: bool,
) -> None:
    measure.name, measure.kind, measure.active = name.strip(), kind, active
    measure.list_types = Measure.encode_list_types(list_types)
    measure.legal_basis = legal_basis.strip()
