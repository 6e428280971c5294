"""Recompute the audit hash chain, find the first broken link, record who checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from audit import stored_check
from audit.canonical import GENESIS_HASH
from audit.chain_rows import fast_hash, payload_rows, reference_hash
from audit.context import current
from audit.models import AuditEvent, AuditVerification
from audit.services import actor_label

PROGRESS_EVERY = 10_000


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


def _link_fault(
    seq: int, stored_prev: str, prev_seq: int, prev_hash: str
) -> tuple[str, str, str] | None:
    """Return (reason, expected, found) if a row does not follow its predecessor."""
    if seq != prev_seq + 1:
        return (
            f"sequence gap: events {prev_seq + 1}..{seq - 1} are missing",
            str(prev_seq + 1),
            str(seq),
        )
    if stored_prev != prev_hash:
        return ("prev_hash does not match the previous event", prev_hash, stored_prev)
    return None


def _content_fault(
    seq: int, prev_hash: str, stored_hash: str, canonical: str
) -> tuple[str, str, str] | None:
    """Return the fault if the row's content does not hash to its stored hash."""
    if fast_hash(prev_hash, canonical) == stored_hash:
        return None
    # The fast encoding disagrees: the reference computation decides.
    computed = reference_hash(seq, prev_hash)
    if computed == stored_hash:
        return None
    return ("hash does not match the event's content", computed, stored_hash)


def chain_verify(
    from_seq: int | None = None,
    to_seq: int | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Recompute the chain over [from_seq, to_seq] and report the first broken link.

    ``progress`` is called with the number of events checked so far, every
    ``PROGRESS_EVERY`` events or so, for callers that show how far a long run got.
    On PostgreSQL, events that keep their canonical text are checked by the
    database (:mod:`audit.stored_check`) and only suspects by the code below;
    the answer is the same either way.
    """
    span = stored_check.bounds(from_seq, to_seq) if stored_check.supported() else None
    if span is None:
        return _verify_rows(from_seq, to_seq, progress)
    low, high = span
    checked = 0
    legacy_end = stored_check.last_without_text(low, high)
    if legacy_end is not None:
        # Events from before the text was kept (or whose text is gone): the rows way.
        legacy = _verify_rows(from_seq, legacy_end, progress)
        if not legacy.ok or legacy_end == high:
            return legacy
        checked, low = legacy.checked, legacy_end + 1
    return _verify_stored(low, high, checked, progress)


def _verify_stored(
    low: int, high: int, checked: int, progress: Callable[[int], None] | None
) -> VerifyResult:
    anchor_seq, anchor_hash = _anchor(low)
    chunks = stored_check.suspects(
        low, high, anchor_seq, anchor_hash, chunk=PROGRESS_EVERY
    )
    previous_end = low - 1
    for chunk_end, suspect in chunks:
        if not suspect:
            # Like the rows way: a report after each full PROGRESS_EVERY events.
            full = chunk_end - previous_end == PROGRESS_EVERY
            if progress is not None and full:
                progress(checked + stored_check.count_between(low, chunk_end))
            previous_end = chunk_end
            continue
        # The database doubts this row: the reference computation decides.
        verdict = _verify_rows(suspect, suspect, None)
        if not verdict.ok:
            before_seq, before_hash = _anchor(suspect)
            good = checked + stored_check.count_between(low, suspect - 1)
            return replace(
                verdict,
                checked=good,
                head_seq=before_seq if good else None,
                head_hash=before_hash,
            )
    head_hash = AuditEvent.objects.values_list("hash", flat=True).get(seq=high)
    return VerifyResult(
        checked=checked + stored_check.count_between(low, high),
        head_seq=high,
        head_hash=head_hash,
    )


def _verify_rows(
    from_seq: int | None,
    to_seq: int | None,
    progress: Callable[[int], None] | None,
) -> VerifyResult:
    """Recompute every link in Python from rows streamed out of the database."""
    prev_seq, prev_hash = _anchor(from_seq)
    checked = 0
    head_seq: int | None = None
    for seq, stored_prev, stored_hash, canonical in payload_rows(from_seq, to_seq):
        fault = _link_fault(seq, stored_prev, prev_seq, prev_hash) or _content_fault(
            seq, prev_hash, stored_hash, canonical
        )
        if fault is not None:
            reason, expected, found = fault
            return VerifyResult(
                checked=checked,
                head_seq=head_seq,
                head_hash=prev_hash,
                broken_seq=seq,
                expected=expected,
                found=found,
                reason=reason,
            )
        checked += 1
        head_seq, prev_hash, prev_seq = seq, stored_hash, seq
        if progress is not None and checked % PROGRESS_EVERY == 0:
            progress(checked)
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
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> tuple[VerifyResult, AuditVerification]:
    """Verify the chain over [from_seq, to_seq] and record who did and what it found.

    ``jobs`` > 1 checks ranges in that many forked processes (command line only;
    no progress is reported then).
    """
    # Checked before the chain is read, so a bad caller leaves no half-run behind.
    actor_label(actor, system)
    started_at = timezone.now()
    if jobs > 1:
        from audit.parallel import chain_verify_parallel

        result = chain_verify_parallel(jobs, from_seq=from_seq, to_seq=to_seq)
    else:
        result = chain_verify(from_seq=from_seq, to_seq=to_seq, progress=progress)
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
