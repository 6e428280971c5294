"""Start taking a subject off a list: the one way in for every reason of exit.

The list_entry process calls this when the validity ends; repair calls it for an
approved repair of a listing, objection for an upheld objection, and an
administrator for a revocation. The exit runs as its own case (LC-...) and process
(bpmn/list_exit.bpmn), which ends the entry and has the measures lifted.
"""

from __future__ import annotations

from typing import Final

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import record
from workflows.credit.filing import case_submitted
from workflows.credit.models import Case, ListEntry
from workflows.credit.models.common import regime_in_force
from workflows.credit.process import case_process_start, credit_office_for
from workflows.errors import ConflictError, InvalidInputError

EXIT_REASONS: Final = tuple(reason for reason in ListEntry.ExitReason.values if reason)
LISTING_EXITED_MESSAGE: Final = "list_entry_exited"
PUNISHMENT_WITHDRAWN_MESSAGE: Final = "joint_punishment_withdrawn"


def listing_case_of(entry: ListEntry) -> Case | None:
    """Return the list-entry case that listed an entry, if it was listed by one."""
    return (
        Case.objects.filter(case_type=Case.Type.LIST_ENTRY, target_list_entry=entry)
        .select_related("applicant")
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def list_exit_start(*, actor: User | None, entry: ListEntry, reason: str) -> Case:
    """Open an exit case for a listed entry and start its process; return the case.

    ``reason`` is one of ``ListEntry.ExitReason`` (expiry, repair, objection_upheld,
    revocation, new_dishonesty_record). The process that listed the entry is told,
    so it stops waiting for the expiry.
    """
    return list_exit_open(actor=actor, entry=entry, reason=reason, signal_listing=True)


@transaction.atomic
def list_exit_open(
    *, actor: User | None, entry: ListEntry, reason: str, signal_listing: bool
) -> Case:
    """Open and start the exit; ``signal_listing`` is False when that process asks."""
    if reason not in EXIT_REASONS:
        raise InvalidInputError(
            f"unknown exit reason {reason!r}", [f"known: {', '.join(EXIT_REASONS)}"]
        )
    entry = (
        ListEntry.objects.select_for_update(of=("self",))
        .select_related("subject", "deciding_department", "record")
        .get(pk=entry.pk)
    )
    if entry.status != ListEntry.Status.LISTED:
        raise ConflictError(f"list entry {entry.pk} is {entry.get_status_display()}")
    if (
        Case.objects.of_type(Case.Type.LIST_EXIT)
        .filter(
            target_list_entry=entry,
            status__in=[*Case.OPEN_STATUSES, Case.Status.DECIDED],
        )
        .exists()
    ):
        raise ConflictError(f"list entry {entry.pk} is already being taken off")
    listing = listing_case_of(entry)
    # None: the system opens it (an expiry no process was watching).
    applicant = actor or (listing.applicant if listing else None)
    case = case_submitted(
        Case.Type.LIST_EXIT,
        applicant=applicant,
        subject=entry.subject,
        target_list_entry=entry,
        regime=_regime(entry, listing),
        jurisdiction=_jurisdiction(entry, listing),
        reason=ListEntry.ExitReason(reason).label,
    )
    record(
        action="case.file",
        actor=actor,
        system="" if actor else "credit",
        target=case,
        case_number=case.number,
        after={"type": case.case_type, "list_entry": entry.pk, "exit_reason": reason},
        detail={"listing_case": listing.number if listing else ""},
    )
    # The exit follows from a decision already taken (or from the calendar), so the
    # system starts it, whoever's decision it carries out.
    case_process_start(
        case,
        "list_exit",
        actor=None,
        data={
            "entry_id": entry.pk,
            "exit_reason": reason,
            "deciding_department": entry.deciding_department.code,
            "credit_office": credit_office_for(case.jurisdiction).code,
            "listing_case": listing.number if listing else "",
            "signal_listing": signal_listing,
        },
    )
    case.refresh_from_db()  # the process has moved it on
    return case


def _regime(entry: ListEntry, listing: Case | None) -> str:
    if listing is not None:
        return listing.regime
    if entry.record is not None:
        return entry.record.regime
    return regime_in_force(entry.valid_from or timezone.localdate())


def _jurisdiction(entry: ListEntry, listing: Case | None) -> str:
    if listing is not None:
        return listing.jurisdiction
    if entry.record is not None:
        return entry.record.jurisdiction
    return entry.deciding_department.jurisdiction
