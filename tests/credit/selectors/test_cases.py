"""case_list_for_user / case_get: parties, involved departments, auditors only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from tests.credit.processes.conftest import World, work
from tests.credit.selectors.conftest import Others, file_objection, fresh
from workflows.credit.models import Case
from workflows.credit.selectors.cases import case_get, case_list_for_user
from workflows.errors import NotFoundError

pytestmark = pytest.mark.usefixtures("frozen")


def _sees(user: User | AnonymousUser, case: Case) -> bool:
    try:
        case_get(user, case.number)
    except NotFoundError:
        return False
    return case_list_for_user(user).filter(pk=case.pk).exists()


def _accept(world: World, case: Case) -> None:
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )


def test_the_applicant_sees_their_case_and_another_subject_gets_not_found(
    world: World, others: Others
) -> None:
    case = file_objection(world)

    assert world.rep is not None
    assert _sees(fresh(world.rep), case)
    assert not _sees(fresh(others.rep_b), case)
    with pytest.raises(NotFoundError):
        case_get(fresh(others.rep_b), case.number)


def test_a_department_sees_a_case_once_it_gets_work_on_it_and_keeps_seeing_it(
    world: World,
) -> None:
    case = file_objection(world)
    # Filed: the credit office checks it; the source department has no work yet.
    assert _sees(fresh(world["xyb_clerk"]), case)
    assert _sees(fresh(world["xyb_head"]), case)
    assert not _sees(fresh(world["scj_reviewer"]), case)

    _accept(world, case)
    assert _sees(fresh(world["scj_reviewer"]), case)
    assert _sees(fresh(world["scj_section_chief"]), case)
    assert not _sees(fresh(world["swj_reviewer"]), case)
    assert not _sees(fresh(world["rsj_officer"]), case)


def test_the_department_still_reads_the_case_after_the_process_ends(
    world: World,
) -> None:
    case = file_objection(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "not_accept", "formal_check_reason": "超出受理范围"},
    )
    case.refresh_from_db()
    assert case.is_ended
    assert _sees(fresh(world["xyb_clerk"]), case)


def test_auditors_and_system_admins_see_every_case_process_admins_none(
    world: World, others: Others
) -> None:
    case = file_objection(world)

    assert _sees(fresh(others.auditor), case)
    assert _sees(fresh(world.admin), case)
    assert not _sees(fresh(others.process_admin), case)
    assert not _sees(AnonymousUser(), case)


def test_unknown_and_malformed_numbers_are_not_found(world: World) -> None:
    with pytest.raises(NotFoundError):
        case_get(fresh(world.admin), "YY-2026-999999")
    with pytest.raises(NotFoundError):
        case_get(fresh(world.admin), "'; drop table")


@pytest.mark.parametrize(
    "username", ["rep", "xyb_clerk", "scj_reviewer", "auditor", "process_admin"]
)
def test_the_case_list_is_one_query_for_every_role(
    world: World,
    others: Others,
    username: str,
    django_assert_num_queries: Any,
) -> None:
    file_objection(world)
    user = fresh(User.objects.get(username=username))

    with django_assert_num_queries(1):
        rows = list(case_list_for_user(user))
        for case in rows:
            assert case.subject.name
