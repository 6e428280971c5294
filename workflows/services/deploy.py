"""Deploy BPMN/DMN models with their form schemas: validate, version, audit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction

from audit.services import record
from workflows.engine.decisions import check_decisions
from workflows.engine.errors import ModelInvalidError, ModelProblem
from workflows.engine.forms import referenced_forms
from workflows.engine.parsing import (
    Bundle,
    SourceFile,
    bundle_sha256,
    called_elements,
    defined_processes,
    parse_bundle,
)
from workflows.engine.validation import ProcessSummary, validate_bundle
from workflows.errors import InvalidInputError
from workflows.models import ProcessDefinition
from workflows.operations import operation_names
from workflows.policies import require_permission
from workflows.services.decisions import DeployedDecision, save_decision_versions

MAX_FILE_BYTES = 2 * 1024 * 1024
ALLOWED_KINDS = {"bpmn", "dmn", "json"}


@dataclass
class DeployedProcess:
    """One process of a deploy: the version it now has and whether it is new."""

    definition: ProcessDefinition
    created: bool


@dataclass
class DeployResult:
    """The outcome of one deploy call."""

    processes: list[DeployedProcess] = field(default_factory=list)
    decisions: list[DeployedDecision] = field(default_factory=list)
    created_groups: list[str] = field(default_factory=list)


def _check_files(files: Sequence[SourceFile]) -> None:
    problems = []
    seen: set[str] = set()
    for f in files:
        if "/" in f.name or "\\" in f.name or f.name.startswith("."):
            problems.append(f"{f.name}: give a plain file name")
        if f.kind not in ALLOWED_KINDS:
            problems.append(
                f"{f.name}: only .bpmn, .dmn and .json files can be deployed"
            )
        if len(f.content) > MAX_FILE_BYTES:
            problems.append(f"{f.name}: larger than {MAX_FILE_BYTES // 1024} KiB")
        if f.name in seen:
            problems.append(f"{f.name}: given twice")
        seen.add(f.name)
    if not files:
        problems.append("no files to deploy")
    if problems:
        raise InvalidInputError("the model cannot be deployed", problems)


def _latest_sources(process_id: str, files: list[SourceFile]) -> list[SourceFile]:
    """The latest version's BPMN files of a process, with the forms they name."""
    latest = (
        ProcessDefinition.objects.filter(process_id=process_id)
        .order_by("-version")
        .first()
    )
    if latest is None:
        return []
    names = {f.name for f in files}
    added = [
        SourceFile(name, text.encode("utf-8"))
        for name, text in latest.sources.items()
        if name not in names and name.endswith(".bpmn")
    ]
    # Files given in this deploy win: a new form version replaces the deployed one.
    forms = referenced_forms(added) - names
    added += [
        SourceFile(name, latest.sources[name].encode("utf-8"))
        for name in sorted(forms)
        if name in latest.sources
    ]
    return added


def _with_called_processes(files: Sequence[SourceFile]) -> list[SourceFile]:
    """Add the deployed files of processes the new files call but do not contain."""
    files = list(files)
    while True:
        defined = defined_processes(files)
        missing = [c for c in called_elements(files) if c not in defined]
        added = False
        for process_id in missing:
            more = _latest_sources(process_id, files)
            files += more
            added = added or any(f.kind == "bpmn" for f in more)
        if not added:
            return files


def _problems_for_people(
    bundle: Bundle, summaries: list[ProcessSummary], create_groups: bool
) -> tuple[list[ModelProblem], list[str]]:
    tasks = [t for s in summaries for t in s.human_tasks]
    groups = {
        t.assignment.candidate_group
        for t in tasks
        if not t.assignment.group_is_template
    } - {None}
    existing = set(Group.objects.filter(name__in=groups).values_list("name", flat=True))
    missing_groups = sorted(g for g in groups - existing if g)
    user_model = get_user_model()
    users = {t.assignment.assignee for t in tasks} - {None}
    known = set(
        user_model._default_manager.filter(
            **{f"{user_model.USERNAME_FIELD}__in": users}
        ).values_list(user_model.USERNAME_FIELD, flat=True)
    )
    problems = []
    for t in tasks:
        file = bundle.process_file(t.process_id)
        line = bundle.line_of(file, t.element_id)
        group = t.assignment.candidate_group
        if group in missing_groups and not create_groups:
            problems.append(
                ModelProblem(
                    file,
                    f"candidate group {group!r} does not exist "
                    "(create it, or deploy with --create-groups)",
                    line,
                    t.element_id,
                )
            )
        if t.assignment.assignee and t.assignment.assignee not in known:
            problems.append(
                ModelProblem(
                    file,
                    f"assignee {t.assignment.assignee!r} is not a user",
                    line,
                    t.element_id,
                )
            )
    return problems, missing_groups


def _own_files(bundle: Bundle, summary: ProcessSummary) -> list[SourceFile]:
    defined = defined_processes(bundle.files)
    wanted = {summary.file} | {defined[c] for c in summary.called if c in defined}
    return [f for f in bundle.files if f.name in wanted or f.kind in {"dmn", "json"}]


def _save_version(
    bundle: Bundle, summary: ProcessSummary, actor: User | None
) -> DeployedProcess:
    own = _own_files(bundle, summary)
    sha = bundle_sha256(own)
    latest = (
        ProcessDefinition.objects.select_for_update()
        .filter(process_id=summary.process_id)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.sha256 == sha:
        return DeployedProcess(latest, created=False)
    definition = ProcessDefinition.objects.create(
        process_id=summary.process_id,
        name=(bundle.spec(summary.process_id).description or "")[:255],
        version=(latest.version + 1) if latest else 1,
        sha256=sha,
        dialect=bundle.dialect,
        file_name=summary.file,
        sources={f.name: f.content.decode("utf-8") for f in own},
        message_starts=summary.message_starts,
        plain_start=summary.plain_start,
        deployed_by=actor,
    )
    return DeployedProcess(definition, created=True)


def definition_deploy(
    *,
    actor: User | None,
    files: Sequence[SourceFile],
    create_groups: bool = False,
    schema_check: bool = True,
) -> DeployResult:
    """Validate and deploy a set of model files; unchanged processes keep their version.

    ``schema_check=False`` imports files that break the BPMN XSD (e.g. a duplicate
    id some modelers write) when they still parse and pass every other check; the
    deploy's audit event records that the check was skipped.
    """
    require_permission(actor, "workflows.deploy_definition", "deploy models")
    _check_files(files)
    try:
        for f in files:
            f.content.decode("utf-8")
        bundle = parse_bundle(_with_called_processes(files), schema_check=schema_check)
        summaries = validate_bundle(bundle, operation_names())
        problems, missing_groups = _problems_for_people(
            bundle, summaries, create_groups
        )
        problems += check_decisions(bundle)
        if problems:
            raise ModelInvalidError(problems)
    except UnicodeDecodeError as exc:
        raise InvalidInputError("model files must be UTF-8 text", [str(exc)]) from exc
    except ModelInvalidError as exc:
        raise InvalidInputError(
            "the model cannot be deployed", [str(p) for p in exc.problems]
        ) from exc
    with transaction.atomic():
        result = DeployResult()
        if create_groups:
            for name in missing_groups:
                Group.objects.get_or_create(name=name)
            result.created_groups = missing_groups
        result.processes = [_save_version(bundle, s, actor) for s in summaries]
        result.decisions = save_decision_versions(bundle, actor)
        record(
            action="definition.deploy",
            actor=actor,
            system="" if actor else "cli",
            target_type="workflows.deployment",
            target_id=bundle_sha256(files),
            detail={
                "files": {f.name: bundle_sha256([f]) for f in files},
                "processes": [
                    {
                        "id": p.definition.process_id,
                        "version": p.definition.version,
                        "created": p.created,
                    }
                    for p in result.processes
                ],
                "decisions": [
                    {
                        "id": d.definition.decision_id,
                        "version": d.definition.version,
                        "created": d.created,
                    }
                    for d in result.decisions
                ],
                "created_groups": result.created_groups,
                "schema_check": schema_check,
            },
        )
    return result
