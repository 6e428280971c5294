"""Filtering and ordering of lists by query parameters, declared on each view.

A view declares ``filter_params = {"status": Param("status", choices=...)}`` and
``ordering_fields = {"due": ("due_at", "pk")}`` with a default ``ordering``. Both
backends document their parameters in the OpenAPI schema (with enums), and refuse
a malformed value with 400 naming the parameter instead of ignoring it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

Apply = Callable[[QuerySet[Any], Any], QuerySet[Any]]
ORDERING_PARAM = "ordering"
MAX_TEXT = 200


@dataclass(frozen=True)
class Param:
    """One query parameter: a lookup (or a function) and the value's type."""

    lookup: str | Apply | None
    type: str = "string"  # string, integer, date, boolean
    choices: Sequence[str] = ()
    description: str = ""

    def parse(self, raw: str) -> Any:
        """Return the typed value, or raise ValueError saying what is expected."""
        if self.choices and raw not in self.choices:
            raise ValueError(_("Choose one of: %s") % ", ".join(self.choices))
        if self.type == "integer":
            if not raw.isdigit() or len(raw) > 18:
                raise ValueError(_("A whole number."))
            return int(raw)
        if self.type == "date":
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise ValueError(_("A date as YYYY-MM-DD.")) from None
        if self.type == "boolean":
            if raw not in ("true", "false"):
                raise ValueError(_("true or false."))
            return raw == "true"
        if len(raw) > MAX_TEXT or "\x00" in raw:
            raise ValueError(_("At most 200 characters."))
        return raw

    def apply(self, queryset: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if self.lookup is None:  # the view applies it (see parsed_params)
            return queryset
        if callable(self.lookup):
            return self.lookup(queryset, value)
        return queryset.filter(Q(**{self.lookup: value}))

    def schema(self) -> dict[str, Any]:
        formats = {"date": {"type": "string", "format": "date"}}
        schema: dict[str, Any] = formats.get(self.type, {"type": self.type})
        if self.choices:
            schema = {"type": "string", "enum": list(self.choices)}
        elif self.type == "string":
            schema = {"type": "string", "maxLength": MAX_TEXT}
        return schema


def parsed_params(request: Request, params: Mapping[str, Param]) -> dict[str, Any]:
    """Return the typed values of the parameters given; 400 names each bad one."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, param in params.items():
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            continue
        try:
            values[name] = param.parse(raw)
        except ValueError as error:
            errors[name] = [str(error)]
    if errors:
        raise ValidationError(errors)
    return values


class QueryParamFilter(BaseFilterBackend):
    """Apply the view's ``filter_params`` that the request gives."""

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> QuerySet[Any]:
        params: Mapping[str, Param] = getattr(view, "filter_params", {})
        for name, value in parsed_params(request, params).items():
            queryset = params[name].apply(queryset, value)
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params: Mapping[str, Param] = getattr(view, "filter_params", {})
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": param.description or name,
                "schema": param.schema(),
            }
            for name, param in params.items()
        ]


class Ordering(BaseFilterBackend):
    """Order by one of the view's ``ordering_fields`` (``-`` for descending)."""

    def _choices(self, view: Any) -> list[str]:
        names = list(getattr(view, "ordering_fields", {}))
        return [*names, *(f"-{name}" for name in names)]

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> QuerySet[Any]:
        fields: Mapping[str, Sequence[str]] = getattr(view, "ordering_fields", {})
        wanted = request.query_params.get(ORDERING_PARAM) or getattr(
            view, "ordering", ""
        )
        if not wanted:
            return queryset
        if wanted not in self._choices(view):
            raise ValidationError(
                {
                    ORDERING_PARAM: [
                        _("Choose one of: %s") % ", ".join(self._choices(view))
                    ]
                }
            )
        descending = wanted.startswith("-")
        columns = fields[wanted.lstrip("-")]
        return queryset.order_by(*(f"-{c}" if descending else c for c in columns))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        choices = self._choices(view)
        if not choices:
            return []
        default = getattr(view, "ordering", "")
        return [
            {
                "name": ORDERING_PARAM,
                "required": False,
                "in": "query",
                "description": f"Sort order; default {default}."
                if default
                else "Sort order.",
                "schema": {"type": "string", "enum": choices},
            }
        ]


FILTER_BACKENDS = [QueryParamFilter, Ordering]
