"""Seed the credit-check benchmark: subjects, records, lists, measures, officers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from webapp.api.tokens import api_token_create
from workflows.credit import identifiers
from workflows.credit.models import (
    CreditRecord,
    Department,
    ListEntry,
    Measure,
    Membership,
    Subject,
)


@dataclass
class Seeded:
    """What the clients need: their tokens and the codes they check."""

    tokens: list[str]
    codes: list[str]


def _uscc(serial: int) -> str:
    body = ""
    for _ in range(8):
        serial, digit = divmod(serial, len(identifiers.USCC_CHARSET))
        body = identifiers.USCC_CHARSET[digit] + body
    first17 = "91320582" + body + identifiers.organisation_code_check_character(body)
    return first17 + identifiers.uscc_check_character(first17)


def _departments() -> tuple[Department, Department]:
    Department.objects.create(
        code="XYB", name="信用办", jurisdiction="national", is_credit_office=True
    )
    source = Department.objects.create(
        code="SCJ", name="市场监管局", jurisdiction="national", is_source=True
    )
    implementing = Department.objects.create(
        code="RSJ", name="人社局", jurisdiction="national", is_implementing=True
    )
    for n, list_type in enumerate(("serious_dishonesty", "key_attention", "red")):
        Measure.objects.create(
            code=f"RSJ-{n:02d}",
            name=f"措施 {n}",
            kind=Measure.Kind.MANDATORY,
            implementing_department=implementing,
            list_types=Measure.encode_list_types([list_type]),
            legal_basis="国办发〔2020〕49号",
        )
    return source, implementing


def seed(subjects: int, clients: int) -> Seeded:
    """Seed subjects (a third listed, some red-listed) and one officer per client."""
    source, implementing = _departments()
    today = timezone.localdate()
    people = Subject.objects.bulk_create(
        Subject(kind=Subject.Kind.LEGAL_PERSON, name=f"基准公司{i}", code=_uscc(i + 1))
        for i in range(subjects)
    )
    records = CreditRecord.objects.bulk_create(
        CreditRecord(
            subject=subject,
            source_department=source,
            category=CreditRecord.Category.ADMINISTRATIVE_PENALTY,
            grade=CreditRecord.Grade.GENERAL,
            regime="ndrc_2025_36",
            jurisdiction="national",
            decision_number=f"基准罚〔2026〕{i}号",
            decision_date=today - dt.timedelta(days=30),
            status=CreditRecord.Status.UNDER_OBJECTION
            if i % 7 == 0
            else CreditRecord.Status.PUBLISHED,
        )
        for i, subject in enumerate(people)
    )
    ListEntry.objects.bulk_create(
        ListEntry(
            list_type="red" if i % 9 == 0 else "serious_dishonesty",
            subject=record.subject,
            deciding_department=source,
            decision_number=f"基准列〔2026〕{i}号",
            basis="基准",
            valid_from=today - dt.timedelta(days=10),
            valid_to=today + dt.timedelta(days=355),
            status=ListEntry.Status.LISTED,
            record=None if i % 9 == 0 else record,
        )
        for i, record in enumerate(records)
        if i % 3 == 0
    )
    tokens = []
    for n in range(clients):
        user = User.objects.create_user(f"bench_officer_{n}")
        Membership.objects.create(user=user, department=implementing, role="officer")
        tokens.append(api_token_create(actor=None, user=user, name="bench").secret)
    return Seeded(tokens=tokens, codes=[s.code for s in people])
