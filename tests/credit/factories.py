"""factory_boy factories for the credit domain, with valid identifiers."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory

from workflows.credit.identifiers import (
    USCC_CHARSET,
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from workflows.credit.models import (
    Case,
    CreditRecord,
    Department,
    Jurisdiction,
    ListEntry,
    Measure,
    Regime,
    Subject,
)


def make_uscc(serial: int, *, prefix: str = "91350100") -> str:
    """Build a valid credit code whose organisation code encodes ``serial``."""
    body = ""
    for _ in range(8):
        serial, digit = divmod(serial, len(USCC_CHARSET))
        body = USCC_CHARSET[digit] + body
    first17 = prefix + body + organisation_code_check_character(body)
    return first17 + uscc_check_character(first17)


def make_resident_id(serial: int, *, birth: str = "19800101") -> str:
    """Build a valid resident ID number with ``serial`` as its sequence code."""
    first17 = f"110105{birth}{serial % 1000:03d}"
    return first17 + resident_id_check_character(first17)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = Sequence(lambda n: f"credit-user-{n}")


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"D{n:03d}")
    name = Sequence(lambda n: f"测试局{n}")
    name_en = Sequence(lambda n: f"Test bureau {n}")
    is_source = True
    jurisdiction = Jurisdiction.NATIONAL


class SubjectFactory(DjangoModelFactory[Subject]):
    class Meta:
        model = Subject

    kind = Subject.Kind.LEGAL_PERSON
    name = Sequence(lambda n: f"测试有限公司{n}")
    code = Sequence(lambda n: make_uscc(n + 1))
    legal_representative = "张三"


class CreditRecordFactory(DjangoModelFactory[CreditRecord]):
    class Meta:
        model = CreditRecord

    subject = SubFactory(SubjectFactory)
    source_department = SubFactory(DepartmentFactory)
    category = CreditRecord.Category.ADMINISTRATIVE_PENALTY
    scale = CreditRecord.Scale.NATIONAL_2025
    grade = CreditRecord.Grade.GENERAL
    regime = Regime.NDRC_2025_36
    jurisdiction = Jurisdiction.NATIONAL
    decision_number = Sequence(lambda n: f"测罚决字-2026-{n}")
    decision_date = dt.date(2026, 1, 5)


class ListEntryFactory(DjangoModelFactory[ListEntry]):
    class Meta:
        model = ListEntry

    list_type = ListEntry.ListType.SERIOUS_DISHONESTY
    subject = SubFactory(SubjectFactory)
    deciding_department = SubFactory(DepartmentFactory)
    basis = "国办发2020年第49号 第六项"


class MeasureFactory(DjangoModelFactory[Measure]):
    class Meta:
        model = Measure

    code = Sequence(lambda n: f"M{n:03d}")
    name = Sequence(lambda n: f"限制措施{n}")
    kind = Measure.Kind.MANDATORY
    implementing_department = SubFactory(DepartmentFactory, is_implementing=True)
    list_types = ",serious_dishonesty,"
    legal_basis = "《失信惩戒措施清单》"


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case

    case_type = Case.Type.REPAIR
    number = Sequence(lambda n: f"XF-2026-{n + 1:06d}")
    applicant = SubFactory(UserFactory)
    subject = SubFactory(SubjectFactory)
    regime = Regime.NDRC_2025_36
    jurisdiction = Jurisdiction.NATIONAL
