"""Verbs about deployed models: deploy and definitions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflows.cli.inputs import model_files
from workflows.cli.render import Output, definition_dict, definition_line
from workflows.selectors.instances import definition_list
from workflows.services.deploy import definition_deploy
from workflows.services.tasks import Actor


def deploy(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Deploy model files and say which processes got a new version."""
    skip_schema = bool(options["skip_schema_check"])
    result = definition_deploy(
        actor=actor,
        files=model_files(options["paths"]),
        create_groups=bool(options["create_groups"]),
        schema_check=not skip_schema,
    )
    lines = [
        f"{p.definition.process_id} v{p.definition.version} "
        f"({'new' if p.created else 'unchanged'})"
        for p in result.processes
    ]
    lines += [
        f"policy {d.definition.decision_id} v{d.definition.version} "
        f"({'new' if d.created else 'unchanged'})"
        for d in result.decisions
    ]
    lines += [f"created group {name}" for name in result.created_groups]
    if skip_schema:
        lines.append("BPMN schema check skipped (recorded in the audit log)")
    data = {
        "processes": [
            {**definition_dict(p.definition), "created": p.created}
            for p in result.processes
        ],
        "decisions": [
            {
                "decision_id": d.definition.decision_id,
                "version": d.definition.version,
                "created": d.created,
            }
            for d in result.decisions
        ],
        "created_groups": list(result.created_groups),
        "schema_check": not skip_schema,
    }
    return Output(data, lines)


def definitions(actor: Actor, options: Mapping[str, Any]) -> Output:
    """List deployed versions, newest first within each process."""
    found = list(definition_list(actor=actor, process_id=options["process"]))
    lines = [definition_line(d) for d in found] or ["no deployed definitions"]
    return Output([definition_dict(d) for d in found], lines)
