"""Change credit records with their history: every change keeps before and after."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User

from audit.services import record
from workflows.credit.models import Case, CreditRecord, RecordCorrection

_TRACKED = ("status", "content")


def _snapshot(credit_record: CreditRecord) -> dict[str, Any]:
    return {field: getattr(credit_record, field) for field in _TRACKED}


def record_change(
    credit_record: CreditRecord,
    *,
    actor: User | None,
    case: Case | None,
    reason: str,
    status: str | None = None,
    content: Mapping[str, Any] | None = None,
) -> RecordCorrection:
    """Change a record's status and/or content, keeping the correction history."""
    before = _snapshot(credit_record)
    if status is not None:
        credit_record.status = status
    if content:
        credit_record.content = {**(credit_record.content or {}), **dict(content)}
    credit_record.save(update_fields=["status", "content", "updated_at"])
    after = _snapshot(credit_record)
    correction = RecordCorrection.objects.create(
        record=credit_record,
        case=case,
        before=before,
        after=after,
        reason=reason,
        changed_by=actor,
    )
    record(
        action="record.change",
        actor=actor,
        system="" if actor else "credit",
        target=credit_record,
        case_number=case.number if case else "",
        before=before,
        after=after,
        detail={"reason": reason[:500]},
    )
    return correction
