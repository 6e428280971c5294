"""Fixtures for the audit tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from audit.context import bind


@pytest.fixture(autouse=True)
def _audit_context() -> Iterator[None]:
    with bind(via="test", request_id="test-request", ip="192.0.2.10"):
        yield


@pytest.fixture
def user(db: None) -> Any:
    return get_user_model().objects.create_user(username="reviewer-li")
