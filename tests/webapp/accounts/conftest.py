"""People with passwords and roles, and a client that signs in through the form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

PASSWORD = "Correct-Horse-42!"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    """Hash test passwords cheaply: the tests sign in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(db: None) -> Iterator[None]:
    """Rate-limit counters live in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str, *roles: str, **extra: Any) -> User:
        user = User.objects.create_user(username, password=PASSWORD, **extra)
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


def sign_in(
    client: Client, username: str, password: str = PASSWORD, **extra: Any
) -> Any:
    """POST the sign-in form as a browser would."""
    return client.post(
        reverse("accounts:sign_in"),
        {"username": username, "password": password},
        **extra,
    )
