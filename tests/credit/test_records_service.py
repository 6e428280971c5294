"""credit_record_publish: validation, dates from the policies, audit, red list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from audit.models import AuditEvent
from tests.credit.factories import (
    DepartmentFactory,
    ListEntryFactory,
    SubjectFactory,
    UserFactory,
)
from workflows.credit.models import CreditRecord, Department, ListEntry, Subject
from workflows.credit.policies import POLICY_IDS
from workflows.credit.services.departments import membership_grant
from workflows.credit.services.records import (
    add_months,
    credit_record_publish,
    record_list_for_subject,
)
from workflows.engine.parsing import SourceFile
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError
from workflows.services.deploy import definition_deploy

pytestmark = pytest.mark.django_db
POLICY_DIR = Path(settings.BPMN_DIR)


def _policy(policy_id: str, text: str | None = None) -> SourceFile:
    body = text or (POLICY_DIR / f"{policy_id}.dmn").read_text(encoding="utf-8")
    return SourceFile(f"{policy_id}.dmn", body.encode("utf-8"))


@pytest.fixture
def admin() -> User:
    return User.objects.create_superuser("records_admin")


@pytest.fixture(autouse=True)
def _policies(admin: User) -> None:
    definition_deploy(actor=admin, files=[_policy(p) for p in POLICY_IDS])


@pytest.fixture
def scj() -> Department:
    return DepartmentFactory.create(code="SCJ", name="市场监管局", is_source=True)


@pytest.fixture
def subject() -> Subject:
    return SubjectFactory.create()


def _publish(scj: Department, subject: Subject, **changes: Any) -> CreditRecord:
    values: dict[str, Any] = {
        "actor": None,
        "subject": subject,
        "source_department": scj,
        "category": CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        "grade": CreditRecord.Grade.GENERAL,
        "scale": CreditRecord.Scale.NATIONAL_2025,
        "regime": "ndrc_2025_36",
        "jurisdiction": "national",
        "decision_number": "市监罚〔2026〕1号",
        "decision_date": dt.date(2026, 1, 31),
        "content": {"facts": "未按期年报"},
        **changes,
    }
    return credit_record_publish(**values)


@pytest.mark.parametrize(
    ("grade", "repair", "end"),
    [
        ("general", dt.date(2026, 4, 30), dt.date(2027, 1, 31)),
        ("serious", dt.date(2027, 1, 31), dt.date(2029, 1, 31)),
    ],
)
def test_dates_come_from_the_publicity_and_repair_policies(
    scj: Department, subject: Subject, grade: str, repair: dt.date, end: dt.date
) -> None:
    published = _publish(scj, subject, grade=grade)
    published.refresh_from_db()
    assert published.earliest_repair_date == repair
    assert published.publication_end_date == end
    assert published.published_at is not None
    assert published.status == CreditRecord.Status.PUBLISHED
    event = AuditEvent.objects.get(action="credit_record.publish")
    assert event.detail["policies"] == ["publicity_period@1", "repair_rules@1"]
    assert event.after is not None
    assert event.after["grade"] == grade


def test_a_minor_record_is_kept_unpublished_for_at_most_three_months(
    scj: Department, subject: Subject
) -> None:
    minor = _publish(scj, subject, grade="minor")
    assert minor.published_at is None
    assert minor.earliest_repair_date == dt.date(2026, 1, 31)
    assert minor.publication_end_date == dt.date(2026, 4, 30)


def test_a_legacy_heavier_record_follows_the_older_regime(
    scj: Department, subject: Subject
) -> None:
    legacy = _publish(
        scj,
        subject,
        grade=CreditRecord.Grade.MAJOR,
        scale=CreditRecord.Scale.LEGACY,
        regime="ndrc_2019_527",
        decision_date=dt.date(2022, 8, 31),
    )
    assert legacy.earliest_repair_date == dt.date(2022, 11, 30)
    assert legacy.publication_end_date == dt.date(2023, 8, 31)


def test_a_licence_has_no_dishonesty_dates(scj: Department, subject: Subject) -> None:
    licence = _publish(
        scj,
        subject,
        category=CreditRecord.Category.ADMINISTRATIVE_LICENCE,
        grade="",
    )
    assert licence.earliest_repair_date is None
    assert licence.publication_end_date is None
    assert licence.published_at is not None


def test_a_new_table_version_counted_from_publication_moves_the_dates(
    admin: User, scj: Department, subject: Subject, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False)
    text = (POLICY_DIR / "publicity_period.dmn").read_text(encoding="utf-8")
    definition_deploy(
        actor=admin,
        files=[
            _policy("publicity_period", text.replace('"decision"', '"publication"'))
        ],
    )
    record = _publish(scj, subject)
    assert record.publication_end_date == dt.date(2027, 3, 2)
    assert record.earliest_repair_date == dt.date(2026, 6, 2)


def test_the_same_decision_is_published_once(scj: Department, subject: Subject) -> None:
    _publish(scj, subject)
    with pytest.raises(ConflictError):
        _publish(scj, subject)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"grade": "major"}, "grade"),
        ({"grade": "", "category": "administrative_penalty"}, "__all__"),
        ({"decision_date": dt.date(2099, 1, 1)}, "decision_date"),
        ({"regime": "ndrc_2019_527", "grade": "minor"}, "no rule"),
    ],
)
def test_invalid_records_are_refused_with_the_reason(
    scj: Department, subject: Subject, changes: dict[str, Any], problem: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        _publish(scj, subject, **changes)
    assert problem in str(refused.value)
    assert not CreditRecord.objects.exists()


def test_only_a_source_department_publishes(subject: Subject) -> None:
    office = DepartmentFactory.create(
        code="XYB", is_source=False, is_credit_office=True
    )
    with pytest.raises(InvalidInputError, match="not an active source department"):
        _publish(office, subject)


def test_only_the_departments_own_staff_publish(
    scj: Department, subject: Subject
) -> None:
    stranger = UserFactory.create(username="stranger")
    with pytest.raises(ForbiddenError):
        _publish(scj, subject, actor=stranger)
    reviewer = UserFactory.create(username="scj_reviewer")
    membership_grant(actor=None, user=reviewer, department=scj, role="reviewer")
    record = _publish(scj, subject, actor=User.objects.get(pk=reviewer.pk))
    event = AuditEvent.objects.get(action="credit_record.publish")
    assert event.target_id == str(record.pk)


def test_a_general_record_ends_a_red_entry_no_process_watches(
    scj: Department, subject: Subject
) -> None:
    entry = ListEntryFactory.create(
        list_type=ListEntry.ListType.RED,
        subject=subject,
        deciding_department=scj,
        status=ListEntry.Status.LISTED,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2028, 1, 1),
    )
    _publish(scj, subject, grade="minor", decision_number="市监罚〔2026〕2号")
    entry.refresh_from_db()
    assert entry.status == ListEntry.Status.LISTED
    _publish(scj, subject, grade="general")
    entry.refresh_from_db()
    assert entry.status == ListEntry.Status.EXITED
    assert entry.exit_reason == ListEntry.ExitReason.NEW_DISHONESTY_RECORD
    assert entry.exited_at is not None
    assert entry.exited_at <= timezone.now()


def test_a_subjects_visible_records_are_listed_newest_first(
    scj: Department, subject: Subject
) -> None:
    older = _publish(
        scj, subject, decision_number="A", decision_date=dt.date(2026, 1, 5)
    )
    newer = _publish(
        scj, subject, decision_number="B", decision_date=dt.date(2026, 2, 5)
    )
    assert list(record_list_for_subject(subject=subject)) == [newer, older]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),
        (dt.date(2026, 6, 23), 36, dt.date(2029, 6, 23)),
    ],
)
def test_months_are_added_by_the_calendar(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected
