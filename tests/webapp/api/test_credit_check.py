"""The credit check: what another department's approval needs, audited, limited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from tests.credit.factories import make_resident_id, make_uscc
from tests.credit.processes.conftest import World
from tests.credit.processes.test_list_support import catalogue  # noqa: F401
from tests.webapp.api.conftest import ClientFor, error_of
from workflows.credit.models import (
    CreditRecord,
    ListEntry,
    Measure,
    MeasureApplication,
    Subject,
)

pytestmark = pytest.mark.usefixtures("catalogue")
PURPOSE = "政府采购投标人资格审查 2026-017"


def _listed(world: World, list_type: str, **extra: Any) -> ListEntry:
    assert world.subject is not None
    today = timezone.localdate()
    return ListEntry.objects.create(
        list_type=list_type,
        subject=world.subject,
        deciding_department=world.departments["SCJ"],
        decision_number=f"示市监列〔2026〕{list_type}",
        basis="国办发〔2020〕49号",
        valid_from=today - dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=355),
        status=ListEntry.Status.LISTED,
        **extra,
    )


def _check(client: Any, code: str, **params: str) -> Any:
    query = {"purpose": PURPOSE, **params}
    return client.get(f"/api/v1/credit-check/{code}/", query)


def test_a_check_shows_lists_my_measures_objections_and_is_audited(
    world: World,
    client_for: ClientFor,
    catalogue: dict[str, Measure],  # noqa: F811
) -> None:
    assert world.subject is not None
    assert world.record is not None
    entry = _listed(world, ListEntry.ListType.SERIOUS_DISHONESTY, record=world.record)
    MeasureApplication.objects.create(
        list_entry=entry,
        measure=catalogue["RSJ-01"],
        implementing_department=world.departments["RSJ"],
    )
    CreditRecord.objects.filter(pk=world.record.pk).update(
        status=CreditRecord.Status.UNDER_OBJECTION
    )
    response = _check(client_for(world["rsj_officer"]), world.subject.code)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["found"] is True
    assert body["dishonest"] is True
    assert body["department"]["code"] == "RSJ"
    assert body["subject"]["name"] == world.subject.name
    assert [(m["list_type"], m["valid_to"]) for m in body["memberships"]] == [
        ("serious_dishonesty", entry.valid_to.isoformat() if entry.valid_to else None)
    ]
    assert [(m["measure"], m["status"]) for m in body["measures"]] == [
        ("RSJ-01", "pending")
    ]
    assert [r["id"] for r in body["records_under_objection"]] == [world.record.pk]
    assert body["red_list"] == {"listed": False, "valid_from": None, "valid_to": None}
    event = AuditEvent.objects.get(action="credit.check")
    assert event.actor_label == "rsj_officer"
    assert event.department_code == "RSJ"
    assert event.detail["purpose"] == PURPOSE
    assert event.target_id == str(world.subject.pk)
    assert event.via == "api"


def test_measures_are_only_those_my_department_implements(
    world: World, client_for: ClientFor
) -> None:
    assert world.subject is not None
    _listed(world, ListEntry.ListType.SERIOUS_DISHONESTY)
    body = _check(client_for(world["scj_officer"]), world.subject.code).json()
    assert sorted(m["measure"] for m in body["measures"]) == ["SCJ-01", "SCJ-02"]
    assert {m["status"] for m in body["measures"]} == {"not_requested"}


def test_the_red_list_is_reported_with_its_validity(
    world: World, client_for: ClientFor
) -> None:
    assert world.subject is not None
    entry = _listed(world, ListEntry.ListType.RED)
    body = _check(client_for(world["rsj_officer"]), world.subject.code).json()
    assert body["dishonest"] is False
    assert body["red_list"]["listed"] is True
    assert body["red_list"]["valid_from"] == str(entry.valid_from)


def test_an_unknown_code_is_checked_and_recorded_with_its_number_masked(
    world: World, client_for: ClientFor
) -> None:
    code = make_resident_id(7)
    response = _check(client_for(world["rsj_officer"]), code)
    assert response.status_code == 200
    assert response.json()["found"] is False
    assert response.json()["subject"] is None
    event = AuditEvent.objects.get(action="credit.check")
    assert code not in str(event.detail)
    assert event.detail["code"] == response.json()["code"] != code


def test_a_check_needs_a_purpose_and_a_valid_code(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world["rsj_officer"])
    no_purpose = client.get(f"/api/v1/credit-check/{make_uscc(5)}/")
    assert no_purpose.status_code == 400
    assert "purpose" in error_of(no_purpose)["fields"]
    blank = _check(client, make_uscc(5), purpose="   ")
    assert blank.status_code == 400
    bad_code = _check(client, "91350100M000100Y4Z")
    assert bad_code.status_code == 400
    assert "code" in error_of(bad_code)["fields"]
    assert not AuditEvent.objects.filter(action="credit.check").exists()


def test_only_department_staff_check_and_several_departments_must_choose(
    world: World, client_for: ClientFor
) -> None:
    assert world.rep is not None
    assert world.subject is not None
    refused = _check(client_for(world.rep), world.subject.code)
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "forbidden"
    two_hats = world["rsj_officer"]
    two_hats.credit_memberships.create(
        department=world.departments["SWJ"], role="officer"
    )
    client = client_for(two_hats)
    ambiguous = _check(client, world.subject.code)
    assert ambiguous.status_code == 400
    assert "department" in error_of(ambiguous)["fields"]
    chosen = _check(client, world.subject.code, department="SWJ")
    assert chosen.json()["department"]["code"] == "SWJ"


@pytest.mark.usefixtures("own_cache")
def test_checks_are_rate_limited_per_user(
    world: World, client_for: ClientFor, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"credit_check": "2/min", "filing": "60/min"},
    }
    client = client_for(world["rsj_officer"])
    code = make_uscc(9)
    assert [_check(client, code).status_code for _ in range(3)] == [200, 200, 429]
    other = client_for(world["scj_officer"])
    assert _check(other, code).status_code == 200


def test_a_person_on_a_list_is_shown_masked(
    world: World, client_for: ClientFor
) -> None:
    person = Subject.objects.create(
        kind=Subject.Kind.NATURAL_PERSON, name="张三", code=make_resident_id(3)
    )
    body = _check(client_for(world["rsj_officer"]), person.code).json()
    assert body["subject"]["code"] == person.masked_code != person.code


def test_a_check_takes_as_many_queries_for_one_listing_as_for_three(
    world: World, client_for: ClientFor, frozen: Any
) -> None:
    """The clock stands still, so the rate-limit window does not roll over."""
    assert world.subject is not None
    client = client_for(world["scj_officer"])
    _listed(world, ListEntry.ListType.SERIOUS_DISHONESTY)
    _check(client, world.subject.code)  # first use of the token, the counter

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _check(client, world.subject.code).status_code == 200  # type: ignore[union-attr]
        return len(captured)

    one = queries()
    _listed(world, ListEntry.ListType.KEY_ATTENTION)
    _listed(world, ListEntry.ListType.RED)
    assert len(_check(client, world.subject.code).json()["memberships"]) == 3
    assert queries() == one
