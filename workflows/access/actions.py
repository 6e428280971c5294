"""Which buttons a user gets on a task or a case, by the same rules the services
apply; a button shown is an action the service will accept (state permitting)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext

from workflows.access.roles import is_system_admin, may_decide
from workflows.credit.models import Case, Membership, Subject
from workflows.models import EventSubscription, HumanTask, ProcessInstance
from workflows.policies import in_candidate_group

REASSIGN_PERMISSION = "workflows.reassign_task"
WINDOW_CLERK_PERMISSION = "credit.add_attachment"
REPAIR_REVOKING_ROLES = (Membership.Role.SECTION_CHIEF, Membership.Role.HEAD)
# The names the case services use (kept here so importing the access layer does
# not import the case services, which import the runtime that imports us).
REDLIST_OBJECTION_MESSAGE = "redlist_objection_filed"
STATEMENT_DEADLINE = "statement_defence"
AnyUser = User | AnonymousUser


def task_blocked_reason(user: AnyUser, task: HumanTask) -> str | None:
    """Say why the user may not act on an open task, or None if nothing forbids it.

    Separation of duties holds whatever the grants say: whoever proposed a listing or
    prepared a decision is named on the task and may not claim or complete it.
    """
    if not user.is_authenticated:
        return gettext("Sign in to work on tasks.")
    if not may_decide(user):
        return gettext("Auditors and process administrators do not act on tasks.")
    if user.get_username() in (task.excluded_usernames or []):
        return gettext(
            "You proposed or prepared this matter, so someone else must decide it "
            "(separation of duties)."
        )
    if not task.is_open:
        return gettext("This task is closed.")
    return None


def task_action_refusal(user: AnyUser, action: str) -> str | None:
    """Say why the user's role never allows ``action`` on a task, or None.

    Checked before a request's body is read, so that a role that may not act at
    all is refused as such (403), not told that its input was wrong (400). The
    task's state (claimed, closed) is for the service to judge afterwards.
    """
    if not may_decide(user):
        return gettext("Auditors and process administrators do not act on tasks.")
    if action == "reassign" and not (
        user.has_perm(REASSIGN_PERMISSION) or is_system_admin(user)
    ):
        return gettext("Only section chiefs reassign tasks.")
    return None


def task_actions(user: AnyUser, task: HumanTask) -> set[str]:
    """Return what the user may do with the task now: claim, unclaim, complete,
    delegate, resolve, reassign, save_draft."""
    if task_blocked_reason(user, task) is not None or not isinstance(user, User):
        return set()
    admin = is_system_admin(user)
    actions: set[str] = set()
    if user.has_perm(REASSIGN_PERMISSION) or admin:
        actions.add("reassign")
    if task.assignee_id is None:
        if admin or in_candidate_group(user, task):
            actions.add("claim")
        return actions
    if task.assignee_id != user.pk:
        if admin:
            actions.add("unclaim")
        return actions
    if task.delegation == HumanTask.Delegation.PENDING:
        return actions | {"resolve", "save_draft"}
    actions |= {"complete", "delegate", "save_draft"}
    if task.candidate_group_id is not None:
        actions.add("unclaim")
    return actions


def case_actions(user: AnyUser, case: Case) -> set[str]:
    """Return what the user may do on a case they can see: upload, supplement,
    appeal, list_statement, redlist_objection, repair_revoke, work (open tasks)."""
    if not isinstance(user, User) or not may_decide(user):
        return set()
    actions = _party_actions(user, case)
    if case.is_open and user.has_perm(WINDOW_CLERK_PERMISSION):
        actions.add("upload")
    if _may_revoke_repair(user, case):
        actions.add("repair_revoke")
    if case.case_type == Case.Type.REDLIST and _waiting_for(
        case, REDLIST_OBJECTION_MESSAGE
    ):
        actions.add("redlist_objection")
    if any(task_actions(user, task) for task in _open_tasks(case)):
        actions.add("work")
    return actions


def _party_actions(user: User, case: Case) -> set[str]:
    actions: set[str] = set()
    party = user.pk in (case.applicant_id, case.agent_id)
    if party and case.is_open:
        actions.add("upload")
    if party and case.status == Case.Status.SUPPLEMENT_REQUESTED:
        actions.add("supplement")
    if party and _appeal_open(case):
        actions.add("appeal")
    if case.case_type == Case.Type.LIST_ENTRY and _statement_open(case, user):
        actions.add("list_statement")
    return actions


def _appeal_open(case: Case) -> bool:
    if case.case_type != Case.Type.OBJECTION or case.status != Case.Status.DECIDED:
        return False
    if Case.objects.filter(appeal_of=case).exists():
        return False
    return case.deadlines.filter(
        kind="appeal", met_at__isnull=True, due_at__gte=timezone.now()
    ).exists()


def _statement_open(case: Case, user: User) -> bool:
    accounts = Subject.accounts.through.objects.filter(
        subject_id=case.subject_id, user_id=user.pk
    )
    if not accounts.exists():
        return False
    return case.deadlines.filter(
        kind=STATEMENT_DEADLINE, met_at__isnull=True, due_at__gte=timezone.now()
    ).exists()


def _may_revoke_repair(user: User, case: Case) -> bool:
    decision = case.decision or {}
    if case.case_type != Case.Type.REPAIR or case.target_record_id is None:
        return False
    if decision.get("outcome") != "approved" or decision.get("revoked"):
        return False
    if user.has_perm("credit.change_creditrecord"):
        return True
    return Membership.objects.filter(
        user=user,
        department__credit_records=case.target_record_id,
        role__in=REPAIR_REVOKING_ROLES,
    ).exists()


def _waiting_for(case: Case, message: str) -> bool:
    return EventSubscription.objects.filter(
        instance_id=case.process_instance_id,
        instance__status=ProcessInstance.Status.RUNNING,
        kind=EventSubscription.Kind.MESSAGE,
        name=message,
    ).exists()


def _open_tasks(case: Case) -> list[HumanTask]:
    return list(HumanTask.objects.open().filter(case_number=case.number))
