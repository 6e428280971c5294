"""Project-wide pytest configuration."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

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


def _drop_content_types_recreated_after_flush(connection: Any) -> None:
    """Delete content types that a flush's post_migrate re-created with new ids.

    A transactional test's flush empties every table and post_migrate then creates
    the content types and permissions again, under new ids. A later test with
    ``serialized_rollback`` loads the migrated state back by id and collides with
    them on (app_label, model). Rows re-created that way are referenced by nothing
    but their permissions, which go with them.
    """
    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents:
        return
    serialized = {
        (row["fields"]["app_label"], row["fields"]["model"]): row["pk"]
        for row in json.loads(contents)
        if row["model"] == "contenttypes.contenttype"
    }
    from django.contrib.contenttypes.models import ContentType

    stale = [
        ct.pk
        for ct in ContentType.objects.using(connection.alias)
        if serialized.get((ct.app_label, ct.model), ct.pk) != ct.pk
    ]
    if stale:
        ContentType.objects.using(connection.alias).filter(pk__in=stale).delete()
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True, scope="session")
def _serialized_rollback_survives_earlier_flushes() -> Iterator[None]:
    """Let ``serialized_rollback`` tests run after other transactional tests."""
    from django.db import connections
    from django.test.testcases import TransactionTestCase

    original = TransactionTestCase.__dict__["_fixture_setup"]

    @classmethod  # type: ignore[misc]
    def setup(cls: type[TransactionTestCase]) -> None:
        if cls.serialized_rollback:
            names = cls._databases_names(include_mirrors=False)  # type: ignore[attr-defined]
            for alias in names:
                _drop_content_types_recreated_after_flush(connections[alias])
        original.__func__(cls)

    TransactionTestCase._fixture_setup = setup  # type: ignore[attr-defined]
    yield
    TransactionTestCase._fixture_setup = original  # type: ignore[attr-defined]
