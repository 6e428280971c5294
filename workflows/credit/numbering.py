"""Gap-free numbers: case numbers now, official document numbers (文号) later.

A number is taken by locking the ``NumberSequence`` row of (key, year) with
``SELECT ... FOR UPDATE`` and incrementing it inside the caller's transaction. The
lock is held until that transaction ends, so concurrent callers queue, and a
transaction that rolls back takes its increment with it: no number is lost or
handed out twice. The first number of a year creates the row; two callers racing to
create it both try, one insert fails on the unique constraint inside a savepoint and
that caller locks the winner's row instead.

Case numbers look like ``YY-2026-000017``. The prefixes are the pinyin initials of
the Chinese case name, which staff already use on paper files:

====  ===========  ==============
YY    异议          objection
XF    修复          repair
LR    列入          list entry
LC    (移)出        list exit
HM    红名单        red-list nomination
FH    复核          appeal
====  ===========  ==============
"""

from __future__ import annotations

from typing import Final

from django.db import IntegrityError, transaction

from workflows.credit.models import Case, NumberSequence

CASE_PREFIXES: Final[dict[str, str]] = {
    Case.Type.OBJECTION: "YY",
    Case.Type.REPAIR: "XF",
    Case.Type.LIST_ENTRY: "LR",
    Case.Type.LIST_EXIT: "LC",
    Case.Type.REDLIST: "HM",
    Case.Type.APPEAL: "FH",
}
# Creating the year's row can lose a race at most once per competitor; three
# attempts means something else is wrong (e.g. the row keeps being deleted).
_ATTEMPTS: Final = 3


class NumberingOutsideTransactionError(RuntimeError):
    """A number was taken outside the transaction that will use it."""


def case_sequence_key(case_type: str) -> str:
    """Return the sequence key of a case type, e.g. ``"case.objection"``."""
    if case_type not in CASE_PREFIXES:
        raise ValueError(f"unknown case type {case_type!r}")
    return f"case.{case_type}"


def next_number(case_type: str, year: int) -> str:
    """Take the next case number of a type and year, e.g. ``"YY-2026-000001"``."""
    value = next_value(case_sequence_key(case_type), year)
    return f"{CASE_PREFIXES[case_type]}-{year:04d}-{value:06d}"


def next_value(key: str, year: int) -> int:
    """Take the next value (1, 2, ...) of the sequence ``key`` in ``year``.

    Must run inside ``transaction.atomic()``: the row stays locked until the caller
    commits, and a rollback returns the value to the sequence.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NumberingOutsideTransactionError(
            "next_value() must run inside transaction.atomic(), so the number is "
            "used by the same transaction that takes it."
        )
    if not key or not 1 <= year <= 9999:
        raise ValueError(f"invalid sequence {key!r} / {year!r}")
    for _attempt in range(_ATTEMPTS):
        row = (
            NumberSequence.objects.select_for_update()
            .filter(key=key, year=year)
            .first()
        )
        if row is not None:
            row.last_value += 1
            row.save(update_fields=["last_value"])
            return row.last_value
        try:
            with transaction.atomic():
                NumberSequence.objects.create(key=key, year=year, last_value=0)
        except IntegrityError:
            # Another transaction created it first; lock theirs on the next pass.
            continue
    raise RuntimeError(f"could not take a number for {key!r} in {year}")
