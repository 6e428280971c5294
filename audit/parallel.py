"""Verify the chain with several processes, one contiguous range each.

Every link is a local check (a row's ``prev_hash`` against the stored hash of the
row before it, its ``hash`` against its own content), so ranges can be checked
independently: each is anchored on the stored event just before it, and the
row that starts a range is checked against that anchor like any other link. The
result is the serial one: the first broken link of the lowest broken range, and
the events checked before it.

For the command line and benchmarks only: it forks, which a Celery worker's pool
process may not do (its children are daemonic) and which a threaded server must
not do.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from django.db import connections
from django.db.models import Max, Min

from audit.models import AuditEvent
from audit.verification import VerifyResult, chain_verify


def split(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """Cut [first, last] into at most ``parts`` contiguous ranges of equal size."""
    if last < first:
        return []
    size = -(-(last - first + 1) // max(1, parts))
    return [(low, min(low + size - 1, last)) for low in range(first, last + 1, size)]


def _verify_range(bounds: tuple[int, int]) -> VerifyResult:
    connections.close_all()  # a forked child must not share its parent's socket
    try:
        return chain_verify(from_seq=bounds[0], to_seq=bounds[1])
    finally:
        connections.close_all()


def combine(results: list[VerifyResult]) -> VerifyResult:
    """Merge the results of consecutive ranges as one serial run would report."""
    checked = 0
    head_seq: int | None = None
    head_hash = ""
    for result in results:
        if not result.ok:
            # Broken at a range's first event: the last good one is the range before's.
            last_good = result.head_seq if result.head_seq is not None else head_seq
            return replace(result, checked=checked + result.checked, head_seq=last_good)
        checked += result.checked
        if result.head_seq is not None:
            head_seq, head_hash = result.head_seq, result.head_hash
    return VerifyResult(checked=checked, head_seq=head_seq, head_hash=head_hash)


def chain_verify_parallel(
    jobs: int, from_seq: int | None = None, to_seq: int | None = None
) -> VerifyResult:
    """Verify [from_seq, to_seq] with ``jobs`` processes (1 means serially here)."""
    extent = AuditEvent.objects.aggregate(first=Min("seq"), last=Max("seq"))
    if jobs <= 1 or extent["last"] is None:
        return chain_verify(from_seq=from_seq, to_seq=to_seq)
    first = from_seq if from_seq is not None else 1
    last = min(to_seq, extent["last"]) if to_seq is not None else extent["last"]
    ranges = split(first, last, jobs)
    if len(ranges) <= 1:
        return chain_verify(from_seq=from_seq, to_seq=to_seq)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(ranges), mp_context=context) as pool:
        results = list(pool.map(_verify_range, ranges))
    return combine(results)
