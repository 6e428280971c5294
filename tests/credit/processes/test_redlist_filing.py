"""Who may nominate whom to the red list, who may object, and the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.credit.processes.conftest import World, open_task
from tests.credit.processes.test_redlist_support import (
    clean_subject,
    entry_of,
    fresh,
    nominate,
    pass_notice,
    review,
)
from workflows.credit.filing import case_act, case_file
from workflows.credit.models import Case, ListEntry
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from workflows.services.tasks import task_claim


def _object(actor: User, case: Case, reason: str = "不符合条件") -> Case:
    return case_act(
        actor=actor,
        name="redlist_objection",
        number=case.number,
        data={"reason": reason},
    )


def test_a_subject_with_a_published_dishonesty_record_cannot_be_nominated(
    world: World,
) -> None:
    assert world.subject is not None
    with pytest.raises(InvalidInputError, match="published dishonesty record"):
        nominate(world, world.subject)
    assert not Case.objects.exists()
    assert not ListEntry.objects.of_type("red").exists()


def test_only_staff_of_the_nominating_department_file_for_it(world: World) -> None:
    subject = clean_subject(world)
    with pytest.raises(ForbiddenError):
        case_file(
            actor=world["swj_reviewer"],
            kind="redlist",
            data={"subject": subject.code, "department": "SCJ", "grounds": "A级纳税人"},
        )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"department": "NOPE"}, InvalidInputError),
        ({"grounds": "  "}, InvalidInputError),
        ({"subject": "91350100M000100Y43"}, NotFoundError),
        ({"subject": ""}, InvalidInputError),
    ],
)
def test_incomplete_nominations_are_refused(
    world: World, data: dict[str, Any], error: type[Exception]
) -> None:
    subject = clean_subject(world)
    with pytest.raises(error):
        nominate(world, subject, **data)


def test_a_subject_is_nominated_only_once_at_a_time(world: World) -> None:
    subject = clean_subject(world)
    nominate(world, subject)
    with pytest.raises(ConflictError):
        nominate(world, subject)


def test_an_association_nomination_is_filed_by_the_credit_office_and_not_self_reviewed(
    world: World,
) -> None:
    clerk = world["xyb_clerk"]
    case = nominate(
        world,
        clean_subject(world),
        department="XYB",
        association="市餐饮行业协会 Catering association",
        as_user=clerk,
    )
    task = open_task(case.number, "review_nomination")
    assert task.excluded_usernames == ["xyb_clerk"]
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_claim(actor=clerk, task_id=task.pk)


def test_objections_are_taken_only_during_the_public_notice(
    world: World, frozen: Any
) -> None:
    assert world.rep is not None
    case = nominate(world, clean_subject(world))
    with pytest.raises(ConflictError, match="not open"):
        _object(world.rep, case)
    review(world, case)
    with pytest.raises(InvalidInputError):
        _object(world.rep, case, reason="")
    _object(world.rep, case)
    pass_notice(frozen)
    with pytest.raises(ConflictError, match="not open"):
        _object(world["swj_head"], case)


def test_an_objection_names_a_red_list_case(world: World) -> None:
    assert world.rep is not None
    case = nominate(world, clean_subject(world))
    Case.objects.filter(pk=case.pk).update(case_type=Case.Type.REPAIR)
    with pytest.raises(NotFoundError):
        _object(world.rep, case)


def test_a_nomination_is_filed_and_objected_to_from_the_command_line(
    world: World, capsys: Any
) -> None:
    subject = clean_subject(world)
    data = {"subject": subject.code, "department": "SCJ", "grounds": "A级纳税人"}
    call_command(
        "case",
        "file",
        "redlist",
        "--as",
        "scj_head",
        "--json",
        "--data",
        json.dumps(data),
    )
    out = json.loads(capsys.readouterr().out)
    assert out["case_type"] == "redlist"
    assert out["number"].startswith("HM-")
    case = Case.objects.get(number=out["number"])
    review(world, case)
    call_command(
        "case",
        "act",
        "redlist_objection",
        out["number"],
        "--as",
        "rep",
        "--data",
        json.dumps({"reason": "曾受处罚"}),
    )
    assert "HM-" in capsys.readouterr().out
    assert entry_of(case).status == ListEntry.Status.NOTICED
    assert fresh(case).process_instance is not None
