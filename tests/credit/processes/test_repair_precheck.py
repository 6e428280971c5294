"""The repair pre-check: no case is opened for a record that cannot be repaired yet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.credit.processes.conftest import World
from tests.credit.processes.test_repair import file_repair, make_repairable
from workflows.credit.eligibility import add_months, repair_precheck
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord
from workflows.engine.parsing import SourceFile
from workflows.errors import InvalidInputError, NotFoundError
from workflows.models import ProcessInstance
from workflows.services.deploy import definition_deploy

JUNE_1 = dt.date(2026, 6, 1)


@pytest.fixture
def repairable(frozen: Any, world: World) -> World:
    return make_repairable(world)


def the_record(world: World, **changes: Any) -> CreditRecord:
    assert world.record is not None
    CreditRecord.objects.filter(pk=world.record.pk).update(**changes)
    return CreditRecord.objects.get(pk=world.record.pk)


def _deploy_variant(world: World, name: str, *changes: tuple[str, str]) -> None:
    """Deploy a new version of a policy table with cells replaced."""
    source = (Path(settings.BPMN_DIR) / name).read_text("utf-8")
    for old, new in changes:
        assert old in source
        source = source.replace(old, new)
    file = SourceFile(name, source.encode("utf-8"))
    definition_deploy(actor=world.admin, files=[file])


def test_a_record_is_repairable_once_its_minimum_publicity_has_passed(
    repairable: World,
) -> None:
    answer = repair_precheck(the_record(repairable), today=JUNE_1)
    assert answer.eligible
    assert answer.reasons == ()
    assert answer.eligible_from == dt.date(2026, 4, 5)
    assert answer.policy_ref == "repair_rules@1"
    assert set(answer.policy_refs) == {"repair_rules@1", "publicity_period@1"}


def test_a_repair_before_the_minimum_period_is_refused_with_the_date(
    repairable: World,
) -> None:
    record = the_record(repairable, decision_date=dt.date(2026, 5, 7))
    with pytest.raises(InvalidInputError, match="eligible from 2026-08-07") as error:
        file_repair(repairable)
    assert "3 months" in str(error.value)
    assert not Case.objects.exists()
    assert not ProcessInstance.objects.exists()
    assert not repair_precheck(record, today=dt.date(2026, 8, 6)).eligible
    assert repair_precheck(record, today=dt.date(2026, 8, 7)).eligible


def test_an_open_objection_on_the_record_blocks_a_repair(repairable: World) -> None:
    world = repairable
    assert world.rep is not None
    assert world.record is not None
    objection = case_file(
        actor=world.rep,
        kind="objection",
        data={"record": world.record.pk, "grounds": "record_wrong", "reason": "有误"},
    )
    with pytest.raises(InvalidInputError, match=objection.number):
        file_repair(world)
    assert list(Case.objects.values_list("case_type", flat=True)) == ["objection"]
    answer = repair_precheck(the_record(world))
    assert not answer.eligible
    assert answer.eligible_from is None


def test_one_repair_of_a_record_at_a_time(repairable: World) -> None:
    first = file_repair(repairable)
    with pytest.raises(InvalidInputError, match=first.number):
        file_repair(repairable)
    assert Case.objects.count() == 1


def test_a_signed_commitment_is_required_by_the_current_scheme(
    repairable: World,
) -> None:
    with pytest.raises(InvalidInputError, match="commitment"):
        file_repair(repairable, commitment="  ")
    assert not Case.objects.exists()


def test_files_named_must_be_the_applicants_own_uploads(repairable: World) -> None:
    with pytest.raises(InvalidInputError, match="attachments"):
        file_repair(repairable, attachments=[424242])
    assert not Case.objects.exists()


def test_only_the_subjects_people_or_a_window_clerk_may_file(
    repairable: World,
) -> None:
    world = repairable
    assert world.record is not None
    data = {"record": world.record.pk, "reason": "已整改", "commitment": "承诺"}
    with pytest.raises(NotFoundError):
        case_file(actor=world["rsj_officer"], kind="repair", data=data)
    case = case_file(actor=world["xyb_clerk"], kind="repair", data=data)
    assert case.channel == Case.Channel.WINDOW


def test_the_repair_cap_counts_granted_repairs_within_the_window(
    repairable: World,
) -> None:
    world = repairable
    cell = 'id="ndrc_2025_36_general__{}"><text>'.format
    _deploy_variant(
        world,
        "repair_rules.dmn",
        (cell("max_repairs") + "0<", cell("max_repairs") + "1<"),
        (cell("window_years") + "0<", cell("window_years") + "5<"),
    )
    assert world.rep is not None
    assert world.subject is not None
    decided = dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC)
    Case.objects.create(
        case_type=Case.Type.REPAIR,
        number="XF-2025-000001",
        applicant=world.rep,
        subject=world.subject,
        regime="ndrc_2023_58",
        jurisdiction="national",
        status=Case.Status.CLOSED,
        decided_at=decided,
        closed_at=decided,
        decision={"outcome": "approved"},
    )
    answer = repair_precheck(the_record(world))
    assert not answer.eligible
    assert answer.policy_ref == "repair_rules@2"
    assert answer.eligible_from == dt.date(2030, 3, 1)
    with pytest.raises(InvalidInputError, match="eligible from 2030-03-01"):
        file_repair(world)


def test_a_period_counted_from_publication_starts_on_the_publication_day(
    repairable: World,
) -> None:
    cell = 'id="ndrc_2025_36_general__counted_from"><text>'
    _deploy_variant(
        repairable,
        "publicity_period.dmn",
        (cell + '"decision"<', cell + '"publication"<'),
    )
    published = dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC)
    record = the_record(repairable, published_at=published)
    answer = repair_precheck(record, today=JUNE_1)
    assert answer.eligible_from == dt.date(2026, 5, 10)
    assert "publicity_period@2" in answer.policy_refs


def test_a_legacy_heavier_record_is_checked_under_its_own_regime(
    repairable: World,
) -> None:
    record = the_record(
        repairable,
        scale=CreditRecord.Scale.LEGACY,
        grade=CreditRecord.Grade.MAJOR,
        regime="ndrc_2019_527",
        decision_date=dt.date(2026, 4, 1),
    )
    answer = repair_precheck(record, today=JUNE_1)
    assert not answer.eligible
    assert answer.eligible_from == dt.date(2026, 7, 1)


def test_a_record_no_longer_published_has_nothing_to_repair(
    repairable: World,
) -> None:
    record = the_record(repairable, status=CreditRecord.Status.PUBLICATION_STOPPED)
    answer = repair_precheck(record)
    assert not answer.eligible
    assert answer.eligible_from is None


def test_the_case_command_says_from_when_a_record_can_be_repaired(
    repairable: World, capsys: Any
) -> None:
    record = the_record(repairable, decision_date=dt.date(2026, 5, 7))
    data = {"record": record.pk, "reason": "已整改", "commitment": "承诺"}
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "case", "file", "repair", "--as", "rep", "--data", json.dumps(data)
        )
    assert exit_.value.code != 0
    assert "2026-08-07" in capsys.readouterr().err
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 5), 3, dt.date(2026, 4, 5)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 6, 1), -60, dt.date(2021, 6, 1)),
    ],
)
def test_months_are_added_by_the_calendar(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected
