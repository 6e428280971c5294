"""Invariants the database itself enforces, whatever code writes the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.credit.factories import (
    CaseFactory,
    CreditRecordFactory,
    DepartmentFactory,
    ListEntryFactory,
    MeasureFactory,
    UserFactory,
)
from workflows.credit.models import (
    Attachment,
    Case,
    CreditRecord,
    Document,
    ListEntry,
    MeasureApplication,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@contextmanager
def _refused() -> Iterator[None]:
    """Expect an IntegrityError, in a savepoint so the test can go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


class TestMeasureApplication:
    def _application(self, **fields) -> MeasureApplication:
        measure = MeasureFactory.create()
        return MeasureApplication.objects.create(
            list_entry=ListEntryFactory.create(),
            measure=measure,
            implementing_department=measure.implementing_department,
            **fields,
        )

    def test_not_applied_without_a_reason_is_refused_by_the_database(self):
        with _refused():
            self._application(status="not_applied", decided_at=NOW, reason="")

    def test_a_reason_of_only_spaces_is_no_reason(self):
        with _refused():
            self._application(status="not_applied", decided_at=NOW, reason="  ")
        with _refused():
            self._application(
                status="not_applied", decided_at=NOW, reason=" \t\r\n\u3000 "
            )

    def test_not_applied_with_a_reason_is_stored(self):
        application = self._application(
            status="not_applied", decided_at=NOW, reason="该主体不在本部门管辖范围"
        )
        assert application.status == MeasureApplication.Status.NOT_APPLIED

    def test_applied_needs_no_reason(self):
        self._application(status="applied", decided_at=NOW)

    def test_a_decision_needs_its_time_and_pending_has_none(self):
        with _refused():
            self._application(status="applied")
        with _refused():
            self._application(status="pending", decided_at=NOW)

    def test_only_an_applied_measure_can_be_lifted(self):
        with _refused():
            self._application(status="pending", lifted_at=NOW)


class TestCreditRecord:
    @pytest.mark.parametrize(
        ("scale", "grade"), [("legacy", "minor"), ("national_2025", "major")]
    )
    def test_a_grade_must_exist_on_its_scale(self, scale, grade):
        with _refused():
            CreditRecordFactory.create(scale=scale, grade=grade)

    def test_the_legacy_scale_knows_major(self):
        record = CreditRecordFactory.create(scale="legacy", grade="major")
        assert record.get_grade_display() == "较重 Major"

    def test_licences_are_not_graded_and_dishonesty_records_are(self):
        with _refused():
            CreditRecordFactory.create(category="administrative_licence")
        with _refused():
            CreditRecordFactory.create(grade="")
        CreditRecordFactory.create(category="administrative_licence", grade="")

    def test_repair_cannot_come_after_the_end_of_publication(self):
        with _refused():
            CreditRecordFactory.create(
                earliest_repair_date=dt.date(2027, 1, 6),
                publication_end_date=dt.date(2026, 4, 5),
            )

    def test_the_same_decision_on_the_same_subject_is_one_record(self):
        record = CreditRecordFactory.create()
        with _refused():
            CreditRecordFactory.create(
                subject=record.subject,
                source_department=record.source_department,
                decision_number=record.decision_number,
            )


class TestListEntry:
    def test_an_exit_needs_a_reason_and_a_time(self):
        with _refused():
            ListEntryFactory.create(
                status="exited", valid_from=dt.date(2026, 1, 1), exited_at=NOW
            )
        with _refused():
            ListEntryFactory.create(
                status="exited", valid_from=dt.date(2026, 1, 1), exit_reason="expiry"
            )

    def test_a_live_entry_has_no_exit_reason(self):
        with _refused():
            ListEntryFactory.create(status="proposed", exit_reason="repair")

    def test_validity_cannot_end_before_it_starts(self):
        with _refused():
            ListEntryFactory.create(
                valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 2, 1)
            )

    def test_a_listed_entry_has_a_start_date(self):
        with _refused():
            ListEntryFactory.create(status="listed")

    def test_one_live_entry_per_record_and_list_type(self):
        record = CreditRecordFactory.create()
        first = ListEntryFactory.create(record=record, subject=record.subject)
        with _refused():
            ListEntryFactory.create(record=record, subject=record.subject)
        first.status = ListEntry.Status.REVOKED
        first.save()
        ListEntryFactory.create(record=record, subject=record.subject)


class TestCase:
    def test_a_case_targets_a_record_or_a_list_entry_not_both(self):
        record = CreditRecordFactory.create()
        with _refused():
            CaseFactory.create(
                target_record=record, target_list_entry=ListEntryFactory.create()
            )

    def test_an_agent_needs_a_power_of_attorney_once_submitted(self):
        case = CaseFactory.create(agent=UserFactory.create())
        case.status = Case.Status.SUBMITTED
        with _refused():
            case.save()
        case.power_of_attorney = Attachment.objects.create(
            case=case,
            kind="power_of_attorney",
            original_name="授权委托书.pdf",
            stored_name="a" * 32,
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
        case.save()

    def test_the_applicant_cannot_be_their_own_agent(self):
        user = UserFactory.create()
        with _refused():
            CaseFactory.create(applicant=user, agent=user)

    def test_a_submitted_objection_states_its_grounds(self):
        with _refused():
            CaseFactory.create(case_type="objection", status="submitted")
        CaseFactory.create(
            case_type="objection", status="submitted", grounds="record_wrong"
        )

    def test_grounds_belong_to_objections_only(self):
        with _refused():
            CaseFactory.create(case_type="repair", grounds="record_wrong")

    def test_a_decided_objection_is_appealed_once(self):
        objection = CaseFactory.create(
            case_type="objection",
            status="decided",
            grounds="record_wrong",
            decided_at=NOW,
        )
        CaseFactory.create(case_type="appeal", appeal_of=objection, status="submitted")
        with _refused():
            CaseFactory.create(
                case_type="appeal", appeal_of=objection, status="submitted"
            )
        CaseFactory.create(case_type="appeal", appeal_of=objection, status="draft")

    def test_decided_and_closed_cases_carry_their_times(self):
        with _refused():
            CaseFactory.create(status="decided")
        with _refused():
            CaseFactory.create(status="closed")


class TestDocument:
    def _document(self, **fields) -> Document:
        return Document.objects.create(
            case=CaseFactory.create(),
            kind="acceptance",
            issuing_department=DepartmentFactory.create(),
            **fields,
        )

    def test_an_issued_document_has_a_number_and_a_date(self):
        with _refused():
            self._document(status="issued", issued_at=timezone.now())
        self._document(status="issued", issued_at=NOW, number="SCJ-2026-1")

    def test_a_superseded_document_names_its_successor(self):
        with _refused():
            self._document(status="superseded", number="A1", issued_at=NOW)
        newer = self._document()
        with _refused():
            self._document(status="pending", superseded_by=newer)

    def test_document_numbers_are_unique(self):
        self._document(status="issued", issued_at=NOW, number="A1")
        with _refused():
            self._document(status="issued", issued_at=NOW, number="A1")


def test_a_department_has_at_least_one_kind():
    with _refused():
        DepartmentFactory.create(is_source=False)


def test_an_attachment_over_20_mib_is_refused_by_the_database():
    with _refused():
        Attachment.objects.create(
            case=CaseFactory.create(),
            kind="evidence",
            original_name="big.bin",
            stored_name="b" * 32,
            content_type="application/octet-stream",
            size=20 * 1024 * 1024 + 1,
            sha256="0" * 64,
        )


def test_record_corrections_keep_before_and_after():
    record = CreditRecordFactory.create(content={"amount": 5000})
    correction = record.corrections.create(
        before={"amount": 5000}, after={"amount": 500}, reason="金额录入错误"
    )
    assert list(CreditRecord.objects.get(pk=record.pk).corrections.all()) == [
        correction
    ]
