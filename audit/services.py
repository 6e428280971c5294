"""The one way to write an audit event.

Appends are serialised so the chain never forks:

* PostgreSQL: ``pg_advisory_xact_lock`` on a fixed key, taken before the previous
  hash is read and released when the caller's transaction ends. Writers that touch
  unrelated rows still queue here, but only for the few milliseconds between their
  audit append and their commit.
* SQLite: settings open every transaction with ``BEGIN IMMEDIATE``, which takes the
  database write lock up front, so there is only ever one writer. (Even in DEFERRED
  mode a second writer would fail with "database is locked" rather than fork.)

A unique constraint on ``prev_hash`` backs this up in the database itself. The
previous hash is read after the lock is taken, so under READ COMMITTED (Django's
default) it is the latest committed one; a caller in REPEATABLE READ that started
before another append committed reads a stale head and fails on the duplicate
``seq`` instead of forking the chain.

A second append in the same transaction needs neither the lock (still held: both
locks last until the transaction ends) nor the head (it is the event just written),
so it costs one INSERT. The head is remembered per connection together with the
connection's list of on-commit callbacks, and used only while that very list object
is still the connection's: Django replaces the list when a transaction commits or
rolls back and when a savepoint rolls back (``savepoint_rollback`` rebuilds it to
drop the callbacks registered inside), but keeps it when a savepoint is released.
So a remembered head whose event a savepoint rollback undid is never used.
``tests/audit/test_chain_head.py`` pins this behaviour of Django down.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from audit.canonical import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    event_payload,
    normalise,
)
from audit.context import current
from audit.models import AuditEvent

# Arbitrary but fixed: the ASCII bytes of "auditlog" as a signed 64-bit integer.
CHAIN_LOCK_KEY = int.from_bytes(b"auditlog", "big", signed=True)
_HEAD_ATTRIBUTE = "_audit_chain_head"

ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
SYSTEM_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class AuditOutsideTransactionError(RuntimeError):
    """An audit event was recorded outside the transaction of the change it records."""


def record(
    *,
    action: str,
    actor: AbstractBaseUser | None,
    system: str = "",
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    case_number: str = "",
    department_code: str = "",
    process_instance_id: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event to the chain inside the caller's transaction.

    Give either ``actor`` (a saved user) or ``system`` (the job name, recorded as
    "system:<name>"), never both. Give either ``target`` or ``target_type`` and
    ``target_id``. ``department_code`` names the department the change belongs to,
    so auditors can search by department. Request id, IP and channel come from
    :func:`audit.context.bind`.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise AuditOutsideTransactionError(
            "audit.services.record() must run inside transaction.atomic(), so the "
            "event commits or rolls back with the change it records."
        )
    if not ACTION_PATTERN.fullmatch(action):
        raise ValueError("action must be dotted lower-case, like 'task.complete'.")
    target_type, target_id = _target_columns(target, target_type, target_id)
    context = current()
    values: dict[str, Any] = {
        "actor_id": None if actor is None else actor.pk,
        "actor_label": actor_label(actor, system),
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "case_number": case_number,
        # Null, not blank, when absent: such events hash as they did before the
        # column existed (audit.canonical.OPTIONAL_HASHED_FIELDS).
        "department_code": department_code or None,
        "process_instance_id": process_instance_id,
        # Stored normalised, so the row holds exactly what was hashed.
        "before": None if before is None else normalise(before),
        "after": None if after is None else normalise(after),
        "detail": normalise(detail or {}),
        "request_id": context.request_id,
        "ip": context.ip,
        "via": context.via,
    }
    _check_lengths(values)

    last_seq, prev_hash = _chain_head(connection)
    # Read the clock after taking the lock, so occurred_at grows with seq.
    values["seq"] = last_seq + 1
    values["occurred_at"] = timezone.now()
    canonical = canonical_json(event_payload(values))
    event = AuditEvent.objects.create(
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, canonical),
        canonical=canonical.decode("utf-8"),
        **values,
    )
    # Remembered only once the row is in: a failed insert leaves nothing behind.
    setattr(
        connection,
        _HEAD_ATTRIBUTE,
        _RememberedHead(connection.run_on_commit, event.seq, event.hash),
    )
    return event


@dataclass(frozen=True, slots=True)
class _RememberedHead:
    """The chain head this transaction appended, valid while ``hooks`` is current."""

    hooks: list[Any]
    seq: int
    hash: str


def _chain_head(connection: BaseDatabaseWrapper) -> tuple[int, str]:
    """Return (seq, hash) of the chain head, holding the chain lock from now on."""
    remembered = getattr(connection, _HEAD_ATTRIBUTE, None)
    if remembered is not None and remembered.hooks is connection.run_on_commit:
        return remembered.seq, remembered.hash
    if connection.vendor == "postgresql":
        last = _lock_and_read_head(connection)
    else:
        _lock_chain(connection)
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


# Two statements in one round trip (no parameters: the simple query protocol).
# Each statement takes its own snapshot in READ COMMITTED, so the head is read
# after the lock is held, exactly as with two separate calls.
_LOCK_AND_HEAD = (
    f"SELECT pg_advisory_xact_lock({CHAIN_LOCK_KEY});"  # noqa: S608 (constants)
    f" SELECT seq, hash FROM {AuditEvent._meta.db_table}"
    " ORDER BY seq DESC LIMIT 1"
)


def _lock_and_read_head(connection: BaseDatabaseWrapper) -> tuple[int, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_AND_HEAD)
        cursor.nextset()
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def actor_label(actor: AbstractBaseUser | None, system: str) -> str:
    """Return "<username>" or "system:<job>", refusing both or neither."""
    if actor is not None and system:
        raise ValueError("Give either actor or system, not both.")
    if actor is not None:
        if actor.pk is None:
            raise ValueError("actor must be a saved user.")
        return actor.get_username()
    if not SYSTEM_PATTERN.fullmatch(system):
        raise ValueError("Give an actor, or system='<job name>' ([A-Za-z0-9_.:-]).")
    return f"system:{system}"


def _target_columns(
    target: models.Model | None, target_type: str, target_id: str
) -> tuple[str, str]:
    if target is None:
        if bool(target_type) != bool(target_id):
            raise ValueError("Give target_type and target_id together.")
        return target_type, target_id
    if target_type or target_id:
        raise ValueError("Give either target or target_type/target_id, not both.")
    if target.pk is None:
        raise ValueError("target must be a saved model instance.")
    return target._meta.label_lower, str(target.pk)


def _check_lengths(values: Mapping[str, Any]) -> None:
    # SQLite would store an over-long value whole where PostgreSQL refuses it;
    # refuse on both so the log means the same thing on either database.
    for field in AuditEvent._meta.concrete_fields:
        value = values.get(field.attname)
        max_length = field.max_length
        if (
            max_length is not None
            and isinstance(value, str)
            and len(value) > max_length
        ):
            raise ValueError(f"{field.attname} is longer than {max_length} characters.")


def _lock_chain(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    elif connection.vendor != "sqlite":
        raise ImproperlyConfigured(
            f"The audit chain supports PostgreSQL and SQLite, not {connection.vendor}."
        )
