"""Actions a party may take on any kind of case: supplying missing materials."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from audit.services import record
from workflows.credit.deadlines import deadline_met
from workflows.credit.filing import action
from workflows.credit.models import Case, CreditRecord
from workflows.credit.services.attachments import attachment_attach_staged
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from workflows.services.messages import message_deliver

WINDOW_CLERK_PERMISSION = "credit.add_attachment"


def record_for_party(
    actor: User,
    data: Mapping[str, Any],
    records: QuerySet[CreditRecord],
    *,
    prompt: str,
    missing: str,
) -> tuple[CreditRecord, str]:
    """Find the record a case is about, and the channel: its subject's own people
    file online, a window clerk files for them; anyone else is told "not found"."""
    try:
        record_id = int(data["record"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInputError(prompt, ["record"]) from None
    found = (
        records.select_related("subject", "source_department")
        .filter(pk=record_id)
        .first()
    )
    # A record the actor may not act on is "not found": ids leak nothing.
    if found is None:
        raise NotFoundError(missing)
    if found.subject.accounts.filter(pk=actor.pk).exists():
        return found, Case.Channel.ONLINE
    if actor.has_perm(WINDOW_CLERK_PERMISSION):
        return found, Case.Channel.WINDOW
    raise NotFoundError(missing)


def require_party(actor: User, case: Case) -> None:
    """Only the applicant or their agent acts for the subject on a case."""
    if actor.pk not in (case.applicant_id, case.agent_id):
        raise ForbiddenError(f"only the applicant or agent may act on {case.number}")


@action("supplement")
@transaction.atomic
def case_supplement(*, actor: User, case: Case, data: Mapping[str, Any]) -> Case:
    """Supply the materials a supplement request asked for; the check resumes."""
    require_party(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.SUPPLEMENT_REQUESTED:
        raise ConflictError(f"case {case.number} is not waiting for materials")
    note = str(data.get("note") or "")[:2000]
    # Materials uploaded ahead of the answer join the case in this transaction.
    attachments = attachment_attach_staged(
        actor=actor, case=case, ids=data.get("attachments") or []
    )
    deadline_met(case, "supplement")
    case.status = Case.Status.SUBMITTED
    case.save(update_fields=["status", "updated_at"])
    record(
        action="case.supplement",
        actor=actor,
        target=case,
        case_number=case.number,
        after={"attachments": attachments, "note": note},
    )
    # The party's right to supply was checked above; the system delivers it.
    message_deliver(
        actor=None,
        system="credit",
        name="supplement_received",
        business_key=case.number,
        payload={"attachments": attachments, "note": note},
    )
    return case
