"""Changing the password keeps this session and signs out every other one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.webapp.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Long-Pass-77"


def _change(client: Client, old: str = PASSWORD, new: str = NEW_PASSWORD) -> Any:
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def _signed_in(client: Client) -> bool:
    """Ask a page that needs a session; a lost session is sent to sign in."""
    response = client.get(reverse("accounts:password_change"))
    return response.status_code == 200


def test_changing_the_password_signs_out_every_other_session(make_user) -> None:
    user = make_user("liu_yang", "subject")
    here, elsewhere = Client(), Client()
    assert sign_in(here, "liu_yang").status_code == 302
    assert sign_in(elsewhere, "liu_yang").status_code == 302
    assert _signed_in(elsewhere)

    response = _change(here)

    assert response.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    (event,) = AuditEvent.objects.filter(action="account.password_change")
    assert event.actor_label == "liu_yang"
    assert NEW_PASSWORD not in str(AuditEvent.objects.values().get(pk=event.pk))


def test_the_new_password_works_and_the_old_one_no_longer_does(make_user) -> None:
    make_user("he_min", "subject")
    client = Client()
    sign_in(client, "he_min")
    _change(client)
    assert sign_in(Client(), "he_min", NEW_PASSWORD).status_code == 302
    assert sign_in(Client(), "he_min", PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("not-my-password", NEW_PASSWORD, "old_password"),
        (PASSWORD, "short1", "new_password2"),
        (PASSWORD, "password123", "new_password2"),
        (PASSWORD, "1234567890123", "new_password2"),
        (PASSWORD, "ma_lin_2026", "new_password2"),
    ],
    ids=["wrong-current", "too-short", "common", "numeric", "like-username"],
)
def test_django_password_rules_apply(client, make_user, old, new, field) -> None:
    user = make_user("ma_lin_2026", "subject")
    client.force_login(user)
    response = _change(client, old, new)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


def test_the_password_page_needs_a_signed_in_user(client: Client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
