"""Helpers for driving the red-list process in tests (no tests of its own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from tests.credit.factories import make_uscc
from tests.credit.processes.conftest import World, work
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord, ListEntry, Subject
from workflows.credit.services.records import credit_record_publish
from workflows.engine.runner import ProcessSession
from workflows.loading import compiled_for
from workflows.models import EventSubscription, ProcessInstance
from workflows.services.timers import timers_fire_due

# Two weeks cover the 7 working days of the national notice period from 2026-06-01.
PAST_NOTICE = dt.timedelta(days=14)


def clean_subject(world: World) -> Subject:
    """A company with no dishonesty record, represented by "good_rep"."""
    subject = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON,
        name="守信示范有限公司",
        code=make_uscc(77),
        legal_representative="李四",
    )
    subject.accounts.add(User.objects.create_user("good_rep"))
    return subject


def nominate(
    world: World, subject: Subject, /, *, as_user: User | None = None, **extra: Any
) -> Case:
    data = {
        "subject": subject.code,
        "department": "SCJ",
        "grounds": "连续三年无不良信用记录 No bad record for three years",
        **extra,
    }
    case = case_file(actor=as_user or world["scj_head"], kind="redlist", data=data)
    round_trips()
    return case


def review(world: World, case: Case, approved: bool = True) -> None:
    data = {"review_approved": approved, "review_comment": "材料齐全 complete"}
    work(world["xyb_clerk"], case.number, "review_nomination", data)
    round_trips()


def pass_notice(frozen: Any) -> None:
    frozen.shift(PAST_NOTICE)
    timers_fire_due()
    round_trips()


def fresh(case: Case) -> Case:
    return Case.objects.select_related("target_list_entry", "process_instance").get(
        pk=case.pk
    )


def entry_of(case: Case) -> ListEntry:
    entry = fresh(case).target_list_entry
    assert entry is not None
    return entry


def instance_of(case: Case) -> ProcessInstance:
    instance = fresh(case).process_instance
    assert instance is not None
    return instance


def waits_for(case: Case) -> set[str]:
    """The elements (messages and timers) the case's process waits at."""
    return set(
        EventSubscription.objects.filter(instance=instance_of(case)).values_list(
            "element_id", flat=True
        )
    )


def round_trips() -> None:
    """Every unfinished red-list state loads onto its spec and dumps to the same text.

    The helpers that take a step call this, so every test checks it at each step.
    """
    unfinished = ProcessInstance.objects.filter(
        process_id="redlist", status__in=ProcessInstance.ACTIVE_STATUSES
    ).select_related("definition")
    for instance in unfinished:
        compiled = compiled_for(instance.definition)
        session = ProcessSession.load(compiled, instance.state)
        assert session.dump() == instance.state
        ready = {t.spiff_id for t in session.ready_human_tasks()}
        assert ready == set(
            instance.tasks.open().values_list("spiff_task_id", flat=True)
        )


def publish(world: World, subject: Subject, grade: str, number: str) -> CreditRecord:
    """Publish a market-supervision penalty of a grade against the subject."""
    published = credit_record_publish(
        actor=world["scj_reviewer"],
        subject=subject,
        source_department=world.departments["SCJ"],
        category=CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        grade=grade,
        scale=CreditRecord.Scale.NATIONAL_2025,
        regime="ndrc_2025_36",
        jurisdiction="national",
        decision_number=number,
        decision_date=dt.date(2026, 5, 20),
        content={"facts": "虚假宣传", "penalty": "罚款"},
    )
    round_trips()
    return published
