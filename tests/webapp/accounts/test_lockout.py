"""django-axes locks an account out of a client after repeated wrong passwords,
on every way in over HTTP; the lock lifts after the cool-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.webapp.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def _fail_until_locked(client: Client, username: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong-password-1")


def test_after_five_wrong_passwords_even_the_right_one_is_refused(
    client: Client, make_user: Any
) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    make_user("target_tom", "subject")
    _fail_until_locked(client, "target_tom")

    response = sign_in(client, "target_tom", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "5" in html
    assert response["Retry-After"] == str(15 * 60)
    assert AuditEvent.objects.filter(action="account.locked_out").exists()
    event = AuditEvent.objects.filter(action="account.locked_out").first()
    assert event is not None
    assert event.detail == {"username": "target_tom"}


def test_the_lock_is_per_account_and_address(client: Client, make_user: Any) -> None:
    make_user("target_tom", "subject")
    make_user("bystander", "subject")
    _fail_until_locked(client, "target_tom")
    assert sign_in(Client(), "bystander").status_code == 302
    other_address = sign_in(Client(), "target_tom", REMOTE_ADDR="10.9.9.9")
    assert other_address.status_code == 302


def test_the_lock_lifts_after_the_cool_off(time_machine: Any, make_user: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
    make_user("patient_pat", "subject")
    client = Client()
    _fail_until_locked(client, "patient_pat")
    assert sign_in(client, "patient_pat").status_code == 429
    time_machine.shift(dt.timedelta(minutes=16))
    assert sign_in(client, "patient_pat").status_code == 302


def test_the_admin_sign_in_is_locked_out_too(client: Client, make_user: Any) -> None:
    make_user("boss", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "boss", "password": "nope-nope-1"})
    response = client.post(url, {"username": "boss", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(
    client: Client, make_user: Any
) -> None:
    make_user("careless_cai", "subject")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "careless_cai", "typo-typo-1")
    assert sign_in(client, "careless_cai").status_code == 302
    client.post(reverse("accounts:sign_out"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "careless_cai", "typo-typo-1")
    assert sign_in(client, "careless_cai").status_code == 302
