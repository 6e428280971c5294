"""The red-list process, every path, through the case layer and runtime services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from notifications.models import Notification
from tests.credit.processes.conftest import World, open_task, work
from tests.credit.processes.test_redlist_support import (
    clean_subject,
    entry_of,
    fresh,
    instance_of,
    nominate,
    pass_notice,
    publish,
    review,
    round_trips,
    waits_for,
)
from workflows.credit.filing import case_act
from workflows.credit.models import Case, CreditRecord, Document, ListEntry
from workflows.errors import InvalidInputError
from workflows.models import HumanTask, Incident
from workflows.services.incidents import incident_retry
from workflows.services.instances import instance_resume, instance_suspend
from workflows.services.timers import timers_fire_due

# Event-based gateways subscribe under their own id, boundary events under theirs.
NOTICE_WAITS = {"dishonesty_before_listing", "public_notice_period"}
LISTED_WAITS = {"while_listed"}


def _object(world: World, case: Case, who: str, reason: str = "曾有欠税") -> None:
    actor = world.rep if who == "rep" else world[who]
    assert actor is not None
    case_act(
        actor=actor,
        name="redlist_objection",
        number=case.number,
        data={"reason": reason, "evidence": "税务文书"},
    )
    round_trips()


def _list(world: World, frozen: Any) -> tuple[Case, ListEntry]:
    subject = clean_subject(world)
    case = nominate(world, subject)
    review(world, case)
    pass_notice(frozen)
    return case, entry_of(case)


def test_a_nomination_is_listed_after_a_quiet_notice_and_removed_by_a_general_record(
    world: World, frozen: Any
) -> None:
    subject = clean_subject(world)
    case = nominate(world, subject)
    assert case.number.startswith("HM-2026-")
    assert entry_of(case).status == ListEntry.Status.PROPOSED
    task = open_task(case.number, "review_nomination")
    assert task.candidate_group is not None
    assert task.candidate_group.name == "XYB.clerk"
    assert task.excluded_usernames == ["scj_head"]
    round_trips()

    review(world, case)
    noticed = fresh(case)
    assert noticed.status == Case.Status.ACCEPTED
    assert entry_of(case).status == ListEntry.Status.NOTICED
    assert noticed.deadlines.get(kind="public_notice").due_at.date() == dt.date(
        2026, 6, 10
    )
    assert "redlist_notice_days@1" in noticed.policy_refs
    assert waits_for(case) == NOTICE_WAITS
    round_trips()

    frozen.shift(dt.timedelta(days=8))  # 2026-06-09: still within the notice
    timers_fire_due()
    assert entry_of(case).status == ListEntry.Status.NOTICED
    pass_notice(frozen)
    listed = fresh(case)
    entry = entry_of(case)
    assert entry.status == ListEntry.Status.LISTED
    assert entry.valid_from == dt.date(2026, 6, 23)
    assert entry.valid_to == dt.date(2029, 6, 23)
    assert entry.decision_number.startswith("SCJ信列决〔2026〕")
    assert listed.status == Case.Status.DECIDED
    assert listed.decision is not None
    assert listed.decision["outcome"] == "listed"
    assert waits_for(case) == LISTED_WAITS
    round_trips()

    record = publish(world, subject, "general", "示市监罚〔2026〕9号")
    removed = entry_of(case)
    assert removed.status == ListEntry.Status.EXITED
    assert removed.exit_reason == ListEntry.ExitReason.NEW_DISHONESTY_RECORD
    closed = fresh(case)
    assert closed.status == Case.Status.CLOSED
    assert closed.decision is not None
    assert closed.decision["exit_reason"] == "new_dishonesty_record"
    result = instance_of(case).result
    assert instance_of(case).status == "completed"
    assert result is not None
    assert result["removal"]["record_id"] == record.pk
    kinds = set(Document.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {"listing_decision", "exit_decision"}
    told = Notification.objects.filter(recipient__username="good_rep")
    assert {"redlist.nominated", "redlist.notice", "redlist.listed"} <= set(
        told.values_list("kind", flat=True)
    )
    assert told.filter(kind="redlist.exited").exists()


def test_an_upheld_objection_during_the_notice_rejects_the_nomination(
    world: World, frozen: Any
) -> None:
    subject = clean_subject(world)
    case = nominate(world, subject)
    review(world, case)
    _object(world, case, "rep")
    round_trips()
    _object(world, case, "swj_reviewer", "存在未结清的税款 tax still owed")
    assert waits_for(case) == NOTICE_WAITS
    assert not HumanTask.objects.open().filter(case_number=case.number).exists()

    pass_notice(frozen)
    task = open_task(case.number, "verify_objections")
    assert task.candidate_group is not None
    assert task.candidate_group.name == "SCJ.reviewer"
    assert task.due_at is not None
    assert fresh(case).status == Case.Status.UNDER_REVIEW
    round_trips()
    work(
        world["scj_reviewer"],
        case.number,
        "verify_objections",
        {"objection_upheld": True, "verification_findings": "确有欠税 tax owed"},
    )
    rejected = fresh(case)
    assert rejected.status == Case.Status.REJECTED
    assert rejected.decision == {
        "outcome": "rejected",
        "grounds": "objection_upheld",
        "comment": "确有欠税 tax owed",
    }
    entry = entry_of(case)
    assert entry.status == ListEntry.Status.REVOKED
    assert entry.exit_reason == ListEntry.ExitReason.OBJECTION_UPHELD
    result = instance_of(case).result
    assert instance_of(case).status == "completed"
    assert result is not None
    assert len(result["objections"]) == 2


def test_an_objection_found_groundless_still_lists_the_subject(
    world: World, frozen: Any
) -> None:
    case = nominate(world, clean_subject(world))
    review(world, case)
    _object(world, case, "rep")
    pass_notice(frozen)
    work(
        world["scj_reviewer"],
        case.number,
        "verify_objections",
        {"objection_upheld": False, "verification_findings": "查无实据 unfounded"},
    )
    assert entry_of(case).status == ListEntry.Status.LISTED
    assert fresh(case).deadlines.filter(met_at__isnull=True).count() == 0


def test_a_nomination_the_credit_office_refuses_is_rejected(world: World) -> None:
    case = nominate(world, clean_subject(world))
    review(world, case, approved=False)
    assert fresh(case).status == Case.Status.REJECTED
    entry = entry_of(case)
    assert entry.status == ListEntry.Status.REVOKED
    assert entry.exit_reason == ""
    assert instance_of(case).status == "completed"


def test_a_minor_record_leaves_the_red_list_entry_alone(
    world: World, frozen: Any
) -> None:
    case, entry = _list(world, frozen)
    publish(world, entry.subject, "minor", "示市监罚〔2026〕10号")
    assert entry_of(case).status == ListEntry.Status.LISTED
    assert instance_of(case).status == "running"
    assert waits_for(case) == LISTED_WAITS


def test_a_serious_record_during_the_notice_ends_the_nomination(
    world: World, frozen: Any
) -> None:
    subject = clean_subject(world)
    case = nominate(world, subject)
    review(world, case)
    _object(world, case, "rep")
    publish(world, subject, "serious", "示市监罚〔2026〕11号")
    ended = fresh(case)
    assert ended.status == Case.Status.REJECTED
    assert ended.decision is not None
    assert ended.decision["grounds"] == "new_dishonesty_record"
    entry = entry_of(case)
    assert entry.status == ListEntry.Status.REVOKED
    assert entry.exit_reason == ListEntry.ExitReason.NEW_DISHONESTY_RECORD
    assert instance_of(case).status == "completed"
    assert fresh(case).deadlines.filter(met_at__isnull=True).count() == 0


def test_a_record_during_the_review_cancels_the_review_task(world: World) -> None:
    subject = clean_subject(world)
    case = nominate(world, subject)
    publish(world, subject, "general", "示市监罚〔2026〕12号")
    task = HumanTask.objects.get(case_number=case.number)
    assert task.status == HumanTask.Status.CANCELLED
    assert fresh(case).status == Case.Status.REJECTED


def test_the_entry_leaves_the_list_when_its_validity_ends(
    world: World, frozen: Any
) -> None:
    case, entry = _list(world, frozen)
    assert entry.valid_to is not None
    frozen.move_to(
        dt.datetime.combine(entry.valid_to, dt.time(23, 0), tzinfo=dt.UTC)
        - dt.timedelta(hours=8)
    )
    timers_fire_due()
    assert entry_of(case).status == ListEntry.Status.LISTED
    frozen.shift(dt.timedelta(hours=2))
    timers_fire_due()
    expired = entry_of(case)
    assert expired.status == ListEntry.Status.EXITED
    assert expired.exit_reason == ListEntry.ExitReason.EXPIRY
    assert fresh(case).status == Case.Status.CLOSED
    assert instance_of(case).status == "completed"


def test_a_case_that_fails_on_the_record_is_an_incident_but_the_entry_still_ends(
    world: World, frozen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, entry = _list(world, frozen)

    def documents_down(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the document service is down")

    monkeypatch.setattr(
        "workflows.credit.operations.redlist.issue_document", documents_down
    )
    record = publish(world, entry.subject, "serious", "示市监罚〔2026〕13号")
    assert CreditRecord.objects.filter(pk=record.pk).exists()
    ended = entry_of(case)
    assert ended.status == ListEntry.Status.EXITED
    assert ended.exit_reason == ListEntry.ExitReason.NEW_DISHONESTY_RECORD
    instance = instance_of(case)
    assert instance.status == "error"
    incident = Incident.objects.get(instance=instance, status="open")
    assert incident.element_id == "remove_for_dishonesty"

    monkeypatch.undo()
    incident_retry(actor=world.admin, incident_id=incident.pk)
    assert fresh(case).status == Case.Status.CLOSED
    assert instance_of(case).status == "completed"
    assert Document.objects.filter(case=case, kind="exit_decision").count() == 1


def test_a_suspended_case_cannot_list_an_entry_a_record_ended_meanwhile(
    world: World,
) -> None:
    subject = clean_subject(world)
    case = nominate(world, subject)
    instance = instance_of(case)
    instance_suspend(actor=world.admin, instance_id=instance.pk, reason="核查材料")
    publish(world, subject, "general", "示市监罚〔2026〕14号")
    entry = entry_of(case)
    assert entry.status == ListEntry.Status.REVOKED
    assert entry.exit_reason == ListEntry.ExitReason.NEW_DISHONESTY_RECORD
    instance_resume(actor=world.admin, instance_id=instance.pk, reason="继续")
    with pytest.raises(InvalidInputError, match="has ended"):
        review(world, case)
    assert entry_of(case).status == ListEntry.Status.REVOKED
