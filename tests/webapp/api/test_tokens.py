"""API tokens: stored hashed, shown once, revocable, audited, managed by command."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.webapp.api.conftest import error_of
from webapp.api.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from webapp.models import ApiToken
from workflows.errors import ForbiddenError, InvalidInputError, NotFoundError

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_is_stored_only_as_its_sha256_and_shown_once() -> None:
    user = User.objects.create_user("script")
    issued = api_token_create(actor=None, user=user, name="bulk import")
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret.startswith("cwt_")
    assert row.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list().get(pk=row.pk)]
    assert issued.secret not in stored
    assert row.prefix == issued.secret[:12]
    assert not hasattr(row, "secret")


def test_a_token_authenticates_its_user_and_records_when_it_was_used() -> None:
    user = User.objects.create_user("script")
    issued = api_token_create(actor=None, user=user, name="monitoring")
    response = _bearer(issued.secret).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "script"
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None


def test_a_revoked_token_is_refused_with_401() -> None:
    user = User.objects.create_user("script")
    issued = api_token_create(actor=None, user=user, name="t")
    api_token_revoke(actor=user, token_id=issued.token.pk)
    response = _bearer(issued.secret).get(ME)
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_or_an_inactive_user_is_refused() -> None:
    user = User.objects.create_user("script")
    issued = api_token_create(
        actor=None,
        user=user,
        name="t",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _bearer(issued.secret).get(ME).status_code == 401
    other = api_token_create(actor=None, user=user, name="u")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert api_token_authenticate(other.secret) is None


def test_a_wrong_or_malformed_token_is_refused_and_no_header_means_anonymous() -> None:
    assert _bearer("cwt_" + "x" * 43).get(ME).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    assert client.get(ME).status_code == 401
    response = APIClient().get(ME)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_creating_and_revoking_are_audited_without_the_secret() -> None:
    user = User.objects.create_user("script")
    issued = api_token_create(actor=user, user=user, name="t")
    api_token_revoke(actor=user, token_id=issued.token.pk)
    events = AuditEvent.objects.filter(target_type="webapp.apitoken")
    assert list(events.values_list("action", flat=True)) == [
        "api_token.create",
        "api_token.revoke",
    ]
    for event in events:
        assert issued.secret not in str(event.after)
        assert issued.secret not in str(event.detail)


def test_only_the_owner_or_a_system_administrator_manages_tokens() -> None:
    owner = User.objects.create_user("owner")
    other = User.objects.create_user("other")
    admin = User.objects.create_superuser("root")
    with pytest.raises(ForbiddenError):
        api_token_create(actor=other, user=owner, name="t")
    issued = api_token_create(actor=admin, user=owner, name="t")
    with pytest.raises(NotFoundError):
        api_token_revoke(actor=other, token_id=issued.token.pk)
    assert api_token_revoke(actor=admin, token_id=issued.token.pk).is_revoked


def test_a_token_needs_a_name_and_a_future_expiry() -> None:
    user = User.objects.create_user("script")
    with pytest.raises(InvalidInputError):
        api_token_create(actor=None, user=user, name="  ")
    with pytest.raises(InvalidInputError):
        api_token_create(
            actor=None,
            user=user,
            name="t",
            expires_at=timezone.now() - dt.timedelta(days=1),
        )


def test_the_command_creates_lists_and_revokes_tokens() -> None:
    User.objects.create_user("script")
    out, err = StringIO(), StringIO()
    call_command(
        "api_token",
        "create",
        "--user",
        "script",
        "--name",
        "ci",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert api_token_authenticate(secret) == token
    assert "shown once" in err.getvalue()
    listing = StringIO()
    call_command("api_token", "list", "--user", "script", stdout=listing)
    assert f"{token.pk}\t{token.prefix}" in listing.getvalue()
    assert secret not in listing.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    assert api_token_authenticate(secret) is None
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor_label == "system:cli"
    assert event.via == "cli"


def test_the_api_lists_and_revokes_my_tokens_but_a_token_cannot_mint_tokens() -> None:
    user = User.objects.create_user("script", password="x-Secret-123")
    issued = api_token_create(actor=None, user=user, name="first")
    client = _bearer(issued.secret)
    listed = client.get("/api/v1/tokens/").json()
    assert [t["name"] for t in listed["results"]] == ["first"]
    assert "token" not in listed["results"][0]
    refused = client.post("/api/v1/tokens/", {"name": "second"}, format="json")
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "forbidden"
    browser = APIClient()
    browser.force_login(user)
    created = browser.post("/api/v1/tokens/", {"name": "second"}, format="json")
    assert created.status_code == 201
    assert api_token_authenticate(created.json()["token"]) is not None
    assert client.delete(f"/api/v1/tokens/{issued.token.pk}/").status_code == 204
    assert client.get(ME).status_code == 401
