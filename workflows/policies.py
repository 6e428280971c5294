"""Who may do what in the runtime. Services call these; views never decide alone."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from workflows.errors import ForbiddenError
from workflows.models import HumanTask

SYSTEM_ADMIN_GROUP = "system_admin"
Actor = User | AnonymousUser | None


def is_system_admin(actor: Actor) -> bool:
    """Say if the actor is a system administrator (may act on any task, audited)."""
    if actor is None or not actor.is_authenticated:
        return False
    if isinstance(actor, AnonymousUser):
        return False
    return actor.is_superuser or actor.groups.filter(name=SYSTEM_ADMIN_GROUP).exists()


def require_permission(actor: Actor, perm: str, what: str) -> None:
    """Raise unless the actor (None = the system itself) holds a model permission."""
    if actor is None:
        return
    if not actor.is_authenticated or not actor.has_perm(perm):
        raise ForbiddenError(f"not allowed to {what}")


def group_ids(user: User) -> frozenset[int]:
    """Return the user's group ids, cached on the user object like Django's perms."""
    cached: frozenset[int] | None = getattr(user, "_workflow_group_ids", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("pk", flat=True))
        user._workflow_group_ids = cached  # type: ignore[attr-defined]
    return cached


def in_candidate_group(actor: Actor, task: HumanTask) -> bool:
    if actor is None or not actor.is_authenticated or task.candidate_group_id is None:
        return False
    if isinstance(actor, AnonymousUser):
        return False
    return task.candidate_group_id in group_ids(actor)


def require_may_act(actor: Actor, what: str) -> None:
    """Refuse auditors and process administrators: they never claim, complete or
    decide, whatever groups they are in (None, the system itself, may)."""
    from workflows.access.roles import may_decide

    if actor is None:
        return
    if not may_decide(actor):
        raise ForbiddenError(f"auditors and process administrators may not {what}")


def task_override(actor: Actor, task: HumanTask, *, allowed: bool, what: str) -> bool:
    """Return True if only the admin override permits this; raise if nothing does."""
    if allowed or actor is None:
        return False
    if is_system_admin(actor):
        return True
    raise ForbiddenError(f"not allowed to {what} task {task.name}")
