"""Errors the engine boundary raises; the rest of the project never sees Spiff's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelProblem:
    """One thing wrong with a deployed model, located as precisely as known."""

    file: str
    message: str
    line: int | None = None
    element_id: str = ""

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        element = f" [{self.element_id}]" if self.element_id else ""
        return f"{where}{element}: {self.message}"


class ModelInvalidError(Exception):
    """A model (BPMN/DMN bundle) cannot be deployed; ``problems`` says why."""

    def __init__(self, problems: list[ModelProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class EngineStepError(Exception):
    """Running the engine to its next wait state failed inside a model element."""

    def __init__(self, message: str, *, element_id: str = "", detail: str = "") -> None:
        self.element_id = element_id
        self.detail = detail
        super().__init__(message)


class UncaughtBpmnError(EngineStepError):
    """A BPMN error event reached the top of the process with nobody catching it."""


class TaskNotReadyError(Exception):
    """The engine task is not READY any more (completed, cancelled or never was)."""


class MessageNotAwaitedError(Exception):
    """The instance does not wait for a message of this name (or correlation)."""
