"""Helpers for tests that must get past the audit table's append-only triggers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

TABLE = "audit_auditevent"


def trigger_names() -> set[str]:
    """Return the names of the user triggers defined on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger"
                " WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
            )
        return {name for (name,) in cursor.fetchall()}


@contextmanager
def triggers_disabled() -> Iterator[None]:
    """Switch the append-only triggers off, as a database superuser could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            return
        # SQLite cannot disable a trigger: drop it and recreate it from its own SQL.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
        )
        saved = cursor.fetchall()
        for name, _sql in saved:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _name, sql in saved:
                cursor.execute(sql)


def tamper(sql: str, params: list[str | int]) -> None:
    """Run one raw statement against the audit table with its triggers off."""
    with triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def purge_audit_events() -> None:
    """Delete every audit event, so a transactional test's flush is not refused."""
    tamper("DELETE FROM audit_auditevent", [])
