"""A session ends after SESSION_IDLE_SECONDS without a request, not after sign-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.webapp.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:password_change")).status_code == 200


def test_the_idle_limit_is_thirty_minutes_by_default() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_activity_keeps_the_session_and_idleness_ends_it(
    time_machine: Any, make_user: Any
) -> None:
    time_machine.move_to(START, tick=False)
    make_user("idle_ivy", "subject")
    client = Client()
    assert sign_in(client, "idle_ivy").status_code == 302

    # Active every 25 minutes for an hour and a half: still signed in.
    for _ in range(4):
        time_machine.shift(dt.timedelta(minutes=25))
        assert _signed_in(client)

    # 31 minutes without a request: the session has expired.
    time_machine.shift(dt.timedelta(minutes=31))
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
