"""No code path changes data behind the audit trail's back.

Issue 6 allows two ways to make sure that changes outside the services (bulk
``update()``, raw SQL) do not slip past the audit trail: database triggers on the
audited tables, or a test proving that no code path does them. This is that test.
It reads the project's source with ``ast`` and finds every call that writes without
going through a model's ``save()`` (``QuerySet.update``, ``delete``, ``bulk_update``,
``bulk_create``) or that bypasses the ORM (``raw``, ``extra``, ``RawSQL``, cursors,
``execute``). Each one must be on the allow-list below with a one-line reason, and
each entry on the list must still match code, so the list never goes stale.

Calls that cannot be a QuerySet or model write are not reported: ``update(...)`` and
``delete(...)`` with a positional argument (``QuerySet.update`` takes keywords only;
``dict.update(mapping)``, ``hash.update(bytes)`` and ``storage.delete(name)`` do).
Migrations are schema history, not code paths, and are not scanned.
"""

from __future__ import annotations

import pytest

from tests.audit.source_scan import Finding, scan_project, scan_source

# (file, enclosing function, the called expression) -> why it is not a hole.
ALLOWED: dict[tuple[str, str, str], str] = {
    (
        "webapp/health.py",
        "database_check",
        "connection.cursor",
    ): "/healthz runs SELECT 1; it reads nothing and writes nothing.",
    (
        "webapp/health.py",
        "database_check",
        "cursor.execute",
    ): "The SELECT 1 of /healthz; no data is changed.",
    (
        "webapp/heartbeat.py",
        "heartbeat_record",
        "Heartbeat.objects.bulk_create",
    ): "Liveness upsert of worker/beat every few seconds; no case data, by design.",
    (
        "workflows/credit/cases/repair.py",
        "repair_revoke",
        "case.commitments.update",
    ): "Breaks the case's commitments; repair.revoke records commitments_broken.",
    (
        "workflows/credit/deadlines.py",
        "deadline_met",
        "case.deadlines.filter(kind=kind, met_at__isnull=True).update",
    ): "Deadline bookkeeping; every caller records its case event in the same step.",
    (
        "workflows/credit/operations/redlist.py",
        "_meet_all",
        "case.deadlines.filter(met_at__isnull=True).update",
    ): "Closes deadlines in redlist_reject/publish, which record case.status.",
    (
        "workflows/credit/services/departments.py",
        "membership_revoke",
        "membership.delete",
    ): "membership.revoke records the membership's before-snapshot.",
    (
        "workflows/services/instances.py",
        "_change_status",
        "instance.tasks.open().update",
    ): "HumanTask cancellation on terminate; audited by the instance.terminate event.",
    (
        "workflows/services/instances.py",
        "_change_status",
        "instance.subscriptions.all().delete",
    ): "Drops a terminated instance's message/timer waits; instance.terminate event.",
    (
        "workflows/services/projection.py",
        "_new_tasks",
        "HumanTask.objects.bulk_create",
    ): "Inbox projection of an engine step; the step's service records the event.",
    (
        "workflows/services/projection.py",
        "_sync_tasks",
        "HumanTask.objects.filter(pk__in=[t.pk for t in vanished]).update",
    ): "Cancels tasks the engine step took away; the step's service records it.",
    (
        "workflows/services/projection.py",
        "_sync_subscriptions",
        "instance.subscriptions.all().delete",
    ): "Rewrites what an instance waits for, within the audited engine step.",
    (
        "workflows/services/projection.py",
        "_sync_subscriptions",
        "EventSubscription.objects.bulk_create",
    ): "Rewrites what an instance waits for, within the audited engine step.",
    (
        "workflows/services/projection.py",
        "persist",
        "ElementLog.objects.bulk_create",
    ): "Element history of an engine step, within the step's audited transaction.",
    (
        "workflows/workdays/services.py",
        "calendar_override_remove",
        "override.delete",
    ): "calendar_override.remove is recorded just before the delete.",
    (
        "notifications/services.py",
        "notify",
        "Notification.objects.bulk_create",
    ): "notify() records notification.send naming the rows it created.",
    (
        "notifications/delivery.py",
        "outbox_claim",
        "rows.filter(status=OutboxMessage.Status.PENDING).update",
    ): "Claims a pending outbox send; its outcome is audited by _finish.",
    (
        "notifications/delivery.py",
        "outbox_claim",
        "rows.filter(abandoned).update",
    ): "Takes over an abandoned outbox send; its outcome is audited by _finish.",
    (
        "notifications/delivery.py",
        "_finish",
        "OutboxMessage.objects.filter(pk=claim.message.pk, "
        "status=OutboxMessage.Status.SENDING, claim_token=claim.token).update",
    ): "Ends an outbox send; the notification event is recorded right after it.",
    (
        "notifications/outbox.py",
        "outbox_enqueue",
        "OutboxMessage.objects.bulk_create",
    ): "Outbox rows of notifications whose notify() records notification.send.",
    (
        "notifications/outbox.py",
        "outbox_requeue_due",
        "stale_claims.filter(pk__in=abandoned).update",
    ): "Delivery scheduling: releases abandoned claims; no case data changes.",
    (
        "notifications/outbox.py",
        "outbox_requeue_due",
        "overdue.filter(pk__in=due).update",
    ): "Delivery scheduling: re-times overdue outbox rows; no case data changes.",
    (
        "notifications/services.py",
        "notification_mark_read",
        "Notification.objects.filter(recipient_id=actor.pk, "
        "pk__in=list(ids)).unread().update",
    ): "A recipient marks their own notices read; no case changes.",
    (
        "notifications/services.py",
        "notification_mark_all_read",
        "Notification.objects.filter(recipient_id=actor.pk).unread().update",
    ): "A recipient marks their own notices read; no case changes.",
    (
        "notifications/services.py",
        "outbox_message_retry",
        "OutboxMessage.objects.filter(pk__in=retry).update",
    ): "Operator retry of failed sends; audited as notification.retry.",
    (
        "notifications/documents/services.py",
        "document_render_failed",
        "Document.objects.filter(pk=document_id, rendered_at__isnull=True).update",
    ): "Notes why a PDF failed to render; the document itself is unchanged.",
    (
        "webapp/api/idempotency.py",
        "run_once",
        "IdempotencyRecord.objects.filter(user_id=user_id, key=key, "
        "created_at__lt=cutoff).delete",
    ): "Drops an expired replay-protection key; no case data, nothing to audit.",
    (
        "webapp/api/tokens.py",
        "api_token_authenticate",
        "ApiToken.objects.filter(pk=token.pk).update",
    ): "Notes a token's last use (coarse timestamp); creation/revocation audited.",
    (
        "webapp/portal/views/cases.py",
        "cases",
        "context.update",
    ): "dict.update(**kwargs) of a template context; not a QuerySet.",
    (
        "webapp/portal/views/filing.py",
        "repair_new",
        "context.update",
    ): "dict.update(**kwargs) of a template context; not a QuerySet.",
    (
        "webapp/portal/views/records.py",
        "records",
        "context.update",
    ): "dict.update(**kwargs) of a template context; not a QuerySet.",
    (
        "workflows/access/backfill.py",
        "_Rows.write",
        "model._default_manager.bulk_create",
    ): "Grants for rows that predate object permissions; data migration and demo.",
    (
        "workflows/access/grants.py",
        "_insert",
        "table._default_manager.bulk_create",
    ): "Object-permission rows of a step; listed as grants in the step's event.",
    (
        "workflows/access/grants.py",
        "_delete",
        "rows.delete",
    ): "Object-permission rows of a step; listed as grants in the step's event.",
    (
        "workflows/credit/services/attachment_cleanup.py",
        "attachments_purge_stale",
        "Attachment.objects.filter(pk__in=[a.pk for a in stale]).delete",
    ): "attachment.purge_stale names every removed upload, just before.",
    (
        "workflows/credit/services/attachments.py",
        "attachment_attach_staged",
        "Attachment.objects.filter(pk__in=wanted).update",
    ): "attachment.attach names the uploads attached to the case.",
    (
        "workflows/credit/services/attachments.py",
        "attachment_discard",
        "attachment.delete",
    ): "attachment.discard records the upload's before-snapshot first.",
    (
        "audit/chain_rows.py",
        "payload_rows",
        "cursor.execute",
    ): "Read-only SELECT that streams the chain for verification.",
    (
        "audit/stored_check.py",
        "suspects",
        "connection.cursor",
    ): "Read-only SELECT: PostgreSQL checks stored links for verification.",
    (
        "audit/stored_check.py",
        "suspects",
        "cursor.execute",
    ): "Read-only SELECT: PostgreSQL checks stored links for verification.",
    (
        "audit/services.py",
        "_lock_chain",
        "connection.cursor",
    ): "pg_advisory_xact_lock serialising chain appends; no data is changed.",
    (
        "audit/services.py",
        "_lock_and_read_head",
        "connection.cursor",
    ): "The chain lock and a read of the head in one round trip; changes nothing.",
    (
        "audit/services.py",
        "_lock_and_read_head",
        "cursor.execute",
    ): "The chain lock and a read of the head in one round trip; changes nothing.",
    (
        "audit/services.py",
        "_lock_chain",
        "cursor.execute",
    ): "pg_advisory_xact_lock serialising chain appends; no data is changed.",
}


# Whole modules that only ever run inside a throw-away test database.
ALLOWED_MODULES: dict[str, str] = {
    "audit/benchmarks.py": "bench_audit seeds a synthetic chain in a test database.",
    "workflows/benchmarks/inbox.py": "An inbox benchmark's seeding in a test database.",
    "webapp/api/bench_seed.py": "The credit-check benchmark's seeding (test database).",
}


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return [f for f in scan_project() if f.path not in ALLOWED_MODULES]


def test_every_allowed_module_exists() -> None:
    from tests.audit.source_scan import ROOT

    assert [path for path in ALLOWED_MODULES if not (ROOT / path).exists()] == []


def test_every_bulk_write_and_raw_sql_call_is_justified(
    findings: list[Finding],
) -> None:
    unjustified = [
        f"  {f.path}:{f.line} in {f.scope}: {f.call}(...)"
        for f in findings
        if f.key not in ALLOWED
    ]

    assert not unjustified, (
        "Writes outside save() or raw SQL that the audit trail may miss. Record an "
        "audit event for them in the same transaction and add them to ALLOWED with "
        "a reason, or use the services:\n" + "\n".join(unjustified)
    )


def test_every_justification_still_matches_code(findings: list[Finding]) -> None:
    found = {f.key for f in findings}

    assert [key for key in ALLOWED if key not in found] == []


def test_every_justification_is_one_line() -> None:
    assert all(reason.strip() and "\n" not in reason for reason in ALLOWED.values())


SAMPLE = """
from django.db import connection
from django.db.models.expressions import RawSQL

def service():
    Case.objects.filter(pk=1).update(status="x")
    Case.objects.filter(**lookup).update(**values)
    case.delete()
    Case.objects.bulk_update(cases, ["status"])
    Case.objects.bulk_create(cases)
    Case.objects.raw("SELECT 1")
    Case.objects.extra(where=["1=1"])
    Case.objects.annotate(x=RawSQL("1", []))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE credit_case SET status = 'x'")
        cursor.executemany("DELETE FROM credit_case WHERE id = %s", [[1]])

def harmless():
    values.update({"a": 1})
    digest.update(b"bytes")
    default_storage.delete("name.pdf")
"""


def test_the_scan_finds_each_kind_of_write_and_no_harmless_call() -> None:
    calls = [(f.scope, f.call) for f in scan_source(SAMPLE, "sample.py")]

    assert calls == [
        ("service", "Case.objects.filter(pk=1).update"),
        ("service", "Case.objects.filter(**lookup).update"),
        ("service", "case.delete"),
        ("service", "Case.objects.bulk_update"),
        ("service", "Case.objects.bulk_create"),
        ("service", "Case.objects.raw"),
        ("service", "Case.objects.extra"),
        ("service", "RawSQL"),
        ("service", "connection.cursor"),
        ("service", "cursor.execute"),
        ("service", "cursor.executemany"),
    ]
