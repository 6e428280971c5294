"""The database itself refuses to change or remove audit events."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from audit.models import AuditEvent
from audit.services import record
from tests.audit.support import trigger_names

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def event(user: Any) -> AuditEvent:
    with transaction.atomic():
        return record(action="process.start", actor=user, case_number="C-1")


def test_append_only_triggers_are_installed_after_all_migrations() -> None:
    if connection.vendor == "postgresql":
        expected = {"audit_event_refuse_update_delete", "audit_event_refuse_truncate"}
    else:
        expected = {"audit_event_refuse_update", "audit_event_refuse_delete"}
    assert expected <= trigger_names()


def test_raw_sql_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as c:
        c.execute(
            "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
            ["C-2", event.seq],
        )

    assert AuditEvent.objects.get(seq=event.seq).case_number == "C-1"


def test_raw_sql_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as c:
        c.execute("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])

    assert AuditEvent.objects.filter(seq=event.seq).exists()


def test_orm_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError):
        AuditEvent.objects.filter(seq=event.seq).update(case_number="C-2")
    with pytest.raises(IntegrityError):
        AuditEvent.objects.filter(seq=event.seq).delete()

    assert AuditEvent.objects.get(seq=event.seq).case_number == "C-1"


@pytest.mark.postgres
def test_truncate_is_refused_while_the_table_holds_events(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as c:
        c.execute("TRUNCATE audit_auditevent")

    assert AuditEvent.objects.filter(seq=event.seq).exists()
