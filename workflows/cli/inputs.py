"""Turn command-line values into what the services take, or fail with a clear error."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from workflows.engine.parsing import SourceFile
from workflows.errors import RuntimeServiceError
from workflows.services.tasks import Actor

MODEL_SUFFIXES = (".bpmn", ".dmn", ".json")
FORMS_FOLDER = "forms"
EXIT_CODES = {
    "error": 1,
    "invalid": 2,
    "not_found": 3,
    "forbidden": 4,
    "conflict": 5,
    "incident": 6,
}


class CliError(Exception):
    """A failure the command reports as ``error: <message>`` with an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_CODES["invalid"]) -> None:
        self.exit_code = exit_code
        super().__init__(message)


def exit_code_for(exc: BaseException) -> int:
    """Map an error to the command's exit code (1 when nothing more specific fits)."""
    if isinstance(exc, CliError):
        return exc.exit_code
    if isinstance(exc, RuntimeServiceError):
        return EXIT_CODES.get(exc.code, EXIT_CODES["error"])
    return EXIT_CODES["error"]


def json_option(value: str | None, option: str) -> dict[str, Any] | None:
    """Parse a JSON-object option such as ``--data``; name the option when it is bad."""
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise CliError(f"{option} is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise CliError(f"{option} must be a JSON object, like '{{\"approved\": true}}'")
    return parsed


def uuid_argument(value: str, what: str) -> uuid.UUID:
    """Parse an id argument; a malformed one is reported like a missing one."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise CliError(f"no such {what} {value!r}", EXIT_CODES["not_found"]) from None


def acting_user(username: str | None) -> Actor:
    """Return the active user named by ``--as``; None means the system itself."""
    if username is None:
        return None
    model = get_user_model()
    user = model._default_manager.filter(
        is_active=True, **{model.USERNAME_FIELD: username}
    ).first()
    if user is None:
        raise CliError(f"--as {username}: no active user with that name")
    return user


def _files_in(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes]


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        # Form schemas sit beside the models in forms/ (bpmn/forms/*.json).
        forms = _files_in(path / FORMS_FOLDER, (".json",))
        return sorted([*_files_in(path, MODEL_SUFFIXES), *forms])
    if path.is_file():
        return [path]
    raise CliError(f"{path}: no such file or directory")


def model_files(paths: Iterable[str]) -> list[SourceFile]:
    """Read the named files; a directory gives its model files and forms/ (sorted)."""
    files = []
    for given in paths:
        for path in _expand(Path(given)):
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise CliError(f"{path}: cannot read: {exc.strerror}") from None
            files.append(SourceFile(name=path.name, content=content))
    return files
