"""Credit repair: the supplement loop, lapsing, revocation, the list exit, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from tests.credit.processes.conftest import World, open_task, work
from tests.credit.processes.test_repair import (
    accept,
    approve,
    file_repair,
    fresh,
    instance_status,
    make_repairable,
    review,
    the_record,
)
from workflows.credit.filing import case_act
from workflows.credit.models import (
    Case,
    CreditCommitment,
    CreditRecord,
    Document,
    ListEntry,
    RecordCorrection,
)
from workflows.errors import ConflictError, ForbiddenError
from workflows.models import HumanTask, ProcessInstance
from workflows.services.timers import timers_fire_due


@pytest.fixture
def repairable(frozen: Any, world: World) -> World:
    return make_repairable(world)


def request_supplement(world: World, case: Case) -> None:
    work(
        world["scj_reviewer"],
        case.number,
        "accept_by_source_department",
        {"acceptance_result": "supplement", "missing_materials": ["缴款凭证"]},
    )


def grant(world: World, case: Case) -> None:
    accept(world, case)
    review(world, case)
    approve(world, "scj_section_chief", case, True)
    approve(world, "scj_head", case, True)


def test_supplied_materials_restart_the_acceptance_period(
    repairable: World, frozen: Any
) -> None:
    world = repairable
    case = file_repair(world)
    request_supplement(world, case)
    assert fresh(case).status == Case.Status.SUPPLEMENT_REQUESTED
    assert Document.objects.filter(case=case, kind="supplement_request").exists()
    assert not HumanTask.objects.open().filter(case_number=case.number).exists()
    assert Notification.objects.filter(
        recipient=world.rep, kind="case.supplement_requested"
    ).exists()
    frozen.shift(dt.timedelta(days=2))  # Wednesday 2026-06-03
    assert world.rep is not None
    case_act(
        actor=world.rep,
        name="supplement",
        number=case.number,
        data={"note": "已补充缴款凭证 Receipt supplied"},
    )
    assert fresh(case).status == Case.Status.SUBMITTED
    again = open_task(case.number, "accept_by_source_department")
    assert again.due_at is not None
    assert timezone.localdate(again.due_at).isoformat() == "2026-06-08"
    pending = fresh(case).deadlines.filter(met_at__isnull=True)
    assert list(pending.values_list("kind", flat=True)) == ["acceptance"]
    accept(world, case)
    assert open_task(case.number, "review_repair")
    assert instance_status(case) == ProcessInstance.Status.RUNNING


def test_a_repair_lapses_when_the_materials_never_come(
    repairable: World, frozen: Any
) -> None:
    world = repairable
    case = file_repair(world)
    request_supplement(world, case)
    frozen.shift(dt.timedelta(days=3))
    timers_fire_due()
    assert fresh(case).status == Case.Status.SUPPLEMENT_REQUESTED
    frozen.shift(dt.timedelta(days=30))
    timers_fire_due()
    lapsed = fresh(case)
    assert lapsed.status == Case.Status.CLOSED
    assert lapsed.decision == {"outcome": "lapsed"}
    assert instance_status(case) == ProcessInstance.Status.COMPLETED
    assert the_record(world).status == CreditRecord.Status.PUBLISHED
    assert Notification.objects.filter(recipient=world.rep, kind="case.lapsed")


def test_revoking_a_fraudulent_repair_restores_the_record(
    repairable: World,
) -> None:
    world = repairable
    case = file_repair(world)
    grant(world, case)
    assert the_record(world).status == CreditRecord.Status.PUBLICATION_STOPPED
    assert world.rep is not None
    with pytest.raises(ForbiddenError):
        case_act(actor=world.rep, name="repair_revoke", number=case.number, data={})
    case_act(
        actor=world["scj_head"],
        name="repair_revoke",
        number=case.number,
        data={"reason": "缴款凭证系伪造 The receipt was forged"},
    )
    record = the_record(world)
    assert record.status == CreditRecord.Status.PUBLISHED
    assert record.repair_count == 0
    restored = RecordCorrection.objects.filter(record=record).last()
    assert restored is not None
    assert restored.before["status"] == "publication_stopped"
    assert restored.after["status"] == "published"
    assert restored.changed_by == world["scj_head"]
    revoked = fresh(case)
    assert revoked.decision is not None
    assert revoked.decision["revoked"]["by"] == "scj_head"
    assert revoked.decision["outcome"] == "approved"
    assert CreditCommitment.objects.get(case=case).status == "broken"
    event = AuditEvent.objects.get(action="repair.revoke", case_number=case.number)
    assert event.before == {"status": "publication_stopped", "repair_count": 1}
    assert Notification.objects.filter(recipient=world.rep, kind="repair.revoked")
    with pytest.raises(ConflictError):
        case_act(
            actor=world["scj_head"],
            name="repair_revoke",
            number=case.number,
            data={"reason": "again"},
        )


def test_an_open_repair_cannot_be_revoked(repairable: World) -> None:
    world = repairable
    case = file_repair(world)
    with pytest.raises(ConflictError, match="no granted repair"):
        case_act(
            actor=world["scj_head"],
            name="repair_revoke",
            number=case.number,
            data={"reason": "x"},
        )


def test_the_case_command_files_a_repair_as_the_representative(
    repairable: World, capsys: Any
) -> None:
    world = repairable
    assert world.record is not None
    data = {
        "record": world.record.pk,
        "reason": "已整改 Corrected",
        "commitment": "承诺守信 We commit",
    }
    call_command(
        "case", "file", "repair", "--as", "rep", "--json", "--data", json.dumps(data)
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["case_type"] == "repair"
    assert summary["number"].startswith("XF-2026-")
    assert summary["status"] == "submitted"
    assert [d["kind"] for d in summary["deadlines"]] == ["acceptance"]
    case = Case.objects.get(number=summary["number"])
    assert str(case.process_instance_id) == summary["process_instance"]
    assert instance_status(case) == ProcessInstance.Status.RUNNING


def test_repairing_a_listed_record_takes_the_subject_off_the_list(
    repairable: World,
) -> None:
    world = repairable
    assert world.record is not None
    CreditRecord.objects.filter(pk=world.record.pk).update(
        category=CreditRecord.Category.LIST_ENTRY
    )
    entry = ListEntry.objects.create(
        list_type=ListEntry.ListType.SERIOUS_DISHONESTY,
        subject=world.record.subject,
        deciding_department=world.departments["SCJ"],
        decision_number="SCJ信列决〔2025〕3号",
        basis="拒不履行法定义务",
        valid_from=dt.date(2026, 1, 5),
        valid_to=dt.date(2027, 1, 4),
        status=ListEntry.Status.LISTED,
        record=world.record,
    )
    case = file_repair(world)
    grant(world, case)
    done = fresh(case)
    assert done.decision is not None
    exits = done.decision["publication"]["list_exits"]
    assert len(exits) == 1
    exit_case = Case.objects.get(number=exits[0])
    assert exit_case.case_type == Case.Type.LIST_EXIT
    assert exit_case.target_list_entry == entry
    assert exit_case.process_instance is not None
    assert the_record(world).status == CreditRecord.Status.PUBLICATION_STOPPED
