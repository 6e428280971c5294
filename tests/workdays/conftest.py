"""Fixtures for the working-day calendar's tests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.workdays.support import make_calendar_admin


@pytest.fixture
def calendar_admin(db: None) -> User:
    return make_calendar_admin()


@pytest.fixture
def clerk(db: None) -> User:
    return User.objects.create_user("clerk")
