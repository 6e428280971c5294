"""Project-wide pytest configuration."""

from __future__ import annotations

import pytest
from django.conf import settings


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Skip PostgreSQL-only tests on SQLite, saying why, instead of passing them."""
    if settings.DATABASE_IS_POSTGRES:
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
