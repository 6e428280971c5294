"""Helpers of the bpmn command tests: a runner, exit codes, model files, tasks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from workflows.models import HumanTask, ProcessInstance

INVALID, NOT_FOUND, FORBIDDEN, CONFLICT, INCIDENT = 2, 3, 4, 5, 6


@dataclass
class Run:
    """What one command run printed and how it exited."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Bpmn = Callable[..., Run]


def run_bpmn(*args: str) -> Run:
    out, err = StringIO(), StringIO()
    try:
        call_command("bpmn", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:
        code = 0
    return Run(code, out.getvalue(), err.getvalue())


def write_model(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def open_task(instance: ProcessInstance) -> HumanTask:
    return HumanTask.objects.open().get(instance=instance)
