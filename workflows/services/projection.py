"""Project an advanced engine session onto the database rows the app reads."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications.services import notify_task_event
from workflows.access import ledger
from workflows.access.grants import tasks_projected
from workflows.engine.errors import EngineStepError
from workflows.engine.runner import ProcessSession
from workflows.engine.serialization import STATE_FORMAT
from workflows.engine.session_types import ReadyHumanTask, Waiting
from workflows.models import ElementLog, EventSubscription, HumanTask, ProcessInstance


@dataclass
class Projection:
    """What a step changed in the inbox."""

    created: list[HumanTask] = field(default_factory=list)
    cancelled: list[HumanTask] = field(default_factory=list)
    # Object permissions the step granted or revoked, for its audit event.
    grants: list[dict[str, str]] = field(default_factory=list)


def _due(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _new_tasks(
    instance: ProcessInstance, ready: list[ReadyHumanTask]
) -> list[HumanTask]:
    groups = {
        g.name: g
        for g in Group.objects.filter(
            name__in={r.candidate_group for r in ready} - {None}
        )
    }
    user_model = get_user_model()
    users = {
        u.get_username(): u
        for u in user_model._default_manager.filter(
            **{f"{user_model.USERNAME_FIELD}__in": {r.assignee for r in ready} - {None}}
        )
    }
    labels = instance.labels or {}
    tasks = []
    for r in ready:
        group = groups.get(r.candidate_group or "")
        if r.candidate_group and group is None:
            # Never hand a task to the wrong people: a group that does not exist
            # (deleted, or a case naming an unknown department) is an incident.
            raise EngineStepError(
                f"candidate group {r.candidate_group!r} does not exist",
                element_id=r.element_id,
            )
        assignee: User | None = users.get(r.assignee or "")
        if assignee is None and group is None:
            # No lane, group or assignee: the task goes to whoever started the
            # process (spiff-arena's convention), never to nobody.
            assignee = instance.initiator
        tasks.append(
            HumanTask(
                instance=instance,
                spiff_task_id=r.spiff_id,
                element_id=r.element_id,
                name=r.name[:255],
                process_id=r.process_id,
                task_type=r.task_type,
                lane=r.lane or "",
                loop_index=r.loop_index,
                candidate_group=group,
                assignee=assignee,
                status=HumanTask.Status.CLAIMED if assignee else HumanTask.Status.OPEN,
                claimed_at=timezone.now() if assignee else None,
                priority=r.assignment.priority,
                due_at=_due(r.due),
                form_key=r.assignment.form_key or "",
                ui_form_key=r.assignment.ui_form_key or "",
                instructions=r.instructions,
                excluded_usernames=r.excluded,
                case_number=instance.business_key,
                case_type=str(labels.get("case_type", ""))[:32],
                subject_name=str(labels.get("subject_name", ""))[:255],
                subject_code=str(labels.get("subject_code", ""))[:32],
                department_code=str(labels.get("department_code", ""))[:32],
            )
        )
    return HumanTask.objects.bulk_create(tasks)


def _sync_tasks(
    instance: ProcessInstance,
    session: ProcessSession,
    known_open: list[HumanTask] | None,
) -> Projection:
    ready = session.ready_human_tasks()
    ready_ids = {r.spiff_id for r in ready}
    if known_open is None:
        known_open = list(instance.tasks.open())
    open_tasks = {t.spiff_task_id: t for t in known_open}
    vanished = [t for sid, t in open_tasks.items() if sid not in ready_ids]
    if vanished:
        # A boundary timer, a signal or a terminate end took these away.
        HumanTask.objects.filter(pk__in=[t.pk for t in vanished]).update(
            status=HumanTask.Status.CANCELLED, completed_at=timezone.now()
        )
    created = _new_tasks(instance, [r for r in ready if r.spiff_id not in open_tasks])
    return Projection(created=created, cancelled=vanished)


def _waiting_json(waiting: list[Waiting]) -> list[dict[str, Any]]:
    rows = [
        {
            "kind": w.kind,
            "name": w.name,
            "element_id": w.element_id,
            "due_at": w.due,
            "correlations": dict(w.correlations),
        }
        for w in waiting
    ]
    # The stored form: what the JSON column gives back when read.
    loaded: list[dict[str, Any]] = json.loads(json.dumps(rows, cls=DjangoJSONEncoder))
    return loaded


def _sync_subscriptions(
    instance: ProcessInstance, waiting: list[Waiting], *, new: bool
) -> None:
    """Rewrite the subscription rows only when what the instance waits for changed."""
    wanted = _waiting_json(waiting)
    if wanted == instance.waiting:
        return
    instance.waiting = wanted
    if not new:
        instance.subscriptions.all().delete()
    EventSubscription.objects.bulk_create(
        EventSubscription(
            instance=instance,
            kind=w.kind,
            name=w.name,
            element_id=w.element_id,
            due_at=w.due,
            correlations=dict(w.correlations),
        )
        for w in waiting
    )


def persist(
    instance: ProcessInstance,
    session: ProcessSession,
    *,
    open_tasks: list[HumanTask] | None = None,
) -> Projection:
    """Save state, re-project human tasks, subscriptions, history and timers.

    ``open_tasks``, when given, are the instance's open task rows as read under the
    lock by the caller (saves reading them again).
    """
    waiting = [] if session.is_completed else session.waiting()
    timers = [w.due for w in waiting if w.kind == "timer" and w.due]
    instance.next_timer_at = min(timers) if timers else None
    instance.state = session.dump()
    instance.state_format = STATE_FORMAT
    if session.is_completed:
        instance.status = ProcessInstance.Status.COMPLETED
        instance.ended_at = timezone.now()
        instance.result = session.data()
    new = instance._state.adding
    if new:
        instance.save(force_insert=True)
    _sync_subscriptions(instance, waiting, new=new)
    if not new:
        instance.save()
    projection = _sync_tasks(instance, session, open_tasks)
    projection.grants = tasks_projected(
        instance.business_key, projection.created, projection.cancelled
    )
    ledger.note(projection.grants)
    if session.completed:
        ElementLog.objects.bulk_create(
            ElementLog(
                instance=instance,
                element_id=c.element_id,
                element_type=c.element_type,
                process_id=c.process_id,
            )
            for c in session.completed
        )
        session.completed.clear()
    return projection


def announce_new_tasks(projection: Projection, actor: User | None) -> None:
    """Tell a new task's assignee, or its candidate group, that it is waiting."""
    for task in projection.created:
        if task.assignee_id is not None:
            if actor is None or task.assignee_id != actor.pk:
                notify_task_event(
                    kind="task.assigned",
                    task_name=task.name,
                    case_number=task.case_number,
                    recipients=[task.assignee],
                )
        elif task.candidate_group_id is not None:
            members = User.objects.filter(
                groups=task.candidate_group_id, is_active=True
            ).exclude(username__in=task.excluded_usernames or [])
            notify_task_event(
                kind="task.queued",
                task_name=task.name,
                case_number=task.case_number,
                recipients=members,
            )
