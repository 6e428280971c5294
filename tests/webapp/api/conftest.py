"""API test fixtures: the process world of tests/credit/processes, and clients
that authenticate with a real token per user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from tests.credit.processes.conftest import World, frozen, world  # noqa: F401
from webapp.api.tokens import api_token_create
from workflows import roles

ClientFor = Callable[[User], APIClient]


def token_client(user: User) -> APIClient:
    """Return a client that sends a fresh token of the user, as a script would."""
    issued = api_token_create(actor=None, user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    return client


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """Make token clients per user, one token each, reused within a test."""
    made: dict[int, APIClient] = {}

    def make(user: User) -> APIClient:
        if user.pk not in made:
            made[user.pk] = token_client(user)
        return made[user.pk]

    return make


@pytest.fixture
def own_cache(settings: Any, request: pytest.FixtureRequest) -> None:
    """A cache of the test's own, so rate-limit counters start from zero even when
    the shared cache is a Redis that outlives the test database."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


def role_user(username: str, role: str) -> User:
    """Create a user holding one runtime role (auditor, process_admin, ...)."""
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def auditor(db: None) -> User:
    return role_user("auditor_1", roles.AUDITOR)


@pytest.fixture
def process_admin(db: None) -> User:
    return role_user("process_admin_1", roles.PROCESS_ADMIN)


def error_of(response: Any) -> dict[str, Any]:
    """Return an error answer's body after checking it has the one error shape."""
    body = response.json()
    assert set(body) >= {"code", "message", "fields"}, body
    assert isinstance(body["code"], str)
    assert isinstance(body["message"], str)
    assert isinstance(body["fields"], dict)
    return dict(body)
