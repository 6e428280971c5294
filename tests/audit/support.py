"""Helpers for tests that must get past the audit tables' append-only triggers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from audit.canonical import GENESIS_HASH, event_hash
from audit.models import AuditEvent

TABLE = "audit_auditevent"
# Every append-only table of the audit app; the purge empties them all.
APPEND_ONLY_TABLES = ("audit_auditdigest", "audit_auditverification", TABLE)


def trigger_names(table: str = TABLE) -> set[str]:
    """Return the names of the user triggers defined on an audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger"
                " WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        return {name for (name,) in cursor.fetchall()}


@contextmanager
def triggers_disabled(table: str = TABLE) -> Iterator[None]:
    """Switch an audit table's append-only triggers off, as a superuser could."""
    if table not in APPEND_ONLY_TABLES:
        raise ValueError(f"{table} is not an append-only audit table.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        # SQLite cannot disable a trigger: drop it and recreate it from its own SQL.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        saved = cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _name, sql in saved:
                cursor.execute(sql)


def tamper(sql: str, params: list[str | int], table: str = TABLE) -> None:
    """Run one raw statement against an audit table with its triggers off."""
    with triggers_disabled(table), connection.cursor() as cursor:
        cursor.execute(sql, params)


def purge_audit_events() -> None:
    """Empty every append-only audit table, so a transactional test's flush works."""
    for table in APPEND_ONLY_TABLES:
        tamper(f"DELETE FROM {table}", [], table=table)  # noqa: S608 (fixed names)


def rewrite_tail(from_seq: int, **changes: str) -> None:
    """Change one event, then recompute every hash from it on, as a forger with
    superuser rights would: the rewritten chain verifies on its own."""
    earlier = AuditEvent.objects.filter(seq__lt=from_seq).order_by("-seq")
    prev_hash = earlier.values_list("hash", flat=True).first() or GENESIS_HASH
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq").values()
    ]
    with triggers_disabled():
        for row in rows:
            edits = changes if row["seq"] == from_seq else {}
            row.update(edits)
            new_hash = event_hash(prev_hash, row)
            AuditEvent.objects.filter(seq=row["seq"]).update(
                prev_hash=prev_hash, hash=new_hash, **edits
            )
            prev_hash = new_hash
