"""Celery tasks of the runtime."""

from __future__ import annotations

from celery import shared_task

from audit.context import bind
from workflows.services.timers import timers_fire_due


@shared_task(name="workflows.fire_due_timers", ignore_result=True)
def fire_due_timers() -> dict[str, int]:
    """Advance every instance whose next timer is due (run by beat)."""
    with bind(via="beat"):
        report = timers_fire_due()
    return {"fired": len(report.fired), "failed": len(report.failed)}
