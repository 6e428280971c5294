"""list_entry_list_for_user / list_entry_get: the deciding department, implementing
departments once they have measures to apply, the subject once noticed, auditors."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.credit.processes.conftest import World
from tests.credit.processes.test_list_support import (  # noqa: F401 (fixture)
    approve,
    catalogue,
    entry_of,
    lapse_window,
    propose,
    sign,
)
from tests.credit.selectors.conftest import Others, fresh
from workflows.credit.models import ListEntry
from workflows.credit.selectors.lists import list_entry_get, list_entry_list_for_user
from workflows.errors import NotFoundError

pytestmark = pytest.mark.usefixtures("frozen")


def _sees(user: User, entry: ListEntry) -> bool:
    try:
        list_entry_get(user, entry.pk)
    except NotFoundError:
        return False
    return list_entry_list_for_user(user).filter(pk=entry.pk).exists()


@pytest.mark.usefixtures("catalogue")
def test_implementing_departments_see_an_entry_only_once_they_must_act_on_it(
    world: World, others: Others, frozen: Any
) -> None:
    case = propose(world)
    entry = entry_of(case)
    assert world.rep is not None
    assert _sees(fresh(world["scj_reviewer"]), entry)  # deciding department
    assert _sees(fresh(world.rep), entry)  # noticed: the subject may answer
    assert not _sees(fresh(others.rep_b), entry)
    assert not _sees(fresh(world["rsj_officer"]), entry)
    assert not _sees(fresh(world["swj_reviewer"]), entry)

    lapse_window(frozen)
    approve(world, case, "scj_section_chief")
    approve(world, case, "scj_head")
    sign(world, case)

    # Listed: RSJ has a measure to apply (SWJ has none on this list).
    assert _sees(fresh(world["rsj_officer"]), entry)
    assert _sees(fresh(world["rsj_head"]), entry)
    assert not _sees(fresh(world["swj_officer"]), entry)
    assert _sees(fresh(others.auditor), entry)
    assert _sees(fresh(others.process_admin), entry)  # keeps the lists (read only)


def test_a_subject_does_not_see_a_proposal_before_its_prior_notice(
    world: World, others: Others
) -> None:
    assert world.subject is not None
    assert world.rep is not None
    entry = ListEntry.objects.create(
        list_type=ListEntry.ListType.SERIOUS_DISHONESTY,
        subject=world.subject,
        deciding_department=world.departments["SCJ"],
        basis="拟列入",
    )
    assert not _sees(fresh(world.rep), entry)
    assert _sees(fresh(world["scj_head"]), entry)
    with pytest.raises(NotFoundError):
        list_entry_get(fresh(world.rep), "not-a-number")


@pytest.mark.parametrize("username", ["rep", "scj_reviewer", "rsj_officer", "auditor"])
def test_the_entry_list_is_one_query(
    world: World, others: Others, username: str, django_assert_num_queries: Any
) -> None:
    propose(world)
    user = fresh(User.objects.get(username=username))

    with django_assert_num_queries(1):
        rows = list(list_entry_list_for_user(user))
        assert all(e.subject.name and e.deciding_department.code for e in rows)
