"""Fixtures of the inbox tests: the credit world, signed-in clients, filed cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.credit.factories import make_uscc
from tests.credit.processes import conftest as processes
from tests.credit.processes.conftest import World
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord, Subject

BACKEND = "django.contrib.auth.backends.ModelBackend"
# The credit process tests' fixtures, for the inbox tests too.
world = processes.world
frozen = processes.frozen


def signed_in(user: User) -> Client:
    """A browser of this user, in English so the tests read the msgids."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    return signed_in


def new_record(
    world: World, *, department: str = "SCJ", subject: Subject | None = None
) -> CreditRecord:
    """Another published record like the world's, of a department, on a subject."""
    assert world.record is not None
    record = CreditRecord.objects.get(pk=world.record.pk)
    serial = CreditRecord.objects.count() + 1
    record.pk = None
    record.source_department = world.departments[department]
    record.decision_number = f"示罚〔2026〕{serial}号"
    if subject is not None:
        record.subject = subject
    record.save()
    return record


def new_subject(world: World, name: str, serial: int) -> Subject:
    """A company the world's representative acts for."""
    subject = Subject.objects.create(
        kind=Subject.Kind.LEGAL_PERSON, name=name, code=make_uscc(100 + serial)
    )
    assert world.rep is not None
    subject.accounts.add(world.rep)
    return subject


def file_objection(world: World, record: CreditRecord | None = None) -> Case:
    """File an objection (a formal check for XYB.clerk) against a record."""
    assert world.rep is not None
    record = record or world.record
    assert record is not None
    data = {"record": record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=world.rep, kind="objection", data=data)


@pytest.fixture
def objections(world: World, frozen: Any) -> Callable[..., list[Case]]:
    """File n objections, each on a new record (one open objection per record)."""

    def make(n: int, **record: Any) -> list[Case]:
        return [file_objection(world, new_record(world, **record)) for _ in range(n)]

    return make
