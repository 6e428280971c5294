"""Implementing departments see their pending measures and report on them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.credit.processes.conftest import World
from tests.credit.processes.test_list_support import (  # noqa: F401 (fixture)
    catalogue,
    department_task,
    entry_of,
    listed,
)
from tests.webapp.api.conftest import ClientFor, error_of
from workflows.models import HumanTask

pytestmark = pytest.mark.usefixtures("catalogue")
URL = "/api/v1/measures/applications/"


def test_a_department_reports_each_measure_applied_or_not_with_a_reason(
    world: World, frozen: Any, client_for: ClientFor
) -> None:
    case = listed(world, frozen)
    entry = entry_of(case)
    scj = client_for(world["scj_officer"])
    pending = scj.get(f"{URL}?status=pending").json()["results"]
    assert sorted(p["measure"] for p in pending) == ["SCJ-01", "SCJ-02"]
    assert {p["list_entry"] for p in pending} == {entry.pk}
    incomplete = scj.post(
        f"{URL}report/",
        {"list_entry": entry.pk, "answers": [{"measure": "SCJ-01", "applied": True}]},
        format="json",
    )
    assert incomplete.status_code == 400
    assert error_of(incomplete)["fields"]["answers"] == ["SCJ-02 is not answered"]
    no_reason = scj.post(
        f"{URL}report/",
        {
            "list_entry": entry.pk,
            "answers": [
                {"measure": "SCJ-01", "applied": True},
                {"measure": "SCJ-02", "applied": False},
            ],
        },
        format="json",
    )
    assert no_reason.status_code == 400
    assert "answers[1].reason" in error_of(no_reason)["fields"]
    reported = scj.post(
        f"{URL}report/",
        {
            "list_entry": entry.pk,
            "answers": [
                {"measure": "SCJ-01", "applied": True},
                {"measure": "SCJ-02", "applied": False, "reason": "本局未受理该主体"},
            ],
        },
        format="json",
    )
    assert reported.status_code == 200, reported.content
    assert {(r["measure"], r["status"]) for r in reported.json()} == {
        ("SCJ-01", "applied"),
        ("SCJ-02", "not_applied"),
    }
    assert (
        department_task(case, "apply_measures", "RSJ.officer").status
        == HumanTask.Status.OPEN
    )
    assert scj.get(f"{URL}?status=pending").json()["count"] == 0
    again = scj.post(
        f"{URL}report/",
        {"list_entry": entry.pk, "answers": [{"measure": "SCJ-01", "applied": True}]},
        format="json",
    )
    assert again.status_code == 400


def test_only_implementing_officers_report(
    world: World, frozen: Any, client_for: ClientFor
) -> None:
    case = listed(world, frozen)
    entry = entry_of(case)
    answer = {
        "list_entry": entry.pk,
        "answers": [{"measure": "RSJ-01", "applied": True}],
    }
    xyb = client_for(world["xyb_clerk"]).post(f"{URL}report/", answer, format="json")
    assert xyb.status_code in (403, 404)
    assert client_for(world.rep).get(URL).json()["count"] == 0  # type: ignore[arg-type]
