"""A small jurisdiction to run the credit processes in, with every model deployed.

Departments: XYB (credit office), SCJ (market supervision, source), SWJ (tax,
source), RSJ (human resources, implementing). One person per department and role,
named "<code>_<role>" in lower case (scj_reviewer, xyb_clerk, rsj_officer, ...);
a company subject with its representative "rep"; and one published general-grade
penalty record of SCJ against the company.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone

from tests.credit.factories import make_uscc
from workflows.cli.inputs import model_files
from workflows.credit.models import CreditRecord, Department, Subject
from workflows.credit.services.departments import department_create, membership_grant
from workflows.models import HumanTask
from workflows.services.deploy import definition_deploy
from workflows.services.tasks import task_claim, task_complete

ROLES = ("clerk", "reviewer", "section_chief", "head", "officer")
DEPARTMENTS: tuple[tuple[str, str, dict[str, bool]], ...] = (
    ("XYB", "市信用办", {"is_credit_office": True}),
    ("SCJ", "市场监管局", {"is_source": True, "is_implementing": True}),
    ("SWJ", "税务局", {"is_source": True, "is_implementing": True}),
    ("RSJ", "人社局", {"is_implementing": True}),
)


@dataclass
class World:
    """Everything a process test needs, by name."""

    admin: User
    people: dict[str, User] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    subject: Subject | None = None
    rep: User | None = None
    record: CreditRecord | None = None

    def __getitem__(self, username: str) -> User:
        return self.people[username]


def deploy_all(actor: User) -> None:
    """Deploy every model in bpmn/ and its forms in bpmn/forms/, as make run does."""
    definition_deploy(actor=actor, files=model_files([str(settings.BPMN_DIR)]))


@pytest.fixture
def world(db: None) -> World:
    admin = User.objects.create_superuser("admin")
    w = World(admin=admin)
    for code, name, kind in DEPARTMENTS:
        dept = department_create(
            actor=None,
            code=code,
            name=name,
            jurisdiction="national",
            is_credit_office=kind.get("is_credit_office", False),
            is_source=kind.get("is_source", False),
            is_implementing=kind.get("is_implementing", False),
        )
        w.departments[code] = dept
        for role in ROLES:
            user = User.objects.create_user(f"{code.lower()}_{role}")
            membership_grant(actor=None, user=user, department=dept, role=role)
            w.people[user.username] = User.objects.get(pk=user.pk)
    w.rep = User.objects.create_user("rep")
    w.rep.groups.add(Group.objects.get(name="subject"))
    w.subject = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON, name="示例科技有限公司", code=make_uscc(1)
    )
    w.subject.accounts.add(w.rep)
    decided = timezone.localdate() - dt.timedelta(days=200)
    w.record = CreditRecord.objects.create(
        subject=w.subject,
        source_department=w.departments["SCJ"],
        category=CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        grade=CreditRecord.Grade.GENERAL,
        regime="ndrc_2025_36",
        jurisdiction="national",
        decision_number="示市监罚〔2026〕1号",
        decision_date=decided,
        published_at=timezone.now() - dt.timedelta(days=199),
        content={"facts": "未按规定公示年度报告", "penalty": "罚款", "amount": 5000},
    )
    deploy_all(admin)
    return w


def open_task(case_number: str, element: str) -> HumanTask:
    """Return the one open task of a case at a model element."""
    return HumanTask.objects.open().get(case_number=case_number, element_id=element)


def work(user: User, case_number: str, element: str, data: dict[str, Any]) -> None:
    """Claim (if needed) and complete a case's open task as a user."""
    task = open_task(case_number, element)
    if task.assignee_id is None:
        task_claim(actor=user, task_id=task.pk)
    task_complete(actor=user, task_id=task.pk, data=data)


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    """A clock on a Monday morning in 2026 (Shanghai time) that moves only when told."""
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=timezone.get_default_timezone())
    time_machine.move_to(start, tick=False)
    return time_machine
