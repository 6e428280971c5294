"""What a process session reports: ready human tasks, waits, thrown messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from workflows.engine.assignment import StaticAssignment


@dataclass(frozen=True)
class ReadyHumanTask:
    """A READY manual task as the inbox needs it."""

    spiff_id: UUID
    element_id: str
    name: str
    process_id: str
    lane: str | None
    loop_index: int | None
    task_type: str
    assignment: StaticAssignment
    candidate_group: str | None
    assignee: str | None
    due: str | None
    excluded: list[str]
    instructions: str


@dataclass(frozen=True)
class Waiting:
    """A timer or message an instance waits for."""

    kind: str
    name: str
    element_id: str
    due: datetime | None = None
    correlations: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ThrownMessage:
    """A message the instance threw that no task inside it caught."""

    name: str
    payload: Any
    correlations: Mapping[str, Any]


@dataclass(frozen=True)
class CompletedElement:
    """A model element that completed during this session."""

    element_id: str
    element_type: str
    process_id: str
