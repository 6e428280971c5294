"""Celery tasks that print documents: after issue, and a sweep for stragglers."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Final

from celery import Task, shared_task

from audit.context import bind
from notifications.documents.services import (
    DocumentAlreadyRenderedError,
    DocumentNotIssuedError,
    document_render,
    document_render_failed,
    documents_awaiting_render,
)
from workflows.credit.models import Document

logger = logging.getLogger(__name__)

# Backoff 2, 4, 8 ... seconds, capped at 10 minutes, with jitter: about an hour.
MAX_RETRIES: Final = 8
BACKOFF_MAX_SECONDS: Final = 600
# A document issued this long ago and still unrendered lost its task (broker down,
# publish failed, retries exhausted): the sweep queues it again.
STRAGGLER_AGE: Final = timedelta(minutes=10)


class RenderTask(Task):  # type: ignore[type-arg]
    """Record every failed attempt on the document row, not only in the log."""

    def on_retry(
        self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        _record_failure(args, kwargs, exc)

    def on_failure(
        self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        _record_failure(args, kwargs, exc)


def _record_failure(args: Any, kwargs: Any, exc: Exception) -> None:
    document_id = kwargs.get("document_id") if kwargs else None
    if document_id is None and args:
        document_id = args[0]
    if document_id is not None:
        document_render_failed(document_id=int(document_id), error=exc)


@shared_task(
    name="documents.render",
    base=RenderTask,
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=MAX_RETRIES,
    retry_backoff=2,
    retry_backoff_max=BACKOFF_MAX_SECONDS,
    retry_jitter=True,
)
def render(document_id: int) -> str | None:
    """Render an issued document to PDF and store its sha256; return the sha256."""
    with bind(via="worker"):
        try:
            document = document_render(document_id=document_id)
        except DocumentAlreadyRenderedError:
            # A redelivered or repeated task: the stored PDF stands.
            logger.info("Document %s is already rendered", document_id)
            return None
        except (Document.DoesNotExist, DocumentNotIssuedError):
            # Rolled back after the task was queued, or not issued: nothing to print.
            logger.warning("Document %s is not issued; nothing to render", document_id)
            return None
    return document.sha256


@shared_task(name="documents.render_pending", ignore_result=True)
def render_pending() -> int:
    """Queue rendering again for documents left unrendered (run by beat)."""
    ids = documents_awaiting_render(older_than=STRAGGLER_AGE)
    for document_id in ids:
        render.delay(document_id)
    return len(ids)
