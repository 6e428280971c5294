"""Saved instance state: spec-free, loadable at every step, and typed values kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.workflows.services.conftest import audited, open_task
from workflows.engine.runner import ProcessSession
from workflows.engine.serialization import STATE_FORMAT
from workflows.errors import InvalidInputError
from workflows.loading import compiled_for
from workflows.models import HumanTask, ProcessInstance
from workflows.services.instances import process_start
from workflows.services.tasks import task_complete

pytestmark = pytest.mark.django_db


def _reload(instance: ProcessInstance) -> ProcessSession:
    instance.refresh_from_db()
    return ProcessSession.load(compiled_for(instance.definition), instance.state)


def _assert_round_trips(instance: ProcessInstance) -> ProcessSession:
    """Load the saved state onto the cached spec; dumping it gives the same text."""
    session = _reload(instance)
    assert session.dump() == instance.state
    assert instance.state_format == STATE_FORMAT
    ready = {t.spiff_id for t in session.ready_human_tasks()}
    projected = set(instance.tasks.open().values_list("spiff_task_id", flat=True))
    assert ready == projected
    return session


def test_saved_state_holds_a_spec_reference_and_no_spec(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance]
) -> None:
    deploy("review_request")

    instance = start("review_request", "CASE-1", {"amount": 10})

    saved = json.loads(instance.state)
    assert saved["spec_ref"] == "review_request"
    assert "spec" not in saved
    assert "subprocess_specs" not in saved
    # Task specs (the parsed model) would appear by their element ids and scripts.
    assert "task_specs" not in instance.state
    assert "score = amount * 2" not in instance.state


def test_state_round_trips_and_continues_at_every_step_of_a_multi_step_process(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    chief: Any,
) -> None:
    deploy("review_request")
    instance = start("review_request", "CASE-2", {"amount": 21})
    _assert_round_trips(instance)

    review = open_task(instance, "review_application")
    task_complete(actor=reviewer, task_id=review.pk, data={"verdict": "sound"})
    session = _assert_round_trips(instance)
    assert session.data()["score"] == 42
    assert session.data()["verdict"] == "sound"

    approve = open_task(instance, "approve_decision")
    task_complete(actor=chief, task_id=approve.pk, data={"approved": True})
    session = _assert_round_trips(instance)

    assert session.is_completed
    assert instance.status == ProcessInstance.Status.COMPLETED
    assert instance.result is not None
    assert instance.result["approved"] is True
    assert instance.result["score"] == 42


@pytest.mark.parametrize(
    ("data", "path"),
    [
        pytest.param({"typename": "Decimal"}, "typename", id="top-level"),
        pytest.param({"form": {"typename": "x"}}, "form.typename", id="nested-dict"),
        pytest.param(
            {"items": [{"amount": 1}, {"typename": "y"}]},
            "items[1].typename",
            id="inside-list",
        ),
    ],
)
def test_task_data_with_a_typename_key_anywhere_is_refused_naming_its_path(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    data: dict[str, Any],
    path: str,
) -> None:
    deploy("review_request")
    instance = start("review_request", "CASE-3", {"amount": 1})
    task = open_task(instance, "review_application")
    state_before = instance.state

    with audited(), pytest.raises(InvalidInputError) as refused:
        task_complete(actor=reviewer, task_id=task.pk, data=data)

    assert refused.value.problems == [path]
    assert "typename" in str(refused.value)
    instance.refresh_from_db()
    assert instance.state == state_before
    task.refresh_from_db()
    assert task.status == HumanTask.Status.OPEN


def test_process_start_refuses_typename_in_start_data(
    deploy: Callable[..., Any], operator: Any
) -> None:
    deploy("review_request")

    with pytest.raises(InvalidInputError) as refused:
        process_start(
            actor=operator,
            process_id="review_request",
            business_key="CASE-4",
            data={"applicant": {"typename": "Person"}},
        )

    assert refused.value.problems == ["applicant.typename"]
    assert not ProcessInstance.objects.exists()


def test_decimal_and_date_values_in_task_data_survive_save_and_load(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], reviewer: Any
) -> None:
    deploy("review_request")
    instance = start(
        "review_request",
        "CASE-5",
        {"amount": Decimal("1250.50"), "received_on": date(2026, 1, 5)},
    )
    review = open_task(instance, "review_application")

    task_complete(actor=reviewer, task_id=review.pk, data={"fee": Decimal("0.10")})

    data = _assert_round_trips(instance).data()
    assert data["amount"] == Decimal("1250.50")
    assert isinstance(data["amount"], Decimal)
    # The script ran on the restored Decimal, so its result is exact too.
    assert data["score"] == Decimal("2501.00")
    assert isinstance(data["score"], Decimal)
    assert data["fee"] == Decimal("0.10")
    assert data["received_on"] == date(2026, 1, 5)
    assert type(data["received_on"]) is date
