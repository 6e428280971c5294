"""Model behaviour: subject code checks and masking, query helpers, selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.credit.factories import (
    CaseFactory,
    CreditRecordFactory,
    DepartmentFactory,
    ListEntryFactory,
    MeasureFactory,
    SubjectFactory,
    UserFactory,
    make_resident_id,
)
from workflows.credit.identifiers import (
    organisation_code_check_character,
    uscc_check_character,
)
from workflows.credit.models import (
    Case,
    CaseDeadline,
    CreditRecord,
    Department,
    ListEntry,
    Measure,
    Subject,
)
from workflows.credit.selectors.departments import (
    department_get,
    department_list,
    membership_list_for_user,
)
from workflows.credit.selectors.subjects import (
    subject_get_by_code,
    subject_list_for_account,
)
from workflows.errors import NotFoundError

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


class TestSubject:
    def test_an_organisation_must_carry_a_valid_credit_code(self):
        subject = SubjectFactory.build(code="91350100M000100Y4Z")
        with pytest.raises(ValidationError) as raised:
            subject.full_clean()
        assert "第18位校验码应为 3" in raised.value.message_dict["code"][0]

    def test_a_person_must_carry_a_valid_resident_id(self):
        subject = SubjectFactory.build(
            kind=Subject.Kind.NATURAL_PERSON,
            code="91350100M000100Y43",
            legal_representative="",
        )
        with pytest.raises(ValidationError) as raised:
            subject.full_clean()
        assert "居民身份证号码" in raised.value.message_dict["code"][0]

    def test_a_person_shows_a_masked_code_and_an_organisation_the_full_code(self):
        person = SubjectFactory.create(
            kind=Subject.Kind.NATURAL_PERSON,
            name="李四",
            code="11010519491231002X",
            legal_representative="",
        )
        person.full_clean()
        company = SubjectFactory.create(code="91350100M000100Y43")
        assert person.masked_code == "110105********002X"
        assert str(person) == "李四 (110105********002X)"
        assert company.masked_code == "91350100M000100Y43"

    def test_an_all_digit_credit_code_of_a_company_is_not_masked(self):
        first17 = "9135010012345678"
        first17 += organisation_code_check_character(first17[8:16])
        code = first17 + uscc_check_character(first17)
        company = SubjectFactory.build(code=code)
        company.full_clean()
        assert company.masked_code == code

    def test_lists_subjects_a_user_may_act_for(self):
        representative = UserFactory.create()
        mine = SubjectFactory.create(name="甲公司")
        SubjectFactory.create(name="乙公司")
        mine.accounts.add(representative)
        assert list(subject_list_for_account(user=representative)) == [mine]

    def test_finds_a_subject_by_a_code_typed_with_spaces_and_lower_case(self):
        subject = SubjectFactory.create(code="91350100M000100Y43")
        assert subject_get_by_code(code=" 91350100 m000100y43") == subject
        with pytest.raises(NotFoundError):
            subject_get_by_code(code=make_resident_id(7))


class TestQueries:
    def test_records_become_repairable_on_their_earliest_repair_date(self):
        due = CreditRecordFactory.create(earliest_repair_date=TODAY)
        CreditRecordFactory.create(earliest_repair_date=TODAY + dt.timedelta(days=1))
        CreditRecordFactory.create(
            earliest_repair_date=TODAY, status=CreditRecord.Status.PUBLICATION_STOPPED
        )
        assert list(CreditRecord.objects.repairable_on(TODAY)) == [due]

    def test_records_past_their_publication_end_are_found_for_stopping(self):
        ended = CreditRecordFactory.create(
            publication_end_date=TODAY - dt.timedelta(days=1)
        )
        CreditRecordFactory.create(publication_end_date=TODAY)
        assert list(CreditRecord.objects.publication_ended(TODAY)) == [ended]

    def test_a_list_entry_is_in_force_from_its_first_to_its_last_day(self):
        entry = ListEntryFactory.create(
            status=ListEntry.Status.LISTED,
            valid_from=dt.date(2026, 1, 1),
            valid_to=TODAY,
        )
        assert list(ListEntry.objects.in_force_on(TODAY)) == [entry]
        assert not ListEntry.objects.in_force_on(dt.date(2025, 12, 31)).exists()
        next_day = TODAY + dt.timedelta(days=1)
        assert list(ListEntry.objects.expired_before(next_day)) == [entry]
        assert not ListEntry.objects.expired_before(TODAY).exists()

    def test_measures_are_found_by_the_list_types_they_apply_to(self):
        both = MeasureFactory.create(
            list_types=Measure.encode_list_types(
                ["key_attention", "serious_dishonesty"]
            )
        )
        red = MeasureFactory.create(list_types=",red,")
        assert list(Measure.objects.for_list_type("serious_dishonesty")) == [both]
        assert list(Measure.objects.for_list_type("red")) == [red]
        assert both.list_type_set == {"key_attention", "serious_dishonesty"}

    def test_a_measure_refuses_unknown_list_types(self):
        measure = MeasureFactory.build(
            list_types=",blacklist,",
            implementing_department=DepartmentFactory.create(),
        )
        with pytest.raises(ValidationError) as raised:
            measure.full_clean()
        assert "list_types" in raised.value.message_dict

    def test_overdue_deadlines_are_the_unmet_ones_past_due(self):
        case = CaseFactory.create()
        now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        late = case.deadlines.create(
            kind="verify", due_at=now - dt.timedelta(hours=1), provisional=True
        )
        case.deadlines.create(
            kind="formal_check", due_at=now - dt.timedelta(days=1), met_at=now
        )
        case.deadlines.create(kind="supplement", due_at=now + dt.timedelta(days=1))
        assert list(CaseDeadline.objects.overdue(now)) == [late]
        assert str(late).endswith("(provisional)")

    def test_open_objections_on_a_record_are_found(self):
        record = CreditRecordFactory.create()
        objection = CaseFactory.create(
            case_type="objection",
            status="accepted",
            grounds="record_wrong",
            target_record=record,
            number="YY-2026-000001",
        )
        CaseFactory.create(
            case_type="objection",
            status="closed",
            grounds="record_wrong",
            target_record=record,
            closed_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            number="YY-2026-000002",
        )
        assert list(Case.objects.open_objections_on(record)) == [objection]


class TestDepartmentSelectors:
    def test_gets_a_department_by_code_or_says_not_found(self):
        department = DepartmentFactory.create(code="SW")
        assert department_get(code="SW") == department
        with pytest.raises(NotFoundError):
            department_get(code="NOPE")

    def test_lists_active_departments_of_one_kind(self):
        implementing = DepartmentFactory.create(code="RSJ", is_implementing=True)
        DepartmentFactory.create(code="OLD", is_implementing=True, active=False)
        DepartmentFactory.create(code="SW")
        assert list(department_list(kind="implementing")) == [implementing]
        assert {d.code for d in department_list(include_inactive=True)} == {
            "RSJ",
            "OLD",
            "SW",
        }
        with pytest.raises(ValueError, match="unknown department kind"):
            department_list(kind="auditor")

    def test_lists_a_users_roles_in_active_departments(self):
        user = UserFactory.create()
        active = DepartmentFactory.create(code="SW")
        inactive = DepartmentFactory.create(code="OLD", active=False)
        active.memberships.create(user=user, role="reviewer")
        inactive.memberships.create(user=user, role="head")
        memberships = list(membership_list_for_user(user=user))
        assert [m.group_name for m in memberships] == ["SW.reviewer"]
        assert isinstance(memberships[0].department, Department)
