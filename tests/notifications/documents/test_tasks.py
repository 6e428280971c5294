"""Rendering runs in Celery after the issuing transaction commits."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from notifications.documents import tasks
from tests.notifications.documents.support import World, sample_document, world
from webapp.celery import app as celery_app
from workflows.credit.models import Document


def _wait_for(condition: Callable[[], bool], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not true within {timeout} s"
        time.sleep(0.1)


@pytest.fixture
def root_logging_restored() -> Iterator[None]:
    """Undo start_worker's logging setup (root level and handlers) after the test."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_document_after_commit(
    root_logging_restored: None,
) -> None:
    with transaction.atomic():
        document = sample_document(Document.Kind.OBJECTION_DECISION, world())
    assert Document.objects.get(pk=document.pk).is_being_prepared

    hostname = f"documents-test-{os.getpid()}@localhost"
    with start_worker(
        celery_app, perform_ping_check=False, shutdown_timeout=30, hostname=hostname
    ):
        _wait_for(
            lambda: Document.objects.get(pk=document.pk).rendered_at is not None,
            timeout=60,
        )

    rendered = Document.objects.get(pk=document.pk)
    assert not rendered.is_being_prepared
    assert rendered.path is not None
    assert hashlib.sha256(rendered.path.read_bytes()).hexdigest() == rendered.sha256
    event = AuditEvent.objects.get(action="document.render")
    assert event.target_id == str(document.pk)
    assert event.detail["sha256"] == rendered.sha256
    assert event.actor_label == "system:documents"


def test_issuing_queues_rendering_only_when_the_transaction_commits(
    departments: World, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch.object(tasks.render, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        document = sample_document(Document.Kind.ACCEPTANCE, departments)
        delay.assert_not_called()

    delay.assert_called_once_with(document.pk)


def test_a_broker_failure_does_not_undo_the_issue(
    departments: World, django_capture_on_commit_callbacks: Any
) -> None:
    failure = OSError("broker unreachable")
    with (
        mock.patch.object(tasks.render, "delay", side_effect=failure),
        django_capture_on_commit_callbacks(execute=True),
    ):
        document = sample_document(Document.Kind.ACCEPTANCE, departments)

    assert Document.objects.get(pk=document.pk).status == Document.Status.ISSUED


@pytest.mark.django_db
def test_a_failed_rendering_is_retried_with_backoff_and_recorded_on_the_row(
    departments: World,
) -> None:
    document = sample_document(Document.Kind.ACCEPTANCE, departments)
    failure = RuntimeError("Pango is missing")

    # Eagerly applied, the retries run at once, one after the other.
    with mock.patch(
        "notifications.documents.services.document_pdf", side_effect=failure
    ) as pdf:
        result = tasks.render.apply(args=(document.pk,))

    assert result.state == "FAILURE"
    assert pdf.call_count == tasks.MAX_RETRIES + 1
    declared: Any = tasks.render
    assert declared.retry_backoff == 2
    assert declared.retry_backoff_max == tasks.BACKOFF_MAX_SECONDS
    failed = Document.objects.get(pk=document.pk)
    assert failed.render_error == "RuntimeError: Pango is missing"
    assert failed.is_being_prepared

    tasks.render.apply(args=(document.pk,))
    done = Document.objects.get(pk=document.pk)
    assert done.rendered_at is not None
    assert done.render_error == ""


@pytest.mark.django_db
def test_the_task_leaves_a_rendered_document_alone(departments: World) -> None:
    document = sample_document(Document.Kind.ACCEPTANCE, departments)
    sha256 = tasks.render.apply(args=(document.pk,)).get()

    assert tasks.render.apply(args=(document.pk,)).get() is None
    assert Document.objects.get(pk=document.pk).sha256 == sha256


@pytest.mark.django_db
def test_the_task_ignores_a_document_that_no_longer_exists() -> None:
    assert tasks.render.apply(args=(999_999,)).get() is None


@pytest.mark.django_db
def test_the_task_does_not_print_a_document_not_yet_issued(
    departments: World,
) -> None:
    document = sample_document(Document.Kind.ACCEPTANCE, departments)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.PENDING)

    with mock.patch("notifications.documents.services.document_pdf") as pdf:
        assert tasks.render.apply(args=(document.pk,)).get() is None

    pdf.assert_not_called()
    assert Document.objects.get(pk=document.pk).is_being_prepared


@pytest.mark.django_db
def test_the_sweep_requeues_documents_left_unrendered(departments: World) -> None:
    stale = sample_document(Document.Kind.ACCEPTANCE, departments)
    fresh = sample_document(Document.Kind.SUPPLEMENT_REQUEST, departments)
    Document.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )

    with mock.patch.object(tasks.render, "delay") as delay:
        assert tasks.render_pending.apply().get() == 1

    delay.assert_called_once_with(stale.pk)
    assert fresh.pk != stale.pk
