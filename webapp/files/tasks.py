"""Celery tasks of the files area."""

from __future__ import annotations

from celery import shared_task

from audit.context import bind
from workflows.credit.services.attachment_cleanup import attachments_purge_stale


@shared_task(name="files.purge_stale_uploads", ignore_result=True)
def purge_stale_uploads() -> int:
    """Remove uploads no filing attached within STAGED_UPLOAD_MAX_AGE_HOURS (daily)."""
    with bind(via="beat"):
        return attachments_purge_stale()
