"""Django form fields for the JSON Schema keywords our task forms use.

The forms in ``bpmn/forms/`` use: ``type`` string / boolean / array / object (plus
integer and number), ``enum`` with ``x-labels``, ``format`` date and textarea,
``maxLength``, ``title``, ``description``. Fields never say "required" on their own
(``required=False``): which fields a form needs, also depending on other answers
(``allOf``/``if``/``then``), is the schema's call, checked by the engine's validator
so that every message comes from one place. The fields only turn text into JSON
values and refuse what is not even of the right kind.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Longer strings than this get a text area.
TEXTAREA_FROM = 200
TRUE, FALSE = "true", "false"


def _labels(schema: Mapping[str, Any]) -> Mapping[str, str]:
    labels = schema.get("x-labels")
    return labels if isinstance(labels, Mapping) else {}


def _common(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "label": str(schema.get("title") or ""),
        "help_text": str(schema.get("description") or ""),
        "required": False,
    }


def _mark_required(field: forms.Field, required: bool) -> forms.Field:
    """Show a field as required (HTML attribute and label) without Django enforcing."""
    if required:
        field.widget.attrs["required"] = True
        field.widget.attrs["aria-required"] = "true"
    field.schema_required = required  # type: ignore[attr-defined]
    return field


class BooleanChoiceField(forms.TypedChoiceField):
    """Yes or no as two labelled radio buttons; nothing chosen is None."""

    def __init__(self, schema: Mapping[str, Any], **kwargs: Any) -> None:
        labels = _labels(schema)
        choices = [
            (TRUE, labels.get(TRUE) or _("Yes")),
            (FALSE, labels.get(FALSE) or _("No")),
        ]
        super().__init__(
            choices=choices,
            coerce=lambda value: value == TRUE,
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        if value is True:
            return TRUE
        if value is False:
            return FALSE
        return value


class LinesField(forms.CharField):
    """A list of short texts, one per line; blank lines are dropped."""

    widget = forms.Textarea

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs["rows"] = 4

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MappingField(forms.CharField):
    """Named values, one ``name: value`` per line; numbers are kept as numbers."""

    widget = forms.Textarea
    default_error_messages = {
        "line": _("Line %(line)s: write it as name: value."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs["rows"] = 4

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return "\n".join(f"{key}: {_text(item)}" for key, item in value.items())
        return value

    def to_python(self, value: Any) -> dict[str, Any]:  # type: ignore[override]
        text = super().to_python(value) or ""
        found: dict[str, Any] = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            name, sep, raw = line.partition(":")
            if not sep or not name.strip():
                raise forms.ValidationError(
                    self.error_messages["line"], code="line", params={"line": number}
                )
            found[name.strip()] = _value(raw.strip())
        return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    return str(value)


def _value(raw: str) -> Any:
    """A number stays a number (an amount); anything else is text."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        return raw
    return (
        parsed
        if isinstance(parsed, int | float) and not isinstance(parsed, bool)
        else raw
    )


class IsoDateField(forms.DateField):
    """A date picker whose value goes into the process as an ISO date."""

    widget = forms.DateInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.input_type = "date"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value


def _string(schema: Mapping[str, Any], **kwargs: Any) -> forms.Field:
    if "enum" in schema:
        labels = _labels(schema)
        choices = [(str(v), str(labels.get(str(v), v))) for v in schema["enum"]]
        widget = forms.RadioSelect if len(choices) <= 5 else forms.Select
        if widget is forms.Select:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, widget=widget, **kwargs)
    if schema.get("format") == "date":
        return IsoDateField(**kwargs)
    max_length = schema.get("maxLength")
    long = schema.get("format") == "textarea" or (max_length or 0) > TEXTAREA_FROM
    field = forms.CharField(
        max_length=max_length,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput,
        **kwargs,
    )
    return field


def _number(schema: Mapping[str, Any], integer: bool, **kwargs: Any) -> forms.Field:
    low, high = schema.get("minimum"), schema.get("maximum")
    if integer:
        return forms.IntegerField(min_value=low, max_value=high, **kwargs)
    return forms.DecimalField(min_value=low, max_value=high, **kwargs)


def field_for(schema: Mapping[str, Any], *, required: bool) -> forms.Field | None:
    """Return the form field for a schema property, or None for a group of fields."""
    kind = schema.get("type")
    kwargs = _common(schema)
    field: forms.Field
    if kind == "boolean":
        field = BooleanChoiceField(schema, **kwargs)
    elif kind == "string":
        field = _string(schema, **kwargs)
    elif kind in ("integer", "number"):
        field = _number(schema, kind == "integer", **kwargs)
    elif kind == "array" and _item_type(schema) != "object":
        field = LinesField(**kwargs)
    elif kind == "object" and "properties" not in schema:
        field = MappingField(**kwargs)
    else:
        return None
    return _mark_required(field, required)


def _item_type(schema: Mapping[str, Any]) -> Any:
    items = schema.get("items")
    return items.get("type") if isinstance(items, Mapping) else None


def json_value(value: Any) -> Any:
    """Turn a cleaned field value into what the process stores; None for nothing."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
