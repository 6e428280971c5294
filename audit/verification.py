"""Recompute the audit hash chain and find the first broken link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit.canonical import GENESIS_HASH, HASHED_FIELDS, event_hash
from audit.models import AuditEvent

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
    columns = (*HASHED_FIELDS, "prev_hash", "hash")
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
