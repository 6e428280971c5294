"""Grant, for tasks and cases that exist already, what the runtime would have.

Runs in the data migration that introduced object permissions, and from
``manage.py demo``; idempotent (rows that exist are left alone). It takes a model
getter so the migration can pass its historical models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

DEPARTMENT_ROLES = ("reviewer", "section_chief", "head", "clerk", "officer")
SUPERVISING_ROLES = ("section_chief", "head")
CODENAMES = (
    "view_humantask",
    "claim_humantask",
    "complete_humantask",
    "view_case",
    "view_creditrecord",
    "view_listentry",
)
GetModel = Callable[[str, str], Any]


class _Rows:
    """Rows to insert per permission table, written in one bulk insert each."""

    def __init__(self, get_model: GetModel) -> None:
        self.get_model = get_model
        self.rows: dict[str, list[Any]] = defaultdict(list)

    def add(self, app: str, table: str, **fields: Any) -> None:
        self.rows[f"{app}.{table}"].append(fields)

    def write(self) -> int:
        """Insert the rows that do not exist yet; return how many were new."""
        added = 0
        for label, rows in self.rows.items():
            model = self.get_model(*label.split("."))
            before = model._default_manager.count()
            model._default_manager.bulk_create(
                [model(**fields) for fields in rows], ignore_conflicts=True
            )
            added += model._default_manager.count() - before
        return added


def _permission_ids(get_model: GetModel) -> dict[str, int]:
    permission = get_model("auth", "Permission")
    found = permission.objects.filter(
        content_type__app_label__in=("workflows", "credit"), codename__in=CODENAMES
    ).values_list("codename", "pk")
    return dict(found)


def _department_groups(get_model: GetModel) -> dict[str, list[tuple[int, str]]]:
    group = get_model("auth", "Group")
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name in group.objects.filter(name__contains=".").values_list("pk", "name"):
        code, _dot, role = name.partition(".")
        if role in DEPARTMENT_ROLES:
            found[code].append((pk, role))
    return found


def _task_rows(
    rows: _Rows,
    task: dict[str, Any],
    perms: dict[str, int],
    departments: dict[str, list[tuple[int, str]]],
) -> str:
    """Add one task's grants; return its department code ("" if none)."""
    open_ = task["status"] in ("open", "claimed")
    user_table, group_table = (
        "HumanTaskUserObjectPermission",
        "HumanTaskGroupObjectPermission",
    )
    group_id, code = task["candidate_group_id"], ""
    if group_id is not None:
        rows.add(
            "workflows",
            group_table,
            content_object_id=task["pk"],
            group_id=group_id,
            permission_id=perms["view_humantask"],
        )
        if open_ and task["assignee_id"] is None:
            rows.add(
                "workflows",
                group_table,
                content_object_id=task["pk"],
                group_id=group_id,
                permission_id=perms["claim_humantask"],
            )
        code = (
            task["candidate_group__name"].partition(".")[0]
            if "." in task["candidate_group__name"]
            else ""
        )
        for pk, role in departments.get(code, []):
            if role in SUPERVISING_ROLES and pk != group_id:
                rows.add(
                    "workflows",
                    group_table,
                    content_object_id=task["pk"],
                    group_id=pk,
                    permission_id=perms["view_humantask"],
                )
    for field in ("assignee_id", "owner_id", "completed_by_id"):
        if task[field] is not None:
            rows.add(
                "workflows",
                user_table,
                content_object_id=task["pk"],
                user_id=task[field],
                permission_id=perms["view_humantask"],
            )
    if open_ and task["assignee_id"] is not None:
        rows.add(
            "workflows",
            user_table,
            content_object_id=task["pk"],
            user_id=task["assignee_id"],
            permission_id=perms["complete_humantask"],
        )
    return code


def _case_rows(
    rows: _Rows,
    case: dict[str, Any],
    codes: set[str],
    users: set[int],
    perms: dict[str, int],
    departments: dict[str, list[tuple[int, str]]],
) -> None:
    groups = [pk for code in codes for pk, _role in departments.get(code, [])]
    for group_id in groups:
        rows.add(
            "credit",
            "CaseGroupObjectPermission",
            content_object_id=case["pk"],
            group_id=group_id,
            permission_id=perms["view_case"],
        )
        if case["target_record_id"] is not None:
            rows.add(
                "credit",
                "CreditRecordGroupObjectPermission",
                content_object_id=case["target_record_id"],
                group_id=group_id,
                permission_id=perms["view_creditrecord"],
            )
        if case["target_list_entry_id"] is not None:
            rows.add(
                "credit",
                "ListEntryGroupObjectPermission",
                content_object_id=case["target_list_entry_id"],
                group_id=group_id,
                permission_id=perms["view_listentry"],
            )
    for user_id in users:
        rows.add(
            "credit",
            "CaseUserObjectPermission",
            content_object_id=case["pk"],
            user_id=user_id,
            permission_id=perms["view_case"],
        )


def grants_backfill(get_model: GetModel) -> int:
    """Write the grants every existing task and case should carry; return how many
    rows were added (existing rows are kept, not duplicated)."""
    perms = _permission_ids(get_model)
    if len(perms) < len(CODENAMES):
        return 0  # nothing to grant with yet (permissions not created)
    departments = _department_groups(get_model)
    rows = _Rows(get_model)
    codes: dict[str, set[str]] = defaultdict(set)
    direct: dict[str, set[int]] = defaultdict(set)
    tasks = get_model("workflows", "HumanTask").objects.values(
        "pk",
        "status",
        "candidate_group_id",
        "candidate_group__name",
        "assignee_id",
        "owner_id",
        "completed_by_id",
        "case_number",
    )
    for task in tasks.iterator():
        code = _task_rows(rows, task, perms, departments)
        if code:
            codes[task["case_number"]].add(code)
        elif task["candidate_group_id"] is None and task["assignee_id"] is not None:
            direct[task["case_number"]].add(task["assignee_id"])
    cases = (
        get_model("credit", "Case")
        .objects.filter(number__in=set(codes) | set(direct))
        .values("pk", "number", "target_record_id", "target_list_entry_id")
    )
    for case in cases:
        _case_rows(
            rows,
            case,
            codes[case["number"]],
            direct[case["number"]],
            perms,
            departments,
        )
    return rows.write()
