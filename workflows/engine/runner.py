"""One loaded process instance in the engine: start, complete, deliver, fire timers.

A ``ProcessSession`` lives for one runtime operation: it is built from the saved
state (or started fresh), advanced to the next wait state, read for its human tasks,
waiting events and thrown messages, and dumped again. It never touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions import (
    ErrorEventDefinition,
    MessageEventDefinition,
)
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.camunda.specs.event_definitions import (
    MessageEventDefinition as CamundaMessageEventDefinition,
)
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.util.task import TaskState

from workflows.engine.assignment import static_assignment
from workflows.engine.compiled import CompiledProcess
from workflows.engine.errors import (
    EngineStepError,
    MessageNotAwaitedError,
    TaskNotReadyError,
    UncaughtBpmnError,
)
from workflows.engine.script_engine import script_engine
from workflows.engine.serialization import dump_state, load_state
from workflows.engine.session_types import (
    CompletedElement,
    ReadyHumanTask,
    ThrownMessage,
    Waiting,
)
from workflows.engine.timers import timer_due


def _step_error(exc: Exception, running: Any = None) -> EngineStepError:
    """Wrap an engine failure, naming the element (``running`` when Spiff has none)."""
    task = getattr(exc, "task", None) or running
    task_spec = getattr(exc, "task_spec", None) or getattr(task, "task_spec", None)
    element = getattr(task_spec, "bpmn_id", "") or ""
    cause = exc.__cause__ or exc
    return EngineStepError(str(exc), element_id=element, detail=repr(cause))


class ProcessSession:
    """A workflow loaded for one operation."""

    def __init__(self, compiled: CompiledProcess, workflow: BpmnWorkflow) -> None:
        self.compiled = compiled
        self.workflow = workflow
        self.thrown: list[ThrownMessage] = []
        self.completed: list[CompletedElement] = []
        self._running: Any = None
        self._error_throwers: list[tuple[Any, str]] = []

    @classmethod
    def start(
        cls, compiled: CompiledProcess, data: Mapping[str, Any]
    ) -> ProcessSession:
        """Create a new workflow, put ``data`` on its start, run to a wait state."""
        workflow = BpmnWorkflow(
            compiled.spec, compiled.subprocess_specs, script_engine=script_engine()
        )
        for task in workflow.get_tasks(state=TaskState.READY):
            task.set_data(**dict(data))
        session = cls(compiled, workflow)
        session.advance()
        return session

    @classmethod
    def load(cls, compiled: CompiledProcess, state: str) -> ProcessSession:
        """Restore a saved workflow onto its already parsed spec."""
        workflow = load_state(
            state, compiled.dialect, compiled.spec, compiled.subprocess_specs
        )
        workflow.script_engine = script_engine()
        return cls(compiled, workflow)

    def dump(self) -> str:
        return dump_state(self.workflow, self.compiled.dialect)

    @property
    def is_completed(self) -> bool:
        return bool(self.workflow.is_completed())

    def data(self) -> dict[str, Any]:
        """Return the process data: the last task's data plus the data objects."""
        last = self.workflow.last_task
        merged = dict(last.data) if last is not None else {}
        merged.update(self.workflow.data.get("data_objects") or {})
        return merged

    def _will_run(self, task: Any) -> None:
        self._running = task

    def _record(self, task: Any) -> None:
        self._running = None
        spec = task.task_spec
        definition = getattr(spec, "event_definition", None)
        if isinstance(definition, ErrorEventDefinition):
            self._error_throwers.append((definition, spec.bpmn_id or ""))
        if getattr(spec, "bpmn_id", None):
            self.completed.append(
                CompletedElement(
                    spec.bpmn_id, type(spec).__name__, task.workflow.spec.name
                )
            )

    def advance(self) -> None:
        """Run every engine task until only human tasks and waits remain."""
        try:
            self.workflow.do_engine_steps(
                will_complete_task=self._will_run, did_complete_task=self._record
            )
        except Exception as exc:
            # Spiff wraps script errors; a service operation's own error arrives bare.
            raise _step_error(exc, self._running) from exc
        for event in self.workflow.get_events():
            definition = event.event_definition
            if isinstance(definition, ErrorEventDefinition):
                thrower = next(
                    (e for d, e in reversed(self._error_throwers) if d == definition),
                    "",
                )
                raise UncaughtBpmnError(
                    f"uncaught BPMN error {definition.name or definition.code!r}",
                    element_id=thrower,
                    detail=repr(event.payload),
                )
            if isinstance(definition, MessageEventDefinition):
                self.thrown.append(
                    ThrownMessage(definition.name, event.payload, event.correlations)
                )

    def _ready_task(self, task_id: UUID) -> Any:
        task = self.workflow.get_task_from_id(task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReadyError(str(task_id))
        return task

    def complete(self, task_id: UUID, data: Mapping[str, Any]) -> None:
        """Complete a READY human task with submitted data, then advance."""
        task = self._ready_task(task_id)
        task.set_data(**dict(data))
        try:
            task.run()
        except Exception as exc:
            raise _step_error(exc, task) from exc
        self._record(task)
        self.advance()

    def fire_timers(self) -> None:
        """Let every due timer fire, then advance."""
        try:
            self.workflow.refresh_timers()
        except SpiffWorkflowException as exc:
            raise _step_error(exc) from exc
        self.advance()

    def ready_human_tasks(self) -> list[ReadyHumanTask]:
        """List READY manual tasks, including those inside subprocesses."""
        found = []
        for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
            spec = task.task_spec
            assignment = static_assignment(spec, self.compiled.camunda_attributes)
            index = task.internal_data.get("key_or_index")
            extensions = getattr(spec, "extensions", None) or {}
            try:
                group = assignment.resolve_group(task.data)
            except KeyError as missing:
                raise EngineStepError(
                    f"candidate group {assignment.candidate_group!r} needs the "
                    f"variable {missing.args[0]!r}, which the task data lacks",
                    element_id=spec.bpmn_id,
                ) from None
            due = assignment.resolve_due(task.data)
            found.append(
                ReadyHumanTask(
                    spiff_id=task.id,
                    element_id=spec.bpmn_id,
                    name=spec.bpmn_name or spec.bpmn_id,
                    process_id=task.workflow.spec.name,
                    lane=spec.lane,
                    loop_index=index if isinstance(index, int) else None,
                    task_type=type(spec).__name__,
                    assignment=assignment,
                    candidate_group=group,
                    assignee=assignment.resolve_assignee(task.data),
                    due=due,
                    excluded=assignment.resolve_excluded(task.data),
                    instructions=str(extensions.get("instructionsForEndUser") or ""),
                )
            )
        return found

    def _event_tasks(self) -> list[Any]:
        return [
            t
            for t in self.workflow.event_manager.tasks.values()
            if t.state == TaskState.WAITING or t.has_state(TaskState.WAITING)
        ]

    def waiting(self) -> list[Waiting]:
        """List the timers (with due time) and messages the instance waits for."""
        found = []
        for task in self._event_tasks():
            definitions = _leaf_definitions(task.task_spec.event_definition)
            for definition in definitions:
                element = task.task_spec.bpmn_id or ""
                if isinstance(definition, TimerEventDefinition):
                    due = timer_due(task, definition)
                    found.append(Waiting("timer", definition.name, element, due))
                elif isinstance(definition, MessageEventDefinition):
                    found.append(
                        Waiting(
                            "message",
                            definition.name,
                            element,
                            correlations=dict(task.workflow.correlations),
                        )
                    )
        return found

    def next_timer_at(self) -> datetime | None:
        dues = [w.due for w in self.waiting() if w.kind == "timer" and w.due]
        return min(dues) if dues else None

    def _message_definition(self, name: str) -> Any:
        for task in self._event_tasks():
            for definition in _leaf_definitions(task.task_spec.event_definition):
                if (
                    isinstance(definition, MessageEventDefinition)
                    and definition.name == name
                ):
                    return definition
        raise MessageNotAwaitedError(name)

    def deliver(
        self,
        name: str,
        payload: Any,
        correlations: Mapping[str, Any] | None = None,
        *,
        from_engine: bool = False,
    ) -> None:
        """Deliver a message to the waiting catch event; raise if nobody waits."""
        definition = self._message_definition(name)
        if isinstance(definition, CamundaMessageEventDefinition) and not from_engine:
            payload = {"payload": payload, "result_var": None}
        if correlations is None:
            correlations = definition.calculate_correlations(
                self.workflow.script_engine,
                definition.correlation_properties,
                payload if isinstance(payload, Mapping) else {},
            )
        event = BpmnEvent(definition, payload=payload, correlations=dict(correlations))
        try:
            self.workflow.send_event(event)
        except WorkflowException as exc:
            raise MessageNotAwaitedError(str(exc)) from exc
        self.advance()


def _leaf_definitions(definition: Any) -> list[Any]:
    children = getattr(definition, "event_definitions", None)
    if children:
        return [leaf for child in children for leaf in _leaf_definitions(child)]
    return [definition]
