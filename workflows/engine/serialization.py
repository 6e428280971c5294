"""Serialize workflow state without its spec; the spec is re-attached from the cache.

Storing the parsed spec in every saved state doubles its size and the time to load
it (engine-notes.md), and the spec of a deployed version never changes: so the state
carries only the process id, and loading takes the already parsed specs.
"""

from __future__ import annotations

import contextvars
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from workflows.engine.parsing import Dialect

# Stored with every instance; a change means a tested migration of saved states.
STATE_FORMAT = "spiff-3.2.0/1.5/spec-free-1"

_specs: contextvars.ContextVar[tuple[Any, dict[str, Any]]] = contextvars.ContextVar(
    "attached_specs"
)


class SpecFreeWorkflowConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """Workflow converter that writes a spec reference instead of the spec."""

    def to_dict(self, workflow: Any) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["spec_ref"] = workflow.spec.name
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any]) -> Any:
        spec, subprocess_specs = _specs.get()
        if dct.pop("spec_ref") != spec.name:
            raise ValueError("saved state belongs to another process spec")
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _build(config: dict[Any, Any]) -> BpmnWorkflowSerializer:
    config = dict(config)
    config[BpmnWorkflow] = SpecFreeWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    # Task data may hold money (Decimal) and calendar dates; Spiff fails on both.
    registry.register(
        Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"])
    )
    registry.register(
        date,
        lambda v: {"value": v.isoformat()},
        lambda v: date.fromisoformat(v["value"]),
    )
    return BpmnWorkflowSerializer(registry)


_SERIALIZERS = {"spiff": _build(SPIFF_CONFIG), "camunda": _build(CAMUNDA_CONFIG)}


def dump_state(workflow: Any, dialect: Dialect) -> str:
    """Serialize a workflow's state (no spec) to JSON."""
    return str(_SERIALIZERS[dialect].serialize_json(workflow))


def load_state(
    state: str, dialect: Dialect, spec: Any, subprocess_specs: dict[str, Any]
) -> Any:
    """Restore a workflow from JSON, attaching the given already-parsed specs."""
    token = _specs.set((spec, subprocess_specs))
    try:
        return _SERIALIZERS[dialect].deserialize_json(state)
    finally:
        _specs.reset(token)
