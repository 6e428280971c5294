"""A filed objection with evidence, in the process tests' small jurisdiction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from tests.credit.processes import conftest as processes
from tests.credit.processes.conftest import World
from workflows.credit.filing import case_file
from workflows.credit.models import Attachment, Case
from workflows.credit.services.attachments import attachment_stage

PDF = b"%PDF-1.7\n" + b"evidence of payment " * 40

world = processes.world
frozen = processes.frozen


@pytest.fixture(autouse=True)
def _file_dirs(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_DIR = tmp_path / "documents"


@pytest.fixture(autouse=True)
def _fresh_cache(db: None) -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def filed(world: World) -> tuple[Case, Attachment]:
    """The representative files an objection with one staged PDF named in Chinese."""
    assert world.rep is not None
    assert world.record is not None
    evidence = attachment_stage(
        actor=world.rep,
        kind="evidence",
        name="缴款凭证 2026.pdf",
        content=PDF,
        content_type="application/pdf",
    )
    case = case_file(
        actor=world.rep,
        kind="objection",
        data={
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": "金额错误",
            "attachments": [evidence.pk],
        },
    )
    evidence.refresh_from_db()
    return case, evidence
