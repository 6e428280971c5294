"""One world for the permission matrix: every role, and the objects they reach for.

Departments XYB (credit office), SCJ and SWJ (sources), RSJ (implementing). Subject
A (representative ``rep``, agent ``agent_a``) objects to its SCJ record; the credit
office accepted, so an SCJ verification task is open, the acceptance notice is
issued and the evidence is attached. Subject B (``rep_b``) has an SWJ record and is
on the serious-dishonesty list (decided by SWJ).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from tests.credit.factories import make_uscc
from tests.credit.processes.conftest import DEPARTMENTS, ROLES, deploy_all
from webapp.api.tokens import api_token_create
from workflows import roles
from workflows.credit.filing import case_file
from workflows.credit.models import (
    Attachment,
    Case,
    CreditRecord,
    Department,
    Document,
    ListEntry,
    Measure,
    Subject,
)
from workflows.credit.services.attachments import attachment_add
from workflows.credit.services.departments import department_create, membership_grant
from workflows.models import HumanTask, ProcessDefinition
from workflows.services.tasks import task_claim, task_complete

# The columns of the matrix, in order: who asks.
ROLE_USERS: dict[str, str] = {
    "anonymous": "",
    "subject": "rep",
    "subject_other": "rep_b",
    "agent": "agent_a",
    "clerk": "xyb_clerk",
    "reviewer": "scj_reviewer",
    "reviewer_other": "swj_reviewer",
    "chief": "scj_section_chief",
    "head": "scj_head",
    "officer": "rsj_officer",
    "auditor": "auditor",
    "process_admin": "process_admin",
    "admin": "admin",
}


@dataclass
class MatrixWorld:
    """The users by matrix column and the objects the URLs name."""

    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def _user(username: str, *groups: str) -> User:
    user = User.objects.create_user(username)
    user.groups.add(*(Group.objects.get(name=g) for g in groups))
    return user


def _record(subject: Subject, department: Department, number: str) -> CreditRecord:
    return CreditRecord.objects.create(
        subject=subject,
        source_department=department,
        category=CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        grade=CreditRecord.Grade.GENERAL,
        regime="ndrc_2025_36",
        jurisdiction="national",
        decision_number=number,
        decision_date=timezone.localdate() - dt.timedelta(days=200),
        published_at=timezone.now() - dt.timedelta(days=199),
        content={"facts": "未按规定公示年度报告", "amount": 5000},
    )


def _departments() -> dict[str, Department]:
    found = {}
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
        found[code] = dept
        for role in ROLES:
            user = User.objects.create_user(f"{code.lower()}_{role}")
            membership_grant(actor=None, user=user, department=dept, role=role)
    return found


def _objection(w: MatrixWorld, record: CreditRecord) -> Case:
    rep, agent = User.objects.get(username="rep"), User.objects.get(username="agent_a")
    case = case_file(
        actor=rep,
        kind="objection",
        data={"record": record.pk, "grounds": "record_wrong", "reason": "金额错误"},
    )
    evidence = attachment_add(
        actor=rep,
        case=case,
        kind=Attachment.Kind.EVIDENCE,
        name="缴款凭证.pdf",
        content=b"%PDF-1.4 evidence",
        content_type="application/pdf",
    )
    attorney = attachment_add(
        actor=rep,
        case=case,
        kind=Attachment.Kind.POWER_OF_ATTORNEY,
        name="授权委托书.pdf",
        content=b"%PDF-1.4 attorney",
        content_type="application/pdf",
    )
    Case.objects.filter(pk=case.pk).update(agent=agent, power_of_attorney=attorney)
    clerk = User.objects.get(username="xyb_clerk")
    check = HumanTask.objects.open().get(case_number=case.number)
    task_claim(actor=clerk, task_id=check.pk)
    task_complete(actor=clerk, task_id=check.pk, data={"formal_check_result": "accept"})
    w.objects["attachment"] = evidence
    return Case.objects.get(pk=case.pk)


def build_world() -> MatrixWorld:
    """Create the matrix world (about a second and a half after the first deploy)."""
    w = MatrixWorld()
    admin = User.objects.create_superuser("admin")
    departments = _departments()
    rep, rep_b = _user("rep", roles.SUBJECT), _user("rep_b", roles.SUBJECT)
    _user("agent_a", roles.AGENT)
    _user("auditor", roles.AUDITOR)
    _user("process_admin", roles.PROCESS_ADMIN)
    subject_a = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON, name="甲公司", code=make_uscc(1)
    )
    subject_b = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON, name="乙公司", code=make_uscc(2)
    )
    subject_a.accounts.add(rep)
    subject_b.accounts.add(rep_b)
    record_a = _record(subject_a, departments["SCJ"], "示市监罚〔2026〕1号")
    record_b = _record(subject_b, departments["SWJ"], "示税罚〔2026〕2号")
    deploy_all(admin)
    case = _objection(w, record_a)
    entry_b = ListEntry.objects.create(
        list_type=ListEntry.ListType.SERIOUS_DISHONESTY,
        subject=subject_b,
        deciding_department=departments["SWJ"],
        basis="拒不履行法定义务",
        status=ListEntry.Status.LISTED,
        valid_from=timezone.localdate(),
        decision_number="示税列决〔2026〕1号",
        record=record_b,
    )
    measure = Measure.objects.create(
        code="RSJ-01",
        name="限制参评",
        kind=Measure.Kind.MANDATORY,
        implementing_department=departments["RSJ"],
        list_types=Measure.encode_list_types([ListEntry.ListType.SERIOUS_DISHONESTY]),
        legal_basis="国办发〔2020〕49号",
    )
    w.users = {
        role: (User.objects.get(username=name) if name else None)
        for role, name in ROLE_USERS.items()
    }
    document = Document.objects.filter(case=case).order_by("pk").first()
    w.objects.update(
        case=case,
        task=HumanTask.objects.open().get(case_number=case.number),
        document=document,
        record_a=record_a,
        record_b=record_b,
        subject_a=subject_a,
        subject_b=subject_b,
        entry_b=entry_b,
        measure=measure,
        definition=ProcessDefinition.objects.order_by("pk").first(),
        instance=case.process_instance,
        notification=rep.notifications.order_by("pk").first(),
        token=api_token_create(actor=None, user=rep, name="matrix").token,
        admin=admin,
        rep_b=rep_b,
    )
    return w
