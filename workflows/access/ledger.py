"""Collect the grants an engine step makes, for the audit event of that step.

A step's projection (and any step it routes messages to) grants and revokes object
permissions deep inside the runtime; the service that records the step's audit event
wraps the step in ``collect()`` and writes what was collected into its detail.
Outside ``collect()`` nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

Grant = dict[str, str]
_collected: ContextVar[list[Grant] | None] = ContextVar("access_grants", default=None)


@contextmanager
def collect() -> Iterator[list[Grant]]:
    """Collect every grant noted inside the block into the list it yields."""
    notes: list[Grant] = []
    token = _collected.set(notes)
    try:
        yield notes
    finally:
        _collected.reset(token)


def note(grants: Sequence[Grant]) -> None:
    """Add grants to the innermost ``collect()`` block, if any."""
    notes = _collected.get()
    if notes is not None:
        notes.extend(grants)
