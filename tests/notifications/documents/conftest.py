"""Fixtures of the document tests: departments, a private documents folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit.context import bind
from tests.notifications.documents.support import World, world


@pytest.fixture(autouse=True)
def _audit_context() -> Iterator[None]:
    with bind(via="test", request_id="documents-test"):
        yield


@pytest.fixture(autouse=True)
def documents_dir(settings: Any, tmp_path: Path) -> Path:
    """Keep each test's PDFs in its own folder instead of VAR_DIR/documents."""
    folder = tmp_path / "documents"
    settings.DOCUMENTS_DIR = folder
    return folder


@pytest.fixture
def departments(db: None) -> World:
    return world()
