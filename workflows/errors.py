"""Errors the runtime's services raise to their callers (web, API, CLI, workers)."""

from __future__ import annotations


class RuntimeServiceError(Exception):
    """Base of errors a caller can show to a person; ``code`` is stable."""

    code = "error"


class NotFoundError(RuntimeServiceError):
    """The object does not exist, or the actor may not know that it does."""

    code = "not_found"


class ForbiddenError(RuntimeServiceError):
    """The actor may see the object but not do this to it."""

    code = "forbidden"


class ConflictError(RuntimeServiceError):
    """Someone else changed the object first (e.g. the task is already done)."""

    code = "conflict"


class InvalidInputError(RuntimeServiceError):
    """Input data or a model is not acceptable; ``problems`` lists why."""

    code = "invalid"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message)

    def __str__(self) -> str:
        lines = [super().__str__(), *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


class StepFailedError(RuntimeServiceError):
    """The engine failed inside the model; the step was rolled back as an incident."""

    code = "incident"

    def __init__(self, message: str, incident_id: int) -> None:
        self.incident_id = incident_id
        super().__init__(message)
