"""A readable page of the API's documentation, rendered from the OpenAPI schema.

Server-side HTML from the same schema ``/api/schema/`` serves: no script, no CDN,
nothing but the project's own stylesheet, so the Content-Security-Policy holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views import View
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    request: str
    responses: list[tuple[str, str, str]]
    public: bool


@dataclass
class Section:
    tag: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Component:
    name: str
    description: str
    fields: list[Parameter]


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "allOf" in schema:
        return " & ".join(_type(s) for s in schema["allOf"])
    if "oneOf" in schema:
        return " | ".join(_type(s) for s in schema["oneOf"])
    kind = str(schema.get("type", "object"))
    if kind == "array":
        return f"[{_type(schema.get('items', {}))}]"
    if "enum" in schema:
        values = ", ".join(str(v) for v in schema["enum"] if v not in ("", None))
        return f"{kind}: {values}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return kind


def _content_type(body: dict[str, Any]) -> str:
    content = body.get("content") or {}
    parts = [
        f"{media}: {_type(spec.get('schema', {}))}" for media, spec in content.items()
    ]
    return "; ".join(parts)


def _operation(path: str, method: str, spec: dict[str, Any]) -> Operation:
    parameters = [
        Parameter(
            name=p["name"],
            where=p["in"],
            required=bool(p.get("required")),
            type=_type(p.get("schema", {})),
            description=str(p.get("description", "")),
        )
        for p in spec.get("parameters", [])
    ]
    responses = [
        (code, str(r.get("description", "")), _content_type(r))
        for code, r in sorted(spec.get("responses", {}).items())
    ]
    return Operation(
        method=method.upper(),
        path=path,
        summary=str(spec.get("summary", "")),
        description=str(spec.get("description", "")),
        parameters=parameters,
        request=_content_type(spec.get("requestBody", {})),
        responses=responses,
        public="security" not in spec,
    )


def _components(schema: dict[str, Any]) -> list[Component]:
    found = []
    for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(spec.get("required", []))
        fields = [
            Parameter(
                name=key,
                where="",
                required=key in required,
                type=_type(value),
                description=str(value.get("description", "")),
            )
            for key, value in spec.get("properties", {}).items()
        ]
        found.append(Component(name, str(spec.get("description", "")), fields))
    return found


@lru_cache(maxsize=8)
def documentation(
    language: str,
) -> tuple[dict[str, Any], list[Section], list[Component]]:
    """Build the page's content once per process and language from the schema."""
    generator = SchemaGenerator()  # type: ignore[no-untyped-call]
    schema = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    schema = json.loads(json.dumps(schema, default=str))
    sections: dict[str, Section] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                spec = item[method]
                tag = (spec.get("tags") or ["api"])[0]
                section = sections.setdefault(tag, Section(tag))
                section.operations.append(_operation(path, method, spec))
    return schema.get("info", {}), list(sections.values()), _components(schema)


class ApiDocsView(View):
    """Show every endpoint, its parameters, bodies and answers, and every shape."""

    def get(self, request: HttpRequest) -> HttpResponse:
        info, sections, components = documentation(translation.get_language())
        context = {"info": info, "sections": sections, "components": components}
        return render(request, "api/docs.html", context)
