"""Every error answer has one shape: a stable code, a message and the fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.webapp.api.conftest import ClientFor, error_of
from webapp.api.errors import NON_FIELD, problem_fields

pytestmark = pytest.mark.django_db


def test_an_unknown_address_under_api_answers_404_in_the_error_shape() -> None:
    response = APIClient().get("/api/v2/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert error_of(response)["code"] == "not_found"


def test_a_validation_error_names_each_field(client_for: ClientFor) -> None:
    user = User.objects.create_user("rep")
    response = client_for(user).post(
        "/api/v1/objections/", {"record": "x", "grounds": "nonsense"}, format="json"
    )
    assert response.status_code == 400
    body = error_of(response)
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"record", "grounds", "reason"}


def test_a_bad_query_parameter_is_refused_naming_it(client_for: ClientFor) -> None:
    user = User.objects.create_user("rep")
    for query, field in (("status=gone", "status"), ("ordering=up", "ordering")):
        response = client_for(user).get(f"/api/v1/records/?{query}")
        assert response.status_code == 400
        assert set(error_of(response)["fields"]) == {field}


def test_malformed_json_is_a_parse_error(client_for: ClientFor) -> None:
    user = User.objects.create_user("rep")
    response = client_for(user).generic(
        "POST", "/api/v1/objections/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_wrong_method_answers_405_in_the_error_shape(client_for: ClientFor) -> None:
    user = User.objects.create_user("rep")
    response = client_for(user).delete("/api/v1/records/")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_service_problems_become_fields_when_they_name_one() -> None:
    fields = problem_fields(
        "the form has errors",
        ["reason: 必填 required", "approval.comment: too long", "something else"],
    )
    assert fields == {
        "reason": ["必填 required"],
        "approval.comment": ["too long"],
        NON_FIELD: ["something else"],
    }
    named = problem_fields("say what is wrong", ["reason"])
    assert named == {"reason": ["say what is wrong"]}
    prefixed = problem_fields("form", ["x: bad"], prefix="data.")
    assert prefixed == {"data.x": ["bad"]}


@pytest.mark.usefixtures("own_cache")
def test_a_throttled_request_answers_429_with_retry_after(
    client_for: ClientFor, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"credit_check": "1/min", "filing": "1/min"},
    }
    user = User.objects.create_user("rep")
    client = client_for(user)
    client.post("/api/v1/repairs/", {}, format="json")
    response = client.post("/api/v1/repairs/", {}, format="json")
    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1
