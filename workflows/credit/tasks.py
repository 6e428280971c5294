"""Celery tasks of the credit domain."""

from __future__ import annotations

from celery import shared_task

from audit.context import bind
from workflows.credit.services.list_expiry import list_entries_expire_due


@shared_task(name="credit.expire_list_entries", ignore_result=True)
def expire_list_entries() -> int:
    """Start the exit of expired listings (run daily by beat)."""
    with bind(via="beat"):
        return len(list_entries_expire_due())
