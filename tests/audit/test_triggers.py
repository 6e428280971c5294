"""The database itself refuses to change or remove audit events."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.models import AuditDigest, AuditEvent, AuditVerification
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


@pytest.fixture
def digest_and_verification(event: AuditEvent) -> tuple[AuditDigest, AuditVerification]:
    now = timezone.now()
    digest = AuditDigest.objects.create(
        seq=event.seq,
        head_hash=event.hash,
        event_count=1,
        key_id="0" * 16,
        signature="c2ln",
        file_name="audit-digest-test.json",
        created_at=now,
    )
    verification = AuditVerification.objects.create(
        kind=AuditVerification.Kind.CHAIN,
        started_at=now,
        finished_at=now,
        actor_label="system:test",
        ok=True,
        checked=1,
        head_seq=event.seq,
        head_hash=event.hash,
    )
    return digest, verification


@pytest.mark.parametrize("table", ["audit_auditdigest", "audit_auditverification"])
def test_digest_and_verification_tables_have_append_only_triggers(table: str) -> None:
    suffixes = (
        {"refuse_update_delete", "refuse_truncate"}
        if connection.vendor == "postgresql"
        else {"refuse_update", "refuse_delete"}
    )
    assert {f"{table}_{suffix}" for suffix in suffixes} <= trigger_names(table)


@pytest.mark.parametrize("table", ["audit_auditdigest", "audit_auditverification"])
def test_digest_and_verification_rows_refuse_raw_update_and_delete(
    digest_and_verification: tuple[AuditDigest, AuditVerification], table: str
) -> None:
    column = "seq" if table == "audit_auditdigest" else "checked"
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as c:
        c.execute(f"UPDATE {table} SET {column} = 99")  # noqa: S608
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as c:
        c.execute(f"DELETE FROM {table}")  # noqa: S608


def test_digest_and_verification_rows_refuse_orm_update_and_delete(
    digest_and_verification: tuple[AuditDigest, AuditVerification],
) -> None:
    digest, verification = digest_and_verification
    for model, pk in ((AuditDigest, digest.pk), (AuditVerification, verification.pk)):
        rows = model._default_manager.filter(pk=pk)
        with pytest.raises(IntegrityError):
            rows.update(head_hash="f" * 64)
        with pytest.raises(IntegrityError):
            rows.delete()

    assert AuditDigest.objects.get().head_hash == digest.head_hash
    assert AuditVerification.objects.get().head_hash == verification.head_hash


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["audit_auditdigest", "audit_auditverification"])
def test_digest_and_verification_truncate_is_refused_while_rows_exist(
    digest_and_verification: tuple[AuditDigest, AuditVerification], table: str
) -> None:
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as c:
        c.execute(f"TRUNCATE {table}")
