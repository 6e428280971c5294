"""Load deployed definitions into the engine's per-hash spec cache."""

from __future__ import annotations

from workflows.engine.compiled import CompiledProcess, compiled_process
from workflows.engine.parsing import Dialect, SourceFile
from workflows.models import ProcessDefinition


def definition_files(definition: ProcessDefinition) -> list[SourceFile]:
    return [
        SourceFile(name, text.encode("utf-8"))
        for name, text in sorted(definition.sources.items())
    ]


def compiled_for(definition: ProcessDefinition) -> CompiledProcess:
    """Return the parsed spec of a definition version (parsed once per process)."""

    def load() -> tuple[list[SourceFile], Dialect]:
        dialect: Dialect = "camunda" if definition.dialect == "camunda" else "spiff"
        return definition_files(definition), dialect

    return compiled_process(definition.sha256, definition.process_id, load)
