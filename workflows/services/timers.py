"""Fire due timers: the beat job's work, safe with many workers at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone

from audit.services import record
from workflows.access import ledger
from workflows.engine.runner import ProcessSession
from workflows.errors import StepFailedError
from workflows.models import ProcessInstance
from workflows.policies import require_permission
from workflows.services.steps import advance, guarded


@dataclass
class TimerReport:
    """What one run of the timer job did."""

    fired: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)


def _fire(session: ProcessSession) -> None:
    session.fire_timers()


def _fire_next(claimed: list[uuid.UUID]) -> ProcessInstance | None:
    """Lock the next due instance nobody else holds and fire its timers."""
    instance = (
        ProcessInstance.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("definition")
        .defer("definition__sources")
        .filter(
            status=ProcessInstance.Status.RUNNING, next_timer_at__lte=timezone.now()
        )
        .exclude(pk__in=claimed)
        .order_by("next_timer_at")
        .first()
    )
    if instance is None:
        return None
    claimed.append(instance.pk)
    due = instance.next_timer_at
    with ledger.collect() as granted:
        advance(instance, actor=None, apply=_fire)
    record(
        action="timer.fire",
        actor=None,
        system="timers",
        target=instance,
        case_number=instance.business_key,
        department_code=str(instance.labels.get("department_code") or ""),
        process_instance_id=str(instance.pk),
        detail={"due": due.isoformat() if due else None, "grants": granted},
    )
    return instance


def timers_fire_due(*, actor: User | None = None, limit: int = 200) -> TimerReport:
    """Advance every running instance whose next timer is due, one transaction each.

    ``FOR UPDATE SKIP LOCKED`` lets several beat or worker processes share the work
    without firing the same timer twice; a timer whose step fails becomes an incident
    (the instance goes to ERROR and is left alone until retried).
    """
    require_permission(actor, "workflows.manage_instance", "fire timers")
    report = TimerReport()
    claimed: list[uuid.UUID] = []
    while len(claimed) < limit:
        count = len(claimed)

        def failed_instance(count: int = count) -> uuid.UUID | None:
            return claimed[count] if len(claimed) > count else None

        try:
            fired = guarded(
                lambda: _fire_next(claimed),
                instance_id=failed_instance,
                operation={"kind": "timers"},
                actor=None,
            )
        except StepFailedError:
            if len(claimed) == count:
                raise
            report.failed.append(claimed[count])
            continue
        if fired is None:
            break
        report.fired.append(fired.pk)
    return report
