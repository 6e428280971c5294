"""Who may take a human task, as the model says it (before any data is known)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_EXPRESSION = re.compile(r"^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$")
# "{source_department}.reviewer": a group that depends on the case's data.
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
FORM_PROPERTIES = ("form_key", "formJsonSchemaFilename")


@dataclass(frozen=True)
class StaticAssignment:
    """Candidate group, assignee and form of a task, read from the model."""

    candidate_group: str | None = None
    assignee: str | None = None
    assignee_variable: str | None = None
    form_key: str | None = None
    ui_form_key: str | None = None
    due_variable: str | None = None
    # Path to the username(s) who may not take this task (separation of duties).
    excluded_variable: str | None = None
    priority: int = 50
    source: str = "initiator"

    @property
    def group_is_template(self) -> bool:
        return bool(self.candidate_group and _PLACEHOLDER.search(self.candidate_group))

    def resolve_group(self, data: Mapping[str, Any]) -> str | None:
        """Return the candidate group's name, filling ``{var}`` from task data."""
        if not self.candidate_group:
            return None

        def fill(match: re.Match[str]) -> str:
            value = data.get(match.group(1))
            if value in (None, ""):
                raise KeyError(match.group(1))
            return str(value)

        return _PLACEHOLDER.sub(fill, self.candidate_group)

    def resolve_due(self, data: Mapping[str, Any]) -> str | None:
        """Read the due date (ISO text) at a path like ``deadline.verify_due``."""
        value = _at_path(data, self.due_variable)
        return str(value) if value else None

    def resolve_excluded(self, data: Mapping[str, Any]) -> list[str]:
        """Read the usernames who may not act on the task (e.g. the proposer)."""
        value = _at_path(data, self.excluded_variable)
        if not value:
            return []
        names = value if isinstance(value, list | tuple) else [value]
        return sorted({str(name) for name in names if name})

    def resolve_assignee(self, data: Mapping[str, Any]) -> str | None:
        """Return the assignee's username, reading ``${var}`` from task data."""
        if self.assignee_variable:
            value = data.get(self.assignee_variable)
            return str(value) if value else None
        return self.assignee


def _at_path(data: Mapping[str, Any], path: str | None) -> Any:
    if not path:
        return None
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _single_group(value: str, where: str) -> str:
    groups = [g.strip() for g in value.split(",") if g.strip()]
    if len(groups) > 1:
        raise ValueError(
            f"{where} names several candidate groups ({', '.join(groups)}); "
            "a task has one candidate group: model one lane per group"
        )
    if _EXPRESSION.match(groups[0]):
        raise ValueError(f"{where} is an expression; candidate groups must be names")
    return groups[0]


def _assignee(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    match = _EXPRESSION.match(value.strip())
    if match:
        return None, match.group(1)
    if "${" in value or "#{" in value:
        raise ValueError(
            f"assignee {value!r}: only a literal username or ${{variable}} is supported"
        )
    return value.strip(), None


def static_assignment(
    task_spec: Any, camunda_attributes: Mapping[str, Mapping[str, str]]
) -> StaticAssignment:
    """Read candidate group (property, then Camunda attribute, then lane) and form."""
    extensions = getattr(task_spec, "extensions", None) or {}
    properties: Mapping[str, str] = extensions.get("properties") or {}
    camunda = camunda_attributes.get(task_spec.bpmn_id, {})
    group, source = None, "initiator"
    if properties.get("candidate_group"):
        group = _single_group(properties["candidate_group"], "property candidate_group")
        source = "property"
    elif camunda.get("candidateGroups"):
        group = _single_group(camunda["candidateGroups"], "camunda:candidateGroups")
        source = "camunda"
    elif task_spec.lane:
        group, source = task_spec.lane, "lane"
    assignee, variable = _assignee(camunda.get("assignee"))
    if (assignee or variable) and source == "initiator":
        source = "camunda"
    form = next((properties[k] for k in FORM_PROPERTIES if properties.get(k)), None)
    try:
        priority = int(properties.get("priority", 50))
    except ValueError as exc:
        raise ValueError("property priority must be a whole number") from exc
    return StaticAssignment(
        candidate_group=group,
        assignee=assignee,
        assignee_variable=variable,
        form_key=form or camunda.get("formKey"),
        ui_form_key=properties.get("formUiSchemaFilename"),
        due_variable=properties.get("due_date_variable"),
        excluded_variable=properties.get("excluded_users_variable"),
        priority=priority,
        source=source,
    )
