"""Task forms: JSON Schema files deployed with a model, checked at deploy and on submit.

A user task names its form with the spiffworkflow property ``form_key`` (our models:
``objection_verify`` means the file ``objection_verify.json``) or
``formJsonSchemaFilename`` (spiff-arena's convention: the file name itself). The
schema travels in the deployed bundle, so a process version always runs with the
forms it was deployed with. What a person submits is checked against it before the
engine sees the data: a field the form does not declare cannot overwrite process
data (say, the department the next task goes to).
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import referencing
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from lxml import etree

from workflows.engine.compiled import CompiledProcess
from workflows.engine.parsing import SPIFF_NS, SourceFile

FORM_SUFFIX = ".json"
# form_key must resolve in the bundle; formJsonSchemaFilename is checked if present.
FORM_KEY, SPIFF_ARENA_FORM = "form_key", "formJsonSchemaFilename"
# Where a problem concerns the whole form rather than one field.
WHOLE_FORM = "form"
# "Not blank": at least one character that is not white space.
NOT_BLANK = r"\S"
_CACHE_SIZE = 512
Path = tuple[str | int, ...]
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_TYPES = {
    "string": "文本 text",
    "boolean": "是或否 true or false",
    "integer": "整数 a whole number",
    "number": "数字 a number",
    "array": "列表 a list",
    "object": "一组字段 a group of fields",
    "null": "空 empty",
}


def form_file_name(form_key: str) -> str:
    """Return the file a form key names: ``key.json``, or the key if it ends so."""
    if form_key.lower().endswith(FORM_SUFFIX):
        return form_key
    return f"{form_key}{FORM_SUFFIX}"


def _local_refs_only(schema: Any, where: str = "$") -> Iterator[str]:
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                if not value.startswith("#"):
                    yield (
                        f"{where}.{key} {value!r}: only references inside the file "
                        "(#/...) are allowed"
                    )
            else:
                yield from _local_refs_only(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from _local_refs_only(item, f"{where}[{index}]")


def json_problem(content: bytes) -> str | None:
    """Say why a deployed .json file is not JSON, or return None."""
    try:
        json.loads(content)
    except ValueError as exc:
        return f"not valid JSON: {exc}"
    return None


def schema_problems(content: bytes) -> list[str]:
    """Say why a file is not a usable form schema (JSON Schema, 2020-12 by default)."""
    problem = json_problem(content)
    if problem:
        return [problem]
    schema = json.loads(content)
    if not isinstance(schema, dict):
        return ["a form schema must be a JSON object"]
    cls = validator_for(schema, default=Draft202012Validator)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        return [f"not a valid JSON Schema: {exc.json_path}: {exc.message}"]
    return list(_local_refs_only(schema))


def referenced_forms(files: Iterable[SourceFile]) -> set[str]:
    """Return the form files the user tasks of some BPMN files name."""
    names: set[str] = set()
    for f in files:
        if f.kind != "bpmn":
            continue
        try:
            root = etree.fromstring(f.content, parser=_XML_PARSER)
        except etree.XMLSyntaxError:
            continue
        for node in root.iter(f"{{{SPIFF_NS}}}property"):
            if node.get("name") in (FORM_KEY, SPIFF_ARENA_FORM) and node.get("value"):
                names.add(form_file_name(str(node.get("value"))))
    return names


def _path(parts: Iterable[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


def _labels(error: ValidationError) -> str:
    schema = _schema_of(error)
    labels = schema.get("x-labels") or {}
    return ", ".join(str(labels.get(str(v), v)) for v in schema.get("enum", []))


def _length(kind: str) -> Callable[[ValidationError], str]:
    def message(error: ValidationError) -> str:
        n = error.validator_value
        if kind == "min" and n == 1:
            return "不能为空 must not be empty"
        if kind == "min":
            return f"至少{n}个字 must be at least {n} characters"
        return f"最多{n}个字 must be at most {n} characters"

    return message


def _pattern(error: ValidationError) -> str:
    if error.validator_value == NOT_BLANK:
        return "不能为空 must not be blank"
    return "格式不对 is not in the expected format"


def _type(error: ValidationError) -> str:
    wanted = error.validator_value
    kinds = wanted if isinstance(wanted, list) else [wanted]
    return "应为 must be " + " / ".join(_TYPES.get(str(k), str(k)) for k in kinds)


_MESSAGES: dict[str, Callable[[ValidationError], str]] = {
    "type": _type,
    "enum": lambda e: f"请从以下选择 choose one of: {_labels(e)}",
    "const": lambda e: f"取值不对 must be {e.validator_value!r}",
    "minLength": _length("min"),
    "maxLength": _length("max"),
    "pattern": _pattern,
    "minItems": lambda e: (
        f"至少填写{e.validator_value}项 give at least {e.validator_value}"
    ),
    "maxItems": lambda e: f"最多{e.validator_value}项 give at most {e.validator_value}",
    "minProperties": lambda e: (
        f"至少填写{e.validator_value}项 give at least {e.validator_value}"
    ),
    "maxProperties": lambda e: f"最多{e.validator_value}项 at most {e.validator_value}",
    "propertyNames": lambda e: f"项名不对 {e.instance!r} is not an allowed name",
    "minimum": lambda e: (
        f"不能小于{e.validator_value} must be at least {e.validator_value}"
    ),
    "maximum": lambda e: (
        f"不能大于{e.validator_value} must be at most {e.validator_value}"
    ),
    "format": lambda e: f"格式不对 must be a valid {e.validator_value}",
    "uniqueItems": lambda e: "有重复项 must not repeat an entry",
}
REQUIRED = "必填 is required"
UNDECLARED = "表单中没有此项 is not a field of this form"


def _undeclared(error: ValidationError, given: Mapping[str, Any]) -> list[str]:
    schema = _schema_of(error)
    declared = schema.get("properties") or {}
    patterns = list(schema.get("patternProperties") or {})
    return [
        key
        for key in given
        if key not in declared and not any(re.search(p, key) for p in patterns)
    ]


def _by_field(error: ValidationError, partial: bool) -> list[tuple[Path, str]] | None:
    """Split a missing or undeclared fields error into one problem per field."""
    given = error.instance
    if not isinstance(given, Mapping):
        return None
    where = tuple(error.absolute_path)
    if error.validator == "required":
        wanted = (
            error.validator_value if isinstance(error.validator_value, list) else []
        )
        missing = [] if partial else [n for n in wanted if n not in given]
        return [((*where, name), REQUIRED) for name in missing]
    if error.validator == "additionalProperties":
        return [((*where, key), UNDECLARED) for key in _undeclared(error, given)]
    return None


@dataclass(frozen=True)
class TaskForm:
    """A deployed form schema, compiled once, that checks submitted task data."""

    name: str
    schema: Mapping[str, Any]
    validator: Validator

    def title(self, path: Iterable[str | int]) -> str:
        """Return the title of the field at a path, as the schema gives it."""
        node: Any = self.schema
        for part in path:
            if not isinstance(node, Mapping):
                return ""
            if isinstance(part, int):
                node = node.get("items")
            else:
                node = (node.get("properties") or {}).get(part)
        return str(node.get("title") or "") if isinstance(node, Mapping) else ""

    def _found(
        self, data: Mapping[str, Any], partial: bool
    ) -> Iterator[tuple[Path, str]]:
        """Yield (field path, problem) pairs; missing fields are fine in a draft."""
        others: dict[Path, list[ValidationError]] = {}
        for error in self.validator.iter_errors(data):
            named = _by_field(error, partial)
            if named is not None:
                yield from named
            else:
                others.setdefault(tuple(error.absolute_path), []).append(error)
        for where, errors in others.items():
            chosen = best_match(errors)
            explain = _MESSAGES.get(str(chosen.validator))
            yield where, explain(chosen) if explain else f"不符合要求 {chosen.message}"

    def errors(
        self, data: Mapping[str, Any], *, partial: bool = False
    ) -> dict[str, str]:
        """Map each field path with a problem to one message naming the field.

        ``partial`` checks a draft: undeclared fields and wrong values are refused,
        fields not filled in yet are not.
        """
        found: dict[str, str] = {}
        for where, problem in self._found(data, partial):
            path = _path(where) or WHOLE_FORM
            if path not in found:
                title = self.title(where)
                found[path] = f"{title} — {problem}" if title else problem
        return dict(sorted(found.items()))


_cache: OrderedDict[tuple[str, str], TaskForm | None] = OrderedDict()
_lock = threading.Lock()


def _compile(name: str, content: bytes) -> TaskForm:
    schema = json.loads(content)
    cls = validator_for(schema, default=Draft202012Validator)
    # An empty registry: a $ref is never fetched from the network.
    validator = cls(schema, registry=referencing.Registry())
    return TaskForm(name=name, schema=schema, validator=validator)


def form_for(compiled: CompiledProcess, form_key: str) -> TaskForm | None:
    """Return the form a task's key names in its deployed version, if deployed."""
    if not form_key:
        return None
    name = form_file_name(form_key)
    key = (compiled.sha256, name)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    content = compiled.forms.get(name)
    # Deploy refuses a broken schema; a version deployed before forms were checked
    # may hold one, and runs unchecked as it always did.
    usable = content is not None and not schema_problems(content)
    form = _compile(name, content) if content is not None and usable else None
    with _lock:
        _cache[key] = form
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return form
