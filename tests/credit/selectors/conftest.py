"""The process world plus a second subject, an auditor and a process administrator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from tests.credit.factories import make_uscc
from tests.credit.processes.conftest import World, frozen, world
from workflows import roles
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord, Subject

# The process tests' fixtures, shared here.
__all__ = ["Others", "file_objection", "fresh", "frozen", "others", "world"]


@dataclass
class Others:
    """People outside the world's company and its departments' daily work."""

    rep_b: User
    subject_b: Subject
    record_b: CreditRecord
    auditor: User
    process_admin: User


def _in_role(username: str, role: str) -> User:
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def others(world: World) -> Others:
    rep_b = _in_role("rep_b", roles.SUBJECT)
    subject_b = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON, name="乙公司", code=make_uscc(2)
    )
    subject_b.accounts.add(rep_b)
    record_b = CreditRecord.objects.create(
        subject=subject_b,
        source_department=world.departments["SWJ"],
        category=CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        grade=CreditRecord.Grade.GENERAL,
        regime="ndrc_2025_36",
        jurisdiction="national",
        decision_number="示税罚〔2026〕2号",
        decision_date=timezone.localdate() - dt.timedelta(days=200),
        published_at=timezone.now() - dt.timedelta(days=199),
        content={"facts": "逾期申报"},
    )
    return Others(
        rep_b=rep_b,
        subject_b=subject_b,
        record_b=record_b,
        auditor=_in_role("auditor", roles.AUDITOR),
        process_admin=_in_role("process_admin", roles.PROCESS_ADMIN),
    )


def file_objection(world: World, **extra: Any) -> Case:
    """The company's representative objects to its SCJ record."""
    assert world.rep is not None
    assert world.record is not None
    data = {
        "record": world.record.pk,
        "grounds": "record_wrong",
        "reason": "罚款金额登记错误",
        **extra,
    }
    return case_file(actor=world.rep, kind="objection", data=data)


def fresh(user: User) -> User:
    """The user as a new request would load it (no cached groups or perms)."""
    return User.objects.get(pk=user.pk)
