"""DMN decision tables on their own: the project's policies (time limits, periods).

Business rule tasks inside a process use Spiff's own DMN support; policies are asked
directly by domain code, so the same sandboxed script engine evaluates them here.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException

from workflows.engine.errors import EngineStepError, ModelProblem
from workflows.engine.parsing import Bundle, SourceFile, parse_bundle
from workflows.engine.sandbox import compile_check
from workflows.engine.script_engine import script_engine

_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


@dataclass(frozen=True)
class DecisionModel:
    """A decision found in a deployed DMN file."""

    decision_id: str
    name: str
    file: str


def decisions_in(bundle: Bundle) -> list[DecisionModel]:
    """List the decisions a parsed bundle's DMN files define."""
    found = []
    for decision_id, parser in sorted(bundle.parser.dmn_parsers.items()):
        found.append(
            DecisionModel(decision_id, parser.get_name() or "", parser.filename)
        )
    return found


def _cell_expressions(table: Any) -> Iterator[tuple[int, str]]:
    """Yield (row, expression) for each cell, built as the engine builds them."""
    for rule in table.rules:
        for entry in rule.inputEntries:
            source = entry.input.expression or ""
            for lhs in entry.lhs:
                if not lhs:
                    continue
                if "?" in lhs:
                    yield rule.row_number, _QUESTION.sub("dmninputexpr", lhs)
                    continue
                equality = f"({source}) == ({lhs})"
                combined = (
                    equality
                    if compile_check(equality, "eval") is None
                    else source + lhs
                )
                yield rule.row_number, combined
        for entry in rule.outputEntries:
            if entry.text:
                yield rule.row_number, entry.text


def check_decisions(bundle: Bundle) -> list[ModelProblem]:
    """Parse every decision table and check each cell compiles in the sandbox."""
    problems = []
    for decision_id, parser in bundle.parser.dmn_parsers.items():
        line = bundle.line_of(parser.filename, decision_id)
        try:
            parser.parse()
        except SpiffWorkflowException as exc:
            problems.append(ModelProblem(parser.filename, str(exc), line, decision_id))
            continue
        for table in parser.decision.decisionTables:
            for row, source in _cell_expressions(table):
                error = compile_check(source, "eval")
                if error:
                    problems.append(
                        ModelProblem(
                            parser.filename,
                            f"rule {row}: expression {source!r} is refused: {error}",
                            line,
                            decision_id,
                        )
                    )
    return problems


class _DecisionTask:
    """The little of a Spiff task the DMN engine reads: data and a script engine."""

    def __init__(self, decision_id: str, data: Mapping[str, Any]) -> None:
        self.data = dict(data)
        # Spiff's error reporting reads the spec's file and the workflow tree.
        self.workflow = SimpleNamespace(
            script_engine=script_engine(),
            spec=SimpleNamespace(file=decision_id, name=decision_id),
            parent_workflow=None,
        )
        self.workflow.top_workflow = self.workflow
        self.task_spec = SimpleNamespace(
            bpmn_id=decision_id, name=decision_id, bpmn_name=decision_id
        )
        self.id = decision_id


_cache: OrderedDict[tuple[str, str], DMNEngine] = OrderedDict()
_lock = threading.Lock()


def _engine(
    sha256: str, decision_id: str, load: Callable[[], Sequence[SourceFile]]
) -> DMNEngine:
    key = (sha256, decision_id)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    parser = parse_bundle(load(), "spiff", schema_check=False).parser.dmn_parsers[
        decision_id
    ]
    parser.parse()
    engine = DMNEngine(parser.decision.decisionTables[0])
    with _lock:
        _cache[key] = engine
        while len(_cache) > 256:
            _cache.popitem(last=False)
    return engine


def evaluate_decision(
    sha256: str,
    decision_id: str,
    load: Callable[[], Sequence[SourceFile]],
    inputs: Mapping[str, Any],
) -> dict[str, Any]:
    """Evaluate a deployed decision table against inputs; {} when no rule matches."""
    engine = _engine(sha256, decision_id, load)
    try:
        return dict(engine.result(_DecisionTask(decision_id, inputs)))
    except SpiffWorkflowException as exc:
        raise EngineStepError(str(exc), element_id=decision_id) from exc
