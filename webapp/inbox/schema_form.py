"""A Django form built from a task's JSON Schema form, and back to process data.

Nested objects become fieldsets (``approval__approved``), arrays of objects become
numbered rows (``measures_feedback__0__measure``); field names join the schema path
with ``__`` so that the validator's problems ("approval.comment",
"measures_feedback[1].reason") land on the field they are about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext as _

from webapp.inbox.schema_fields import field_for, json_value

SEP = "__"
# Rows offered beyond those already filled in, and at least this many in all.
EXTRA_ROWS, MIN_ROWS = 1, 2
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass
class Part:
    """One piece of the form's layout: a field, a fieldset, or a set of rows."""

    kind: str  # "field" | "group" | "rows"
    name: str
    key: str | int
    title: str = ""
    description: str = ""
    required: bool = False
    children: list[Part] = field(default_factory=list)
    bound: BoundField | None = None


def name_of(path: Iterable[str | int]) -> str:
    return SEP.join(str(part) for part in path)


def path_parts(path: str) -> list[str | int]:
    """Split a validator path such as ``a.b[0].c`` into its parts."""
    return [int(index) if index else name for name, index in _PATH_PART.findall(path)]


def _rows_wanted(name: str, initial: Any, data: Mapping[str, Any] | None) -> int:
    if data is not None:
        pattern = re.compile(rf"^{re.escape(name)}{SEP}(\d+){SEP}")
        found = [int(m.group(1)) for key in data if (m := pattern.match(key))]
        return max(found) + 1 if found else 0
    filled = len(initial) if isinstance(initial, list) else 0
    return max(filled + EXTRA_ROWS, MIN_ROWS)


class _Builder:
    """Walk a schema, adding fields to a form and returning the layout."""

    def __init__(self, form: forms.Form, data: Mapping[str, Any] | None) -> None:
        self.form = form
        self.data = data

    def properties(
        self, schema: Mapping[str, Any], prefix: tuple[str | int, ...], initial: Any
    ) -> list[Part]:
        required = set(schema.get("required") or [])
        values = initial if isinstance(initial, Mapping) else {}
        return [
            self.part(sub, (*prefix, key), key in required, values.get(key))
            for key, sub in (schema.get("properties") or {}).items()
            if isinstance(sub, Mapping)
        ]

    def part(
        self,
        schema: Mapping[str, Any],
        path: tuple[str | int, ...],
        required: bool,
        initial: Any,
    ) -> Part:
        name = name_of(path)
        part = Part(
            kind="field",
            name=name,
            key=path[-1],
            title=str(schema.get("title") or ""),
            description=str(schema.get("description") or ""),
            required=required,
        )
        made = field_for(schema, required=required)
        if made is not None:
            self.form.fields[name] = made
            if initial is not None:
                self.form.initial[name] = initial
        elif schema.get("type") == "object":
            part.kind = "group"
            part.children = self.properties(schema, path, initial)
        else:
            part.kind = "rows"
            part.children = self.rows(schema, path, initial)
        return part

    def rows(
        self, schema: Mapping[str, Any], path: tuple[str | int, ...], initial: Any
    ) -> list[Part]:
        items = schema.get("items") or {}
        count = _rows_wanted(name_of(path), initial, self.data)
        most = schema.get("maxItems")
        if isinstance(most, int):
            count = min(count, most)
        filled = initial if isinstance(initial, list) else []
        rows = []
        for index in range(count):
            row_initial = filled[index] if index < len(filled) else None
            row = self.part(items, (*path, index), False, row_initial)
            row.title = _("%(title)s %(number)s") % {
                "title": items.get("title") or "",
                "number": index + 1,
            }
            rows.append(row)
        return rows


def _collect(parts: list[Part], cleaned: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        value: Any
        if part.kind == "field":
            value = json_value(cleaned.get(part.name))
        elif part.kind == "group":
            value = _collect(part.children, cleaned)
            value = value if value or part.required else None
        else:
            filled = [_collect(row.children, cleaned) for row in part.children]
            value = [row for row in filled if row] or None
        if value is not None:
            out[str(part.key)] = value
    return out


def _bind(form: forms.Form, parts: list[Part]) -> None:
    for part in parts:
        if part.kind == "field":
            part.bound = form[part.name]
        _bind(form, part.children)


class TaskDataForm(forms.Form):
    """The fields a task's schema declares, laid out as the schema groups them."""

    def __init__(
        self,
        schema: Mapping[str, Any] | None,
        data: Mapping[str, Any] | None = None,
        *,
        initial_data: Mapping[str, Any] | None = None,
        files: Any = None,
    ) -> None:
        super().__init__(data=data, files=files)
        self.schema = schema or {}
        builder = _Builder(self, data)
        self.parts = builder.properties(self.schema, (), initial_data or {})
        _bind(self, self.parts)

    def process_data(self) -> dict[str, Any]:
        """Return the cleaned input as the JSON the process receives."""
        return _collect(self.parts, self.cleaned_data)

    def add_problems(self, problems: Mapping[str, str]) -> None:
        """Put each validator problem (path -> message) on the field it is about."""
        for path, message in problems.items():
            self._add_problem(path_parts(path), message)

    def _add_problem(self, parts: list[str | int], message: str) -> None:
        for end in range(len(parts), 0, -1):
            name = name_of(parts[:end])
            if name not in self.fields:
                continue
            label = str(self.fields[name].label or "")
            if end == len(parts):
                text = message.removeprefix(f"{label} — ") if label else message
            else:
                text = _("Line %(number)s: %(message)s") % {
                    "number": int(parts[end]) + 1
                    if isinstance(parts[end], int)
                    else parts[end],
                    "message": message,
                }
            self.add_error(name, text)
            return
        self.add_error(None, message)


def problems_from(lines: Iterable[str]) -> dict[str, str]:
    """Read an InvalidInputError's "path: message" lines back into a mapping."""
    found: dict[str, str] = {}
    for line in lines:
        path, sep, message = str(line).partition(": ")
        if sep:
            found.setdefault(path, message)
        else:
            found.setdefault("form", str(line))
    return found
