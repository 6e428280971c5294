"""Checks on data people submit into a process: plain JSON, then the task's form."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from workflows.engine.forms import TaskForm, form_for
from workflows.errors import InvalidInputError
from workflows.loading import compiled_for
from workflows.models import HumanTask, ProcessInstance

MAX_BYTES = 256 * 1024
FORM_HAS_ERRORS = "表单有误 The form has errors"
# Spiff's serializer treats any dict with this key as one of its own objects.
RESERVED_KEYS = frozenset({"typename"})


def _reserved_paths(value: Any, path: str = "") -> list[str]:
    found = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key in RESERVED_KEYS:
                found.append(where)
            found.extend(_reserved_paths(item, where))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.extend(_reserved_paths(item, f"{path}[{index}]"))
    return found


def clean_task_data(data: Any) -> dict[str, Any]:
    """Return submitted data as a plain dict, or raise naming what is wrong."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InvalidInputError("task data must be a JSON object")
    if not all(isinstance(k, str) and k.isidentifier() for k in data):
        raise InvalidInputError(
            "task data keys must be variable names (letters, digits, underscore)",
            [str(k) for k in data if not (isinstance(k, str) and k.isidentifier())],
        )
    reserved = _reserved_paths(data)
    if reserved:
        raise InvalidInputError("task data uses a reserved key 'typename'", reserved)
    try:
        size = len(json.dumps(data, cls=DjangoJSONEncoder).encode())
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"task data is not JSON: {exc}") from exc
    if size > MAX_BYTES:
        raise InvalidInputError(f"task data is {size} bytes; the limit is {MAX_BYTES}")
    return dict(data)


def task_form(task: HumanTask, instance: ProcessInstance) -> TaskForm | None:
    """Return the form schema a task names, if its process version deployed one."""
    if not task.form_key:
        return None
    return form_for(compiled_for(instance.definition), task.form_key)


def check_task_form(
    task: HumanTask,
    instance: ProcessInstance,
    data: Mapping[str, Any],
    *,
    partial: bool = False,
) -> None:
    """Refuse data the task's form does not allow, with one problem per field.

    ``partial`` checks a draft: fields not filled in yet are allowed.
    """
    form = task_form(task, instance)
    if form is None:
        return
    errors = form.errors(data, partial=partial)
    if errors:
        raise InvalidInputError(
            FORM_HAS_ERRORS, [f"{path}: {message}" for path, message in errors.items()]
        )
