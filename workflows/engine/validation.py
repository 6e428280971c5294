"""Deploy-time checks: expressions compile, operations, calls and forms exist."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from SpiffWorkflow.bpmn.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.exceptions import SpiffWorkflowException

from workflows.engine.assignment import StaticAssignment, static_assignment
from workflows.engine.errors import ModelInvalidError, ModelProblem
from workflows.engine.forms import (
    FORM_KEY,
    SPIFF_ARENA_FORM,
    form_file_name,
    json_problem,
    schema_problems,
)
from workflows.engine.parsing import Bundle, called_elements, defined_processes
from workflows.engine.sandbox import compile_check

Mode = Literal["eval", "exec"]


@dataclass(frozen=True)
class HumanTaskModel:
    """A human task as modelled: who may take it and which form it shows."""

    process_id: str
    element_id: str
    name: str
    assignment: StaticAssignment


@dataclass
class ProcessSummary:
    """What deploy learnt about one executable process."""

    process_id: str
    file: str
    message_starts: list[str] = field(default_factory=list)
    plain_start: bool = True
    human_tasks: list[HumanTaskModel] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)
    called: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)


def _event_expressions(definition: Any) -> Iterator[tuple[Mode, str]]:
    for attr in ("expression",):
        value = getattr(definition, attr, None)
        if isinstance(value, str) and value:
            yield "eval", value
    for prop in getattr(definition, "correlation_properties", None) or []:
        yield "eval", prop.retrieval_expression
    for prop in getattr(definition, "process_correlations", None) or []:
        yield "eval", prop.retrieval_expression
    for child in getattr(definition, "event_definitions", None) or []:
        yield from _event_expressions(child)


def task_expressions(task_spec: Any) -> Iterator[tuple[Mode, str]]:
    """Yield every expression or script a task spec will run, with its mode."""
    for condition, _target in getattr(task_spec, "cond_task_specs", None) or []:
        # Gateway conditions are wrapped in an Operator holding the source text.
        source = getattr(condition, "args", [condition])[0] if condition else None
        if isinstance(source, str) and source.strip():
            yield "eval", source
    scripts: tuple[tuple[str, Mode], ...] = (
        ("script", "exec"),
        ("prescript", "exec"),
        ("postscript", "exec"),
    )
    for attr, mode in scripts:
        value = getattr(task_spec, attr, None)
        if isinstance(value, str) and value.strip():
            yield mode, value
    for attr in ("cardinality", "condition"):
        value = getattr(task_spec, attr, None)
        if isinstance(value, str) and value.strip():
            yield "eval", value
    for param in (getattr(task_spec, "operation_params", None) or {}).values():
        if isinstance(param, dict) and param.get("value"):
            yield "eval", str(param["value"])
    definition = getattr(task_spec, "event_definition", None)
    if definition is not None:
        yield from _event_expressions(definition)


def _service_problem(
    task_spec: Any, operations: Collection[str], summary: ProcessSummary
) -> str | None:
    name = getattr(task_spec, "operation_name", None)
    if not name:
        return "service task names no operation"
    if name not in operations:
        return f"unknown service operation {name!r}"
    summary.operations.add(name)
    return None


def _form_problem(
    bundle: Bundle, task_spec: Any, summary: ProcessSummary
) -> str | None:
    """A form_key must name a schema in the bundle; a spiff-arena one may be absent.

    Camunda's formKey names an embedded HTML form, which is none of our business.
    """
    extensions = getattr(task_spec, "extensions", None) or {}
    properties = extensions.get("properties") or {}
    problem = None
    for prop in (FORM_KEY, SPIFF_ARENA_FORM):
        key = properties.get(prop)
        if not key:
            continue
        name = form_file_name(str(key))
        if bundle.form(name) is not None:
            summary.forms.add(name)
        elif prop == FORM_KEY:
            problem = (
                f"form_key {key!r}: its form schema {name} is not among the "
                "deployed files (deploy it with the model, e.g. from bpmn/forms/)"
            )
    return problem


def _check_task(
    bundle: Bundle,
    spec: Any,
    task_spec: Any,
    operations: Collection[str],
    summary: ProcessSummary,
) -> list[ModelProblem]:
    file = spec.file or summary.file
    element = getattr(task_spec, "bpmn_id", None) or ""
    line = bundle.line_of(file, element)
    messages = [
        f"expression {source!r} is refused: {error}"
        for mode, source in task_expressions(task_spec)
        if (error := compile_check(source, mode))
    ]
    if isinstance(task_spec, ServiceTask):
        messages.append(_service_problem(task_spec, operations, summary) or "")
    if isinstance(task_spec, SubWorkflowTask) and getattr(task_spec, "spec", None):
        summary.called.add(task_spec.spec)
    if getattr(task_spec, "manual", False) and element:
        messages.append(_form_problem(bundle, task_spec, summary) or "")
        try:
            assignment = static_assignment(task_spec, bundle.camunda_attributes)
        except ValueError as exc:
            messages.append(str(exc))
        else:
            name = task_spec.bpmn_name or ""
            summary.human_tasks.append(
                HumanTaskModel(summary.process_id, element, name, assignment)
            )
    return [ModelProblem(file, m, line, element) for m in messages if m]


def _starts(spec: Any) -> tuple[list[str], bool]:
    """Return the message names that start a process, and if a plain start exists."""
    names, plain = [], False
    for start in getattr(spec, "bpmn_start_events", None) or []:
        definition = getattr(start, "event_definition", None)
        if isinstance(definition, MessageEventDefinition):
            names.append(definition.name)
        elif type(definition).__name__ == "NoneEventDefinition":
            plain = True
    return names, plain


def _missing_calls(bundle: Bundle) -> list[ModelProblem]:
    defined = defined_processes(bundle.files)
    return [
        ModelProblem(
            file, f"calls process {called!r}, which is not deployed", line, element
        )
        for called, (file, element, line) in called_elements(bundle.files).items()
        if called not in defined
    ]


def _json_problems(
    bundle: Bundle, summaries: list[ProcessSummary]
) -> list[ModelProblem]:
    """Every .json file must be JSON; every one a task names, a valid JSON Schema."""
    forms = {name for s in summaries for name in s.forms}
    problems = []
    for f in bundle.files:
        if f.kind != "json":
            continue
        found = (
            schema_problems(f.content) if f.name in forms else [json_problem(f.content)]
        )
        problems += [ModelProblem(f.name, message) for message in found if message]
    return problems


def validate_bundle(
    bundle: Bundle, operations: Collection[str]
) -> list[ProcessSummary]:
    """Check every executable process of a parsed bundle; raise on any problem."""
    problems = _missing_calls(bundle)
    if problems:
        raise ModelInvalidError(problems)
    summaries = []
    for process_id in bundle.process_ids():
        summary = ProcessSummary(process_id, bundle.process_file(process_id))
        try:
            spec = bundle.spec(process_id)
            specs = [spec, *bundle.subprocess_specs(process_id).values()]
        except SpiffWorkflowException as exc:
            problem = bundle.problem_from(exc, summary.file)
            raise ModelInvalidError([problem]) from exc
        for each in specs:
            if each is None:
                continue
            for task_spec in each.task_specs.values():
                problems.extend(
                    _check_task(bundle, each, task_spec, operations, summary)
                )
        summary.message_starts, summary.plain_start = _starts(spec)
        summaries.append(summary)
    problems += _json_problems(bundle, summaries)
    if problems:
        # A called process is checked with each caller: report each problem once.
        raise ModelInvalidError(list(dict.fromkeys(problems)))
    return summaries
