"""Policies as DMN: deploy versions of decision tables and evaluate them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from workflows.engine.decisions import decisions_in, evaluate_decision
from workflows.engine.parsing import Bundle, SourceFile, bundle_sha256
from workflows.errors import NotFoundError
from workflows.models import DecisionDefinition


@dataclass(frozen=True)
class DeployedDecision:
    """One decision of a deploy: the version it now has and whether it is new."""

    definition: DecisionDefinition
    created: bool


@dataclass(frozen=True)
class Decision:
    """A policy answer and the exact version of the table that gave it."""

    outputs: dict[str, Any]
    decision_id: str
    version: int

    @property
    def reference(self) -> str:
        """Say which policy decided, as cases record it: ``id@version``."""
        return f"{self.decision_id}@{self.version}"


def save_decision_versions(
    bundle: Bundle, actor: User | None
) -> list[DeployedDecision]:
    """Create a new version of each decision whose DMN file changed."""
    saved = []
    files = {f.name: f for f in bundle.files}
    for model in decisions_in(bundle):
        source = files[model.file]
        sha = bundle_sha256([source])
        latest = (
            DecisionDefinition.objects.select_for_update()
            .filter(decision_id=model.decision_id)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.sha256 == sha:
            saved.append(DeployedDecision(latest, created=False))
            continue
        definition = DecisionDefinition.objects.create(
            decision_id=model.decision_id,
            name=model.name[:255],
            version=(latest.version + 1) if latest else 1,
            sha256=sha,
            file_name=model.file,
            source=source.content.decode("utf-8"),
            deployed_by=actor,
        )
        saved.append(DeployedDecision(definition, created=True))
    return saved


def decide(
    decision_id: str, inputs: Mapping[str, Any], *, version: int | None = None
) -> Decision:
    """Evaluate the newest (or a given) version of a policy table."""
    definitions = DecisionDefinition.objects.filter(decision_id=decision_id)
    if version is not None:
        definitions = definitions.filter(version=version)
    definition = definitions.order_by("-version").first()
    if definition is None:
        raise NotFoundError(f"policy {decision_id!r} is not deployed")

    def load() -> list[SourceFile]:
        return [SourceFile(definition.file_name, definition.source.encode("utf-8"))]

    outputs = evaluate_decision(definition.sha256, decision_id, load, inputs)
    return Decision(outputs, decision_id, definition.version)
