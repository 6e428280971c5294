"""Check links of the chain inside PostgreSQL, from the canonical text each event keeps.

Every event written since migration 0005 stores the exact canonical JSON that was
hashed. For those, PostgreSQL itself can check a link in C, with no row leaving
the server: ``sha256(prev_hash ‖ canonical)`` against ``hash``, the previous row's
``hash`` and ``seq`` against this row's ``prev_hash`` and ``seq - 1``, and the
stored text against the row's columns, field by field, so that a column edited
behind the stored text is caught as surely as the text edited behind the hash.
Only the rows that fail one of these come back to Python, where the reference
computation (from the columns alone) decides and names the fault, exactly as for
events that keep no text.

The field comparisons are semantic (jsonb ignores key order and number spelling;
timestamps and addresses compare as values), so they can only say "these agree";
that the bytes were canonical is what the hash proves, and a row flagged here is
always re-judged by the reference code, never condemned by this module.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import Max, Min

from audit.canonical import GENESIS_HASH
from audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table

# The stored text, parsed once per row (j), said field by field against the
# columns: jsonb equality for the JSON columns, the typed value for the others.
_TEXT_AGREES = (
    "(j->>'seq')::bigint = seq"
    " AND (j->>'occurred_at')::timestamptz = occurred_at"
    " AND (j->>'actor_id')::bigint IS NOT DISTINCT FROM actor_id"
    " AND j->>'actor_label' = actor_label AND j->>'action' = action"
    " AND j->>'target_type' = target_type AND j->>'target_id' = target_id"
    " AND j->>'case_number' = case_number"
    " AND j->>'department_code' IS NOT DISTINCT FROM department_code"
    " AND j->>'process_instance_id' = process_instance_id"
    " AND j->'before' = coalesce(before, 'null'::jsonb)"
    " AND j->'after' = coalesce(after, 'null'::jsonb)"
    " AND j->'detail' = detail"
    " AND j->>'request_id' = request_id"
    " AND (j->>'ip')::inet IS NOT DISTINCT FROM ip"
    " AND j->>'via' = via"
)

# The rows of [%(low)s, %(high)s] that fail a check; the first row's predecessor
# is given (%(anchor_seq)s, %(anchor_hash)s), since it lies outside the window.
# OFFSET 0 keeps the parsed text (j) from being parsed again for each use.
_SUSPECTS = f"""
SELECT seq FROM (
    SELECT seq,
        canonical IS NULL
        OR prev_hash IS DISTINCT FROM coalesce(lag(hash) OVER w, %(anchor_hash)s)
        OR seq - 1 <> coalesce(lag(seq) OVER w, %(anchor_seq)s)
        OR encode(pg_catalog.sha256(convert_to(prev_hash || canonical, 'UTF8')),
                  'hex') <> hash
        OR NOT coalesce({_TEXT_AGREES}, false) AS suspect
    FROM (
        SELECT *, canonical::jsonb AS j FROM {TABLE}
        WHERE seq >= %(low)s AND seq <= %(high)s OFFSET 0
    ) parsed
    WINDOW w AS (ORDER BY seq)
) checked
WHERE suspect
ORDER BY seq
LIMIT 1000
"""  # noqa: S608 (only the table name is formatted in; values are parameters)


def supported() -> bool:
    """Say if the configured database can check stored links itself."""
    return connection.vendor == "postgresql"


def last_without_text(low: int, high: int) -> int | None:
    """Return the last seq in [low, high] whose event keeps no canonical text."""
    found = AuditEvent.objects.filter(
        canonical__isnull=True, seq__gte=low, seq__lte=high
    ).aggregate(last=Max("seq"))
    return None if found["last"] is None else int(found["last"])


def bounds(low: int | None, high: int | None) -> tuple[int, int] | None:
    """Return the first and last seq present in [low, high], or None if empty."""
    found = AuditEvent.objects.filter(
        seq__gte=low if low is not None else 0,
        seq__lte=high if high is not None else 2**62,
    ).aggregate(first=Min("seq"), last=Max("seq"))
    if found["first"] is None:
        return None
    return int(found["first"]), int(found["last"])


def suspects(
    low: int, high: int, anchor_seq: int, anchor_hash: str, *, chunk: int
) -> Iterator[tuple[int, int]]:
    """Yield (chunk end, suspect seq or 0) over [low, high] in chunks, in order.

    After each chunk with no suspect, one (chunk end, 0) is yielded so the caller
    can report progress; a chunk's suspects come before its end marker.
    """
    start = low
    while start <= high:
        end = min(start + chunk - 1, high)
        with connection.cursor() as cursor:
            cursor.execute(
                _SUSPECTS,
                {
                    "low": start,
                    "high": end,
                    "anchor_seq": anchor_seq,
                    "anchor_hash": anchor_hash,
                },
            )
            found = [int(row[0]) for row in cursor.fetchall()]
        for seq in found:
            yield end, seq
        if len(found) == 1000:  # more suspects than one query returns: go on
            start = found[-1] + 1
            anchor_seq, anchor_hash = _row_before(start)
            continue
        yield end, 0
        anchor_seq, anchor_hash = _row_before(end + 1)
        start = end + 1


def _row_before(seq: int) -> tuple[int, str]:
    row = (
        AuditEvent.objects.filter(seq__lt=seq)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))


def count_between(low: int, high: int) -> int:
    """Return how many events lie in [low, high]."""
    return AuditEvent.objects.filter(seq__gte=low, seq__lte=high).count()
