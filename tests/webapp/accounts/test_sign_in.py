"""Signing in and out: through Django's forms, audited, sign-out by POST only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.webapp.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_the_sign_in_page_shows_the_form_with_a_csrf_token(client: Client) -> None:
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html


def test_signing_in_leads_home_and_records_who_signed_in(client, make_user) -> None:
    user = make_user("zhang_wei", "subject")
    response = sign_in(client, "zhang_wei", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    (event,) = _events("account.sign_in")
    assert event.actor_label == "zhang_wei"
    assert event.target_id == str(user.pk)
    assert event.ip == "10.1.2.3"


def test_a_wrong_password_is_refused_and_audited_with_the_username_only(
    client, make_user
) -> None:
    make_user("li_na")
    response = sign_in(client, "li_na", "Wrong-Secret-99")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors
    (event,) = _events("account.sign_in_failed")
    assert event.actor_label == "system:accounts"
    assert event.detail == {"username": "li_na"}
    stored = str(
        AuditEvent.objects.filter(pk=event.pk).values().get()  # every column
    )
    assert "Wrong-Secret-99" not in stored


def test_a_failed_sign_in_to_an_unknown_account_names_no_target(client) -> None:
    sign_in(client, "nobody-here", "whatever-123")
    (event,) = _events("account.sign_in_failed")
    assert event.target_type == ""
    assert event.detail == {"username": "nobody-here"}


def test_an_outside_next_address_is_ignored(client, make_user) -> None:
    make_user("wang_fang", "subject")
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "wang_fang", "password": PASSWORD, "next": "https://evil.example"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_signed_in_person_visiting_sign_in_goes_home(client, make_user) -> None:
    client.force_login(make_user("chen_jie", "subject"))
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 302


def test_a_get_of_sign_out_only_asks_and_keeps_the_session(client, make_user) -> None:
    client.force_login(make_user("zhao_lei", "subject"))
    response = client.get(reverse("accounts:sign_out"))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert "_auth_user_id" in client.session
    assert not _events("account.sign_out")


def test_signing_out_by_post_ends_the_session_and_is_audited(client, make_user) -> None:
    user = make_user("sun_li", "subject")
    client.force_login(user)
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")
    assert "_auth_user_id" not in client.session
    (event,) = _events("account.sign_out")
    assert event.actor_label == "sun_li"


def test_sign_out_needs_the_csrf_token(make_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("guo_qiang", "subject"))
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_the_test_clients_login_still_works_without_a_request(
    client, make_user
) -> None:
    """Request-less authenticate() (test client, scripts) has nobody to lock out."""
    make_user("helper_user")
    assert client.login(username="helper_user", password=PASSWORD)
    assert not client.login(username="helper_user", password="wrong-password")
