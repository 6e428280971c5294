"""The daily job takes expired listings off their list, watched by a process or not."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.credit.processes.conftest import World
from workflows.credit.models import Case, ListEntry
from workflows.credit.services.list_expiry import list_entries_expire_due
from workflows.credit.tasks import expire_list_entries


def _listed(world: World, valid_to: dt.date, **extra: Any) -> ListEntry:
    assert world.subject is not None
    return ListEntry.objects.create(
        list_type=ListEntry.ListType.SERIOUS_DISHONESTY,
        subject=world.subject,
        deciding_department=world.departments["SCJ"],
        decision_number=f"示市监列〔2023〕{valid_to.day}号",
        basis="拒不履行法定义务",
        valid_from=valid_to - dt.timedelta(days=1000),
        valid_to=valid_to,
        status=ListEntry.Status.LISTED,
        **extra,
    )


def test_an_expired_listing_without_a_process_is_exited_and_one_in_force_stays(
    world: World, frozen: Any
) -> None:
    expired = _listed(world, dt.date(2026, 5, 30))
    in_force = _listed(world, dt.date(2026, 6, 1))  # its last day is today
    started = list_entries_expire_due()
    assert [case.target_list_entry_id for case in started] == [expired.pk]
    expired.refresh_from_db()
    in_force.refresh_from_db()
    assert expired.status == ListEntry.Status.EXITED
    assert expired.exit_reason == "expiry"
    assert in_force.status == ListEntry.Status.LISTED


def test_running_the_job_twice_starts_no_second_exit(world: World, frozen: Any) -> None:
    _listed(world, dt.date(2026, 5, 30))
    assert expire_list_entries() == 1
    assert expire_list_entries() == 0
    assert Case.objects.filter(case_type=Case.Type.LIST_EXIT).count() == 1
