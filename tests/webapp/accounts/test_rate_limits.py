"""Sign-in is rate-limited per client address, with a clear 429 answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.webapp.accounts.conftest import sign_in
from webapp.ratelimits import period_seconds, rate_limited

pytestmark = pytest.mark.django_db


def test_the_sign_in_rate_limit_answers_429_with_a_page(
    settings: Any, client: Client
) -> None:
    settings.RATELIMIT_SIGN_IN = "3/m"
    for number in range(3):
        assert sign_in(client, f"guess-{number}", "x").status_code == 200
    response = sign_in(client, "guess-4", "x")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "<h1>" in html
    assert 'name="password"' not in html


def test_each_client_address_has_its_own_budget(settings: Any) -> None:
    settings.RATELIMIT_SIGN_IN = "2/m"
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(2):
        sign_in(first, "someone", "x")
    assert sign_in(first, "someone", "x").status_code == 429
    assert sign_in(second, "someone", "x").status_code == 200


def test_reading_the_sign_in_page_is_not_counted(settings: Any, client) -> None:
    settings.RATELIMIT_SIGN_IN = "1/m"
    for _ in range(5):
        assert client.get(reverse("accounts:sign_in")).status_code == 200


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_the_decorator_answers_json_to_clients_that_ask_for_it() -> None:
    view = rate_limited(key="ip", rate="1/h", group="test.json")(_view)
    factory = RequestFactory()
    assert view(factory.post("/x", HTTP_ACCEPT="application/json")).status_code == 200
    response = view(factory.post("/x", HTTP_ACCEPT="application/json"))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "3600"


def test_signed_in_users_are_counted_by_account_not_address(make_user) -> None:
    view = rate_limited(key="user", rate="1/m", group="test.user")(_view)
    factory = RequestFactory()

    def post(user: Any) -> int:
        request = factory.post("/x", REMOTE_ADDR="10.0.0.7")
        request.user = user
        return view(request).status_code

    alice, bob = make_user("alice"), make_user("bob")
    assert post(alice) == 200
    assert post(bob) == 200
    assert post(alice) == 429


@pytest.mark.parametrize(
    ("rate", "seconds"), [("5/s", 1), ("20/m", 60), ("60/h", 3600), ("2/5m", 300)]
)
def test_the_retry_after_is_the_rate_period(rate: str, seconds: int) -> None:
    assert period_seconds(rate) == seconds
