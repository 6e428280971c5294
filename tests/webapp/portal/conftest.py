"""Fixtures of the subject portal: the credit test world, signed-in clients, uploads.

``world`` (tests/credit/processes/conftest.py) has a company subject with its
representative ``rep`` and one published general-grade penalty record of SCJ.
``stranger`` is a second company with its own representative, record and objection,
for the pages that must answer 404 to anyone else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from tests.credit.factories import make_uscc
from tests.credit.processes.conftest import World, frozen, world
from workflows.credit.filing import case_file
from workflows.credit.models import Attachment, Case, CreditRecord, Subject
from workflows.credit.services.attachments import attachment_stage

__all__ = ["Stranger", "frozen", "world"]

# The smallest PDF the file-type sniffing accepts as application/pdf.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def add_record(
    world: World, subject: Subject, number: int, **extra: Any
) -> CreditRecord:
    """Publish one more general-grade penalty record of SCJ about a subject."""
    fields: dict[str, Any] = {
        "subject": subject,
        "source_department": world.departments["SCJ"],
        "category": CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        "grade": CreditRecord.Grade.GENERAL,
        "regime": "ndrc_2025_36",
        "jurisdiction": "national",
        "decision_number": f"示市监罚〔2026〕{100 + number}号",
        "decision_date": timezone.localdate() - dt.timedelta(days=200),
        "published_at": timezone.now() - dt.timedelta(days=199),
        "content": {"facts": "未按规定公示年度报告", "amount": 5000},
        **extra,
    }
    return CreditRecord.objects.create(**fields)


def file_objection(user: User, record: CreditRecord, reason: str = "金额错误") -> Case:
    """File an objection through the domain service (not the portal)."""
    data = {"record": record.pk, "grounds": "record_wrong", "reason": reason}
    return case_file(actor=user, kind="objection", data=data)


def stage(user: User, name: str = "evidence.pdf", kind: str = "evidence") -> Attachment:
    """Upload a file ahead of a filing, as files:upload does."""
    return attachment_stage(
        actor=user, kind=kind, name=name, content=PDF, content_type="application/pdf"
    )


@dataclass
class Stranger:
    user: User
    subject: Subject
    record: CreditRecord
    case: Case


@pytest.fixture
def stranger(world: World) -> Stranger:
    user = User.objects.create_user("other_rep")
    user.groups.add(Group.objects.get(name="subject"))
    subject = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON, name="别家贸易有限公司", code=make_uscc(2)
    )
    subject.accounts.add(user)
    record = add_record(world, subject, 50)
    return Stranger(user, subject, record, file_objection(user, record))


@pytest.fixture
def rep_client(client: Client, world: World) -> Client:
    """A browser session signed in as the world's subject representative."""
    assert world.rep is not None
    client.force_login(world.rep)
    return client
