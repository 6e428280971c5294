"""Grant and revoke object permissions as work moves; the runtime calls these.

Tasks: a new task's candidate group may view and claim it, its department's
section chief and head may view it; whoever holds it (claimed, delegated,
reassigned) may view and complete it; once it is completed or cancelled nobody may
claim or complete it, and whoever completed it keeps the view.

Cases: every department that gets a task on a case may view the case, the record it
is about and the list entry it decides, from then on (read-only once its tasks are
done: acting is always through a task). A task given to a person directly gives
that person the view.

Every function returns a short description of what it changed, which the step that
caused it writes into its audit event (``detail["grants"]``). All writes go through
``_insert`` and ``_delete``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db.models import Model, QuerySet
from django.db.models.signals import post_migrate

from workflows.credit.models import (
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    CreditRecordGroupObjectPermission,
    ListEntryGroupObjectPermission,
    Membership,
)
from workflows.models import (
    HumanTask,
    HumanTaskGroupObjectPermission,
    HumanTaskUserObjectPermission,
)

VIEW_TASK, CLAIM_TASK, COMPLETE_TASK = (
    "view_humantask",
    "claim_humantask",
    "complete_humantask",
)
VIEW_CASE, VIEW_RECORD, VIEW_ENTRY = "view_case", "view_creditrecord", "view_listentry"
# Department roles that oversee every task of their department.
SUPERVISING_ROLES = (Membership.Role.SECTION_CHIEF, Membership.Role.HEAD)
_CODENAMES = (VIEW_TASK, CLAIM_TASK, COMPLETE_TASK, VIEW_CASE, VIEW_RECORD, VIEW_ENTRY)
_permission_ids: dict[str, int] = {}
Grant = dict[str, str]


def _forget_permission_ids(**_kwargs: Any) -> None:
    # A flush or migrate may recreate permissions with new ids.
    _permission_ids.clear()


post_migrate.connect(_forget_permission_ids, dispatch_uid="access-permission-ids")


def permission_id(codename: str) -> int:
    """Return the id of one of the object permissions the runtime grants."""
    if not _permission_ids:
        found = Permission.objects.filter(
            content_type__app_label__in=("workflows", "credit"),
            codename__in=_CODENAMES,
        ).values_list("codename", "pk")
        _permission_ids.update(dict(found))
    return _permission_ids[codename]


def _insert(table: type[Model], rows: Sequence[Model]) -> None:
    if rows:
        table._default_manager.bulk_create(rows, ignore_conflicts=True)


def _delete(rows: QuerySet[Any]) -> None:
    rows.delete()


def _note(action: str, codenames: Iterable[str], to: str, on: str) -> Grant:
    return {"action": action, "perms": ",".join(codenames), "to": to, "on": on}


def _task_label(task: HumanTask) -> str:
    return f"task:{task.pk}"


def _user_rows(task: HumanTask, user_id: int, codenames: Iterable[str]) -> list[Model]:
    return [
        HumanTaskUserObjectPermission(
            content_object_id=task.pk,
            user_id=user_id,
            permission_id=permission_id(name),
        )
        for name in codenames
    ]


def _group_rows(
    task: HumanTask, group_id: int, codenames: Iterable[str]
) -> list[Model]:
    return [
        HumanTaskGroupObjectPermission(
            content_object_id=task.pk,
            group_id=group_id,
            permission_id=permission_id(name),
        )
        for name in codenames
    ]


def _revoke_task(task: HumanTask, codenames: Sequence[str], *, users: bool) -> None:
    ids = [permission_id(name) for name in codenames]
    table = HumanTaskUserObjectPermission if users else HumanTaskGroupObjectPermission
    _delete(table.objects.filter(content_object_id=task.pk, permission_id__in=ids))


def task_holder_set(
    task: HumanTask, holder: User | None, *, was_held: bool = True
) -> list[Grant]:
    """Give the task to ``holder`` (claim, delegate, resolve, reassign) or, with
    None, back to its group queue (unclaim); ``was_held``: someone held it before."""
    label = _task_label(task)
    notes: list[Grant] = []
    if was_held:
        _revoke_task(task, (COMPLETE_TASK,), users=True)
        notes.append(_note("revoke", (COMPLETE_TASK,), "holder", label))
    if holder is not None:
        _insert(
            HumanTaskUserObjectPermission,
            _user_rows(task, holder.pk, (VIEW_TASK, COMPLETE_TASK)),
        )
        _revoke_task(task, (CLAIM_TASK,), users=False)
        notes += [
            _note("grant", (VIEW_TASK, COMPLETE_TASK), f"user:{holder}", label),
            _note("revoke", (CLAIM_TASK,), "group", label),
        ]
    elif task.candidate_group_id is not None:
        _insert(
            HumanTaskGroupObjectPermission,
            _group_rows(task, task.candidate_group_id, (CLAIM_TASK,)),
        )
        notes.append(_note("grant", (CLAIM_TASK,), "group", label))
    return notes


def task_closed(
    task: HumanTask, completer: User | None, *, held_by: int | None
) -> list[Grant]:
    """Nobody may claim or complete a completed task; its completer keeps the view.

    ``held_by`` is who held the task before (None: it was in the group queue); a
    held task's group lost the claim, and its holder got the view, when it was taken.
    """
    label = _task_label(task)
    _revoke_task(task, (COMPLETE_TASK,), users=True)
    if held_by is None:
        _revoke_task(task, (CLAIM_TASK,), users=False)
    notes = [_note("revoke", (CLAIM_TASK, COMPLETE_TASK), "all", label)]
    if completer is not None and completer.pk != held_by:
        _insert(
            HumanTaskUserObjectPermission, _user_rows(task, completer.pk, (VIEW_TASK,))
        )
        notes.append(_note("grant", (VIEW_TASK,), f"user:{completer}", label))
    return notes


def tasks_cancelled(tasks: Sequence[HumanTask]) -> list[Grant]:
    """Nobody may claim or complete tasks the process took away."""
    if not tasks:
        return []
    ids = [t.pk for t in tasks]
    acting = [permission_id(CLAIM_TASK), permission_id(COMPLETE_TASK)]
    for table in (HumanTaskUserObjectPermission, HumanTaskGroupObjectPermission):
        _delete(
            table.objects.filter(content_object_id__in=ids, permission_id__in=acting)
        )
    return [
        _note("revoke", (CLAIM_TASK, COMPLETE_TASK), "all", f"task:{t.pk}")
        for t in tasks
    ]


def department_of_group(name: str) -> str:
    """Return the department code of a "CODE.role" group name, or ""."""
    code, dot, _role = name.partition(".")
    return code if dot else ""


def _department_groups(codes: set[str]) -> dict[str, list[Group]]:
    """Every role group of these departments, by department code (one query)."""
    names = [f"{code}.{role}" for code in codes for role in Membership.Role.values]
    found: dict[str, list[Group]] = {code: [] for code in codes}
    for group in Group.objects.filter(name__in=names):
        found[department_of_group(group.name)].append(group)
    return found


def _new_task_rows(
    tasks: Sequence[HumanTask], departments: dict[str, list[Group]]
) -> tuple[list[Model], list[Model], list[Grant]]:
    group_rows: list[Model] = []
    user_rows: list[Model] = []
    notes: list[Grant] = []
    for task in tasks:
        label = _task_label(task)
        if task.candidate_group is not None:
            group_rows += _group_rows(
                task, task.candidate_group.pk, (VIEW_TASK, CLAIM_TASK)
            )
            notes.append(
                _note(
                    "grant", (VIEW_TASK, CLAIM_TASK), task.candidate_group.name, label
                )
            )
            code = department_of_group(task.candidate_group.name)
            for group in departments.get(code, []):
                role = group.name.partition(".")[2]
                if role in SUPERVISING_ROLES and group.pk != task.candidate_group.pk:
                    group_rows += _group_rows(task, group.pk, (VIEW_TASK,))
                    notes.append(_note("grant", (VIEW_TASK,), group.name, label))
        if task.assignee_id is not None:
            user_rows += _user_rows(task, task.assignee_id, (VIEW_TASK, COMPLETE_TASK))
            notes.append(
                _note(
                    "grant", (VIEW_TASK, COMPLETE_TASK), f"user:{task.assignee}", label
                )
            )
    return group_rows, user_rows, notes


def _involve_in_case(
    business_key: str,
    departments: dict[str, list[Group]],
    users: set[int],
) -> list[Grant]:
    """Let the departments (and people) given work on a case see it from now on."""
    groups = [g for found in departments.values() for g in found]
    if not (groups or users):
        return []
    case = (
        Case.objects.filter(number=business_key)
        .values("pk", "target_record_id", "target_list_entry_id")
        .first()
    )
    if case is None:
        return []
    view_case = permission_id(VIEW_CASE)
    _insert(
        CaseGroupObjectPermission,
        [
            CaseGroupObjectPermission(
                content_object_id=case["pk"], group_id=g.pk, permission_id=view_case
            )
            for g in groups
        ],
    )
    _insert(
        CaseUserObjectPermission,
        [
            CaseUserObjectPermission(
                content_object_id=case["pk"], user_id=u, permission_id=view_case
            )
            for u in sorted(users)
        ],
    )
    on = f"case:{business_key}"
    notes = [_note("grant", (VIEW_CASE,), code, on) for code in sorted(departments)]
    notes += [_note("grant", (VIEW_CASE,), f"user_id:{u}", on) for u in sorted(users)]
    return notes + _involve_in_targets(dict(case), groups)


def _involve_in_targets(case: dict[str, Any], groups: list[Group]) -> list[Grant]:
    notes: list[Grant] = []
    if case["target_record_id"] is not None:
        record_id, perm = case["target_record_id"], permission_id(VIEW_RECORD)
        _insert(
            CreditRecordGroupObjectPermission,
            [
                CreditRecordGroupObjectPermission(
                    content_object_id=record_id, group_id=g.pk, permission_id=perm
                )
                for g in groups
            ],
        )
        notes.append(
            _note("grant", (VIEW_RECORD,), "departments", f"record:{record_id}")
        )
    if case["target_list_entry_id"] is not None:
        entry_id, perm = case["target_list_entry_id"], permission_id(VIEW_ENTRY)
        _insert(
            ListEntryGroupObjectPermission,
            [
                ListEntryGroupObjectPermission(
                    content_object_id=entry_id, group_id=g.pk, permission_id=perm
                )
                for g in groups
            ],
        )
        notes.append(_note("grant", (VIEW_ENTRY,), "departments", f"entry:{entry_id}"))
    return notes


def tasks_projected(
    business_key: str,
    created: Sequence[HumanTask],
    cancelled: Sequence[HumanTask],
) -> list[Grant]:
    """Grant what new tasks give and revoke what cancelled tasks took (one step)."""
    notes = tasks_cancelled(cancelled)
    if not created:
        return notes
    codes = {
        department_of_group(t.candidate_group.name)
        for t in created
        if t.candidate_group is not None
    } - {""}
    departments = _department_groups(codes) if codes else {}
    group_rows, user_rows, task_notes = _new_task_rows(created, departments)
    _insert(HumanTaskGroupObjectPermission, group_rows)
    _insert(HumanTaskUserObjectPermission, user_rows)
    direct = {
        t.assignee_id
        for t in created
        if t.assignee_id is not None and t.candidate_group is None
    }
    return notes + task_notes + _involve_in_case(business_key, departments, direct)
