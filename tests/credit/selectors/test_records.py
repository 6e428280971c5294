"""credit_record_list_for_user / credit_record_get: own subject, source department,
departments handling a case on the record, auditors."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.credit.processes.conftest import World
from tests.credit.selectors.conftest import Others, file_objection, fresh
from workflows.credit.models import CreditRecord
from workflows.credit.selectors.records import (
    credit_record_get,
    credit_record_list_for_user,
)
from workflows.errors import NotFoundError

pytestmark = pytest.mark.usefixtures("frozen")


def _sees(user: User, record: CreditRecord) -> bool:
    try:
        credit_record_get(user, record.pk)
    except NotFoundError:
        return False
    return credit_record_list_for_user(user).filter(pk=record.pk).exists()


def test_records_are_seen_by_their_subject_and_source_department_only(
    world: World, others: Others
) -> None:
    assert world.rep is not None
    assert world.record is not None
    mine, theirs = world.record, others.record_b

    assert _sees(fresh(world.rep), mine)
    assert not _sees(fresh(world.rep), theirs)
    assert _sees(fresh(others.rep_b), theirs)
    assert not _sees(fresh(others.rep_b), mine)
    assert _sees(fresh(world["scj_reviewer"]), mine)
    assert _sees(fresh(world["scj_officer"]), mine)
    assert not _sees(fresh(world["scj_reviewer"]), theirs)
    assert _sees(fresh(world["swj_head"]), theirs)
    assert not _sees(fresh(world["xyb_clerk"]), mine)


def test_the_credit_office_sees_a_record_once_an_objection_to_it_reaches_it(
    world: World,
) -> None:
    assert world.record is not None
    file_objection(world)

    assert _sees(fresh(world["xyb_clerk"]), world.record)
    assert not _sees(fresh(world["rsj_officer"]), world.record)


def test_auditors_and_admins_read_every_record_process_admins_none(
    world: World, others: Others
) -> None:
    assert world.record is not None
    for user in (others.auditor, world.admin):
        assert _sees(fresh(user), world.record)
        assert _sees(fresh(user), others.record_b)
    assert not _sees(fresh(others.process_admin), world.record)


def test_foreign_and_malformed_ids_are_not_found(world: World, others: Others) -> None:
    assert world.rep is not None
    for pk in (others.record_b.pk, 999_999, "abc", None):
        with pytest.raises(NotFoundError):
            credit_record_get(fresh(world.rep), pk)


@pytest.mark.parametrize("username", ["rep", "scj_reviewer", "auditor", "xyb_clerk"])
def test_the_record_list_is_one_query(
    world: World, others: Others, username: str, django_assert_num_queries: Any
) -> None:
    file_objection(world)
    user = fresh(User.objects.get(username=username))

    with django_assert_num_queries(1):
        rows = list(credit_record_list_for_user(user))
        assert all(r.subject.name and r.source_department.code for r in rows)
    assert rows
