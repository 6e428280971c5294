"""What a process diagram shows: the model's XML and each element's state.

The diagram draws the instance's own process. Work inside a called process (an
approval chain, a countersign) lights up the call activity that runs it, because
the called process is not drawn.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import QuerySet
from lxml import etree

from workflows.errors import NotFoundError
from workflows.models import (
    ElementLog,
    EventSubscription,
    HumanTask,
    Incident,
    ProcessDefinition,
    ProcessInstance,
)

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
COMPLETED, CURRENT, INCIDENT = "completed", "current", "incident"
# A later state in this order wins when an element is in several.
ELEMENT_STATES = (COMPLETED, CURRENT, INCIDENT)
# Deployed models were validated at deploy; still, no entities and no network.
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)
# (version hash, process id) -> outline; versions never change once deployed.
_OUTLINES: dict[tuple[str, str], ProcessOutline] = {}


@dataclass(frozen=True)
class ProcessOutline:
    """The ids a diagram of one process needs, read from its version's files."""

    process_id: str
    element_ids: frozenset[str]
    boundary_ids: frozenset[str]
    # called process id -> ids of this process's call activities that call it
    calls: dict[str, tuple[str, ...]]
    # every process in the files -> the process ids it calls
    called_by_process: dict[str, frozenset[str]]
    # element id -> the process that declares it, over all the files
    element_process: dict[str, str]

    def places(self, element_id: str, process_id: str | None = None) -> tuple[str, ...]:
        """Return the drawn elements showing an element of this or a called process."""
        process_id = process_id or self.element_process.get(element_id, "")
        if process_id == self.process_id:
            return (element_id,) if element_id in self.element_ids else ()
        return tuple(
            activity
            for called, activities in self.calls.items()
            if process_id in self._reachable(called)
            for activity in activities
        )

    def _reachable(self, start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for nxt in self.called_by_process.get(todo.pop(), frozenset()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen


def definition_diagram_xml(definition: ProcessDefinition) -> str:
    """Return the BPMN XML of the file that defines a version's own process."""
    try:
        return str(definition.sources[definition.file_name])
    except (KeyError, TypeError):
        raise NotFoundError(f"{definition} has no model file") from None


def _calls_in(process: etree._Element) -> dict[str, tuple[str, ...]]:
    calls: dict[str, list[str]] = {}
    for node in process.iter(f"{{{BPMN_NS}}}callActivity"):
        called = node.get("calledElement")
        if called:
            calls.setdefault(called, []).append(node.get("id", ""))
    return {called: tuple(ids) for called, ids in calls.items()}


def _read_outline(process_id: str, files: Iterable[str]) -> ProcessOutline:
    outline = ProcessOutline(process_id, frozenset(), frozenset(), {}, {}, {})
    for text in files:
        root = etree.fromstring(text.encode("utf-8"), parser=_XML_PARSER)
        for process in root.iter(f"{{{BPMN_NS}}}process"):
            pid = process.get("id", "")
            calls = _calls_in(process)
            outline.called_by_process[pid] = frozenset(calls)
            ids = {
                str(node.get("id"))
                for node in process.iter()
                if isinstance(node.tag, str) and node.get("id") and node is not process
            }
            outline.element_process.update(dict.fromkeys(ids, pid))
            if pid == process_id:
                boundary = process.iter(f"{{{BPMN_NS}}}boundaryEvent")
                outline = replace(
                    outline,
                    element_ids=frozenset(ids),
                    boundary_ids=frozenset(str(n.get("id")) for n in boundary),
                    calls=calls,
                )
    return outline


def process_outline(definition: ProcessDefinition) -> ProcessOutline:
    """Return the element ids, call activities and boundary events of a version."""
    key = (definition.sha256, definition.process_id)
    outline = _OUTLINES.get(key)
    if outline is None:
        sources = sorted((definition.sources or {}).items())
        files = [text for name, text in sources if name.endswith(".bpmn")]
        outline = _OUTLINES[key] = _read_outline(definition.process_id, files)
    return outline


def _mark(states: dict[str, str], element_ids: Iterable[str], state: str) -> None:
    rank = ELEMENT_STATES.index
    for element_id in element_ids:
        known = states.get(element_id)
        if known is None or rank(state) > rank(known):
            states[element_id] = state


def diagram_instance(instance_id: uuid.UUID) -> ProcessInstance:
    """Return an instance and its version, without saved state or model sources."""
    return (
        ProcessInstance.objects.select_related("definition")
        .defer("state", "definition__sources")
        .get(pk=instance_id)
    )


def current_tasks(case_number: str) -> QuerySet[HumanTask]:
    """List a case's open tasks (in any of its instances) and who holds them."""
    return (
        HumanTask.objects.open()
        .filter(case_number=case_number)
        .select_related("candidate_group", "assignee")
        .order_by("due_at", "created_at", "pk")
    )


def element_states(
    instance: ProcessInstance, *, open_tasks: Iterable[HumanTask] | None = None
) -> dict[str, str]:
    """Map the instance's drawn elements to ``completed``, ``current`` or ``incident``.

    Completed: the element finished at least once (ElementLog). Current: an open
    human task waits there, or the instance waits for a timer or message at an
    intermediate event. Incident: an open incident failed there. Elements of a
    called process show on the call activity that runs it. ``open_tasks`` are the
    open tasks already read (of any instance), to save reading them again.
    """
    outline = process_outline(instance.definition)
    main = outline.process_id
    states: dict[str, str] = {}
    done = ElementLog.objects.filter(instance=instance, process_id=main)
    _mark(states, set(done.values_list("element_id", flat=True)), COMPLETED)
    if open_tasks is None:
        open_tasks = HumanTask.objects.open().filter(instance=instance)
    for task in open_tasks:
        if task.instance_id == instance.pk:
            _mark(states, outline.places(task.element_id, task.process_id), CURRENT)
    waits = EventSubscription.objects.filter(instance=instance)
    for element_id in waits.values_list("element_id", flat=True):
        if element_id not in outline.boundary_ids:
            _mark(states, outline.places(element_id), CURRENT)
    incidents = Incident.objects.filter(instance=instance, status=Incident.Status.OPEN)
    for element_id in incidents.values_list("element_id", flat=True):
        _mark(states, outline.places(element_id), INCIDENT)
    return dict(sorted(states.items()))
