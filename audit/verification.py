"""Recompute the audit hash chain, find the first broken link, record who checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from audit.canonical import (
    GENESIS_HASH,
    HASHED_FIELDS,
    OPTIONAL_HASHED_FIELDS,
    event_hash,
)
from audit.context import current
from audit.models import AuditEvent, AuditVerification
from audit.services import actor_label

CHUNK_SIZE = 2000


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Outcome of a verification run.

    ``head_seq``/``head_hash`` name the last event that verified (``None`` and the
    hash the range links to when none did). On failure ``broken_seq`` is the first
    event that does not fit, with the value the chain required (``expected``), the
    value the row holds (``found``) and a ``reason``.
    """

    checked: int
    head_seq: int | None
    head_hash: str
    broken_seq: int | None = None
    expected: str = ""
    found: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        """Tell whether every checked event linked correctly."""
        return self.broken_seq is None


class CheckOutcome(Protocol):
    """What a verification row records: VerifyResult or a digest check."""

    @property
    def ok(self) -> bool: ...
    @property
    def checked(self) -> int: ...
    @property
    def head_seq(self) -> int | None: ...
    @property
    def head_hash(self) -> str: ...
    @property
    def broken_seq(self) -> int | None: ...
    @property
    def expected(self) -> str: ...
    @property
    def found(self) -> str: ...
    @property
    def reason(self) -> str: ...


def _anchor(from_seq: int | None) -> tuple[int, str]:
    """Return (seq, hash) of the event just before the range, or the genesis."""
    if from_seq is None:
        return 0, GENESIS_HASH
    before = (
        AuditEvent.objects.filter(seq__lt=from_seq)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    return before if before is not None else (0, GENESIS_HASH)


def _first_fault(
    row: Mapping[str, Any], prev_seq: int, prev_hash: str
) -> tuple[str, str, str] | None:
    """Return (reason, expected, found) for a row that breaks the chain, else None."""
    if row["seq"] != prev_seq + 1:
        return (
            f"sequence gap: events {prev_seq + 1}..{row['seq'] - 1} are missing",
            str(prev_seq + 1),
            str(row["seq"]),
        )
    if row["prev_hash"] != prev_hash:
        return (
            "prev_hash does not match the previous event",
            prev_hash,
            row["prev_hash"],
        )
    computed = event_hash(prev_hash, row)
    if row["hash"] != computed:
        return ("hash does not match the event's content", computed, row["hash"])
    return None


def chain_verify(
    from_seq: int | None = None, to_seq: int | None = None
) -> VerifyResult:
    """Recompute the chain over [from_seq, to_seq] and report the first broken link."""
    prev_seq, prev_hash = _anchor(from_seq)
    rows = AuditEvent.objects.order_by("seq")
    if from_seq is not None:
        rows = rows.filter(seq__gte=from_seq)
    if to_seq is not None:
        rows = rows.filter(seq__lte=to_seq)
    checked = 0
    head_seq: int | None = None
    columns = (*HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS, "prev_hash", "hash")
    for row in rows.values(*columns).iterator(chunk_size=CHUNK_SIZE):
        fault = _first_fault(row, prev_seq, prev_hash)
        if fault is not None:
            reason, expected, found = fault
            return VerifyResult(
                checked=checked,
                head_seq=head_seq,
                head_hash=prev_hash,
                broken_seq=row["seq"],
                expected=expected,
                found=found,
                reason=reason,
            )
        checked += 1
        head_seq, prev_hash, prev_seq = row["seq"], row["hash"], row["seq"]
    return VerifyResult(checked=checked, head_seq=head_seq, head_hash=prev_hash)


def verification_save(
    result: CheckOutcome,
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    system: str = "",
    started_at: dt.datetime,
    from_seq: int | None = None,
    to_seq: int | None = None,
    digest_file: str = "",
) -> AuditVerification:
    """Store the outcome of a check and who ran it.

    Called outside a transaction (the command, the beat task), the row commits on
    its own, so a failed check stays on record although the caller then fails.
    """
    context = current()
    with transaction.atomic():
        return AuditVerification.objects.create(
            kind=kind,
            started_at=started_at,
            finished_at=timezone.now(),
            actor_id=None if actor is None else actor.pk,
            actor_label=actor_label(actor, system),
            request_id=context.request_id,
            ip=context.ip,
            via=context.via,
            from_seq=from_seq,
            to_seq=to_seq,
            digest_file=digest_file,
            ok=result.ok,
            checked=result.checked,
            head_seq=result.head_seq,
            head_hash=result.head_hash,
            broken_seq=result.broken_seq,
            reason=result.reason[:300],
            expected=result.expected[:128],
            found=result.found[:128],
        )


def verification_run(
    *,
    actor: AbstractBaseUser | None,
    system: str = "",
    from_seq: int | None = None,
    to_seq: int | None = None,
) -> tuple[VerifyResult, AuditVerification]:
    """Verify the chain over [from_seq, to_seq] and record who did and what it found."""
    # Checked before the chain is read, so a bad caller leaves no half-run behind.
    actor_label(actor, system)
    started_at = timezone.now()
    result = chain_verify(from_seq=from_seq, to_seq=to_seq)
    row = verification_save(
        result,
        kind=AuditVerification.Kind.CHAIN,
        actor=actor,
        system=system,
        started_at=started_at,
        from_seq=from_seq,
        to_seq=to_seq,
    )
    return result, row
