"""Project-wide pytest configuration."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

from tests.audit.support import purge_audit_events


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


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return True
    return "transactional_db" in request.fixturenames


@pytest.fixture(autouse=True)
def _purge_audit_log_after_transactional_test(
    request: pytest.FixtureRequest,
) -> Iterator[None]:
    """Empty the audit table before Django's flush, which its triggers would refuse.

    Depending on ``transactional_db`` makes this teardown run before the flush.
    """
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    purge_audit_events()
