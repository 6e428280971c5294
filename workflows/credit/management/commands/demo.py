"""``manage.py demo``: the demo city of issue 3, section 5 (refused if DEBUG is off).

Whatever is already there is left alone, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from argparse import ArgumentParser
from collections import Counter
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from audit.context import bind
from audit.services import record
from workflows import roles
from workflows.credit import identifiers
from workflows.credit.models import (
    CreditRecord,
    Department,
    ListEntry,
    Measure,
    Regime,
    Subject,
)
from workflows.credit.models.common import regime_in_force
from workflows.credit.policies import POLICY_IDS
from workflows.credit.services.departments import department_create, membership_grant
from workflows.credit.services.records import add_months, credit_record_publish
from workflows.engine.parsing import SourceFile
from workflows.models import DecisionDefinition
from workflows.services.deploy import definition_deploy

# A demo password, announced on the console; never a production credential.
DEFAULT_PASSWORD: Final = "Demo-2026!"  # noqa: S105
JURISDICTION: Final = "national"
BOTH: Final = {"is_source": True, "is_implementing": True}
DEPARTMENTS: Final = (
    ("XYB", "市信用办", "Credit office", {"is_credit_office": True}),
    ("SCJ", "市场监管局", "Market supervision bureau", BOTH),
    ("SWJ", "税务局", "Tax bureau", BOTH),
    ("RSJ", "人社局", "Human resources bureau", {"is_implementing": True}),
    ("HJJ", "生态环境局", "Ecology and environment bureau", {"is_source": True}),
)
# username -> (department code and role, or a runtime role group; what they do)
USERS: Final = (
    ("subject_a", roles.SUBJECT, "企业甲代表 Representative of company A"),
    ("subject_b", roles.SUBJECT, "企业乙代表 Representative of company B"),
    ("citizen_c", roles.SUBJECT, "自然人丙 Citizen C"),
    ("office_clerk", "XYB.clerk", "信用办经办人 Credit office clerk"),
    ("scj_reviewer", "SCJ.reviewer", "市场监管局经办人 Reviewer"),
    ("scj_chief", "SCJ.section_chief", "市场监管局科室负责人 Section chief"),
    ("scj_head", "SCJ.head", "市场监管局负责人 Head"),
    ("sw_reviewer", "SWJ.reviewer", "税务局经办人 Reviewer"),
    ("sw_chief", "SWJ.section_chief", "税务局科室负责人 Section chief"),
    ("sw_head", "SWJ.head", "税务局负责人 Head"),
    ("rsj_officer", "RSJ.officer", "人社局实施经办人 Implementing officer"),
    ("auditor", roles.AUDITOR, "审计监察 Auditor"),
    ("process_admin", roles.PROCESS_ADMIN, "流程管理员 Process administrator"),
)


def _uscc(body: str) -> str:
    """A Zhangjiagang enterprise's credit code around an 8-character body."""
    first17 = "91320582" + body + identifiers.organisation_code_check_character(body)
    return first17 + identifiers.uscc_check_character(first17)


def _resident_id(first17: str) -> str:
    return first17 + identifiers.resident_id_check_character(first17)


# key, kind, name, legal representative ("-" for none), account
SUBJECTS: Final = (
    "A legal_person 华信科技有限公司 王建国 subject_a",
    "B legal_person 江南建材有限公司 陈秀英 subject_b",
    "C natural_person 刘晓明 - citizen_c",
)
CODES: Final = {
    "A": _uscc("MA1MTK2N"),
    "B": _uscc("MA1P8HG9"),
    "C": _resident_id("32058219850612123"),
}
CATEGORIES: Final = {
    "penalty": CreditRecord.Category.ADMINISTRATIVE_PENALTY,
    "licence": CreditRecord.Category.ADMINISTRATIVE_LICENCE,
    "abnormal": CreditRecord.Category.ABNORMAL_OPERATION,
}
# subject, department, category, grade ("-" for none), decided (days ago, a date, or
# "entry": before the serious entry below), decision number, facts
RECORDS: Final = (
    "A SWJ penalty minor 20 张税简罚〔2026〕55号 逾期申报已改正",
    "A SCJ licence - 10 张市监许〔2026〕230号 食品经营许可",
    "B SCJ penalty general 150 张市监罚〔2026〕101号 未按规定公示年度报告",
    "B SCJ abnormal general 30 张市监异〔2026〕8号 通过登记的住所无法联系",
    "B HJJ penalty serious 60 张环罚〔2026〕17号 超标排放污染物",
    "B SCJ penalty major 2026-03-10 张市监罚〔2026〕42号 虚假宣传",
    "B SWJ penalty serious entry 张税罚〔2023〕301号 虚开增值税专用发票",
    "C SWJ penalty general 45 张税罚〔2026〕402号 个人所得税未申报",
)
ENTRY_BASIS: Final = "张税罚〔2023〕301号"


def _listed_from(today: dt.date) -> dt.date:
    """Start of the serious entry's 36 months, so that it ends in five days."""
    return add_months(today + dt.timedelta(days=5), -36)


def _decided(when: str, today: dt.date) -> dt.date:
    if when == "entry":
        return _listed_from(today) - dt.timedelta(days=60)
    if "-" in when:
        return dt.date.fromisoformat(when)
    return today - dt.timedelta(days=int(when))


# code, implementing department, kind, list types, name
MEASURES: Final = (
    "SCJ-M01 SCJ mandatory serious_dishonesty 限制担任法定代表人或高管",
    "SCJ-M02 SCJ mandatory serious_dishonesty 限制参与政府采购",
    "SCJ-R01 SCJ recommended serious_dishonesty,key_attention 提高双随机抽查比例",
    "SCJ-R02 SCJ recommended red 减少抽查频次",
    "SWJ-M01 SWJ mandatory serious_dishonesty 限制领用增值税专用发票",
    "SWJ-M02 SWJ mandatory serious_dishonesty 纳税信用直接判为D级",
    "SWJ-R01 SWJ recommended key_attention 列为纳税评估重点",
    "SWJ-R02 SWJ recommended red 办税绿色通道",
    "RSJ-M01 RSJ mandatory serious_dishonesty 限制参评表彰奖励",
    "RSJ-M02 RSJ mandatory serious_dishonesty 限制申领就业创业补贴",
    "RSJ-R01 RSJ recommended serious_dishonesty,key_attention 加强社保稽核",
    "RSJ-R02 RSJ recommended red 容缺受理",
)
MEASURE_BASIS: Final = "《全国失信惩戒措施基础清单》及守信激励措施清单"


class Command(BaseCommand):
    help = "Load the demo city: departments, people, records, a list entry, measures."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help="even if DEBUG is off")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("demo data is refused when DEBUG is off (use --force)")
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
        self.created: Counter[str] = Counter()
        with bind(via="cli"), transaction.atomic():
            self._policies()
            departments = {row[0]: self._department(*row) for row in DEPARTMENTS}
            self._people(departments, password)
            subjects = dict(self._subject(line) for line in SUBJECTS)
            self._records(departments, subjects)
            self._serious_entry(departments["SWJ"], subjects["B"])
            self._measures(departments)
            if +self.created:  # unary plus drops the kinds nothing was added to
                record(
                    action="demo.load",
                    actor=None,
                    system="demo",
                    target_type="demo",
                    target_id="demo",
                    detail=dict(+self.created),
                )
        self._report(password)

    def _policies(self) -> None:
        deployed = DecisionDefinition.objects.filter(decision_id__in=POLICY_IDS)
        missing = set(POLICY_IDS) - set(deployed.values_list("decision_id", flat=True))
        folder = Path(settings.BPMN_DIR)
        paths = [folder / f"{name}.dmn" for name in sorted(missing)]
        if paths:
            files = [SourceFile(path.name, path.read_bytes()) for path in paths]
            definition_deploy(actor=None, files=files)
            self.created["policies"] += len(files)

    def _department(
        self, code: str, name: str, name_en: str, kinds: dict[str, bool]
    ) -> Department:
        if found := Department.objects.filter(code=code).first():
            return found
        self.created["departments"] += 1
        return department_create(
            actor=None,
            code=code,
            name=name,
            name_en=name_en,
            jurisdiction=JURISDICTION,
            **kinds,
        )

    def _people(self, departments: dict[str, Department], password: str) -> None:
        self._user("admin", password, superuser=True)
        for username, role, _label in USERS:
            user = self._user(username, password)
            code, _dot, department_role = role.partition(".")
            if department_role:
                department = departments[code]
                membership_grant(
                    actor=None, user=user, department=department, role=department_role
                )
            elif not user.groups.filter(name=role).exists():
                user.groups.add(Group.objects.get(name=role))

    def _user(self, username: str, password: str, *, superuser: bool = False) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_superuser": superuser, "is_staff": superuser},
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            self.created["users"] += int(created)
        return user

    def _subject(self, line: str) -> tuple[str, Subject]:
        key, kind, name, representative, account = line.split()
        subject = Subject.objects.filter(code=CODES[key]).first()
        if subject is None:
            subject = Subject(kind=kind, name=name, code=CODES[key])
            subject.legal_representative = representative.strip("-")
            subject.full_clean()
            subject.save()
            self.created["subjects"] += 1
        subject.accounts.add(User.objects.get(username=account))
        return key, subject

    def _records(
        self, departments: dict[str, Department], subjects: dict[str, Subject]
    ) -> None:
        today = timezone.localdate()
        for line in RECORDS:
            key, code, category, grade, when, number, facts = line.split()
            subject, department = subjects[key], departments[code]
            known = CreditRecord.objects.filter(subject=subject, decision_number=number)
            if known.exists():
                continue
            decided = _decided(when, today)
            regime = regime_in_force(decided)
            credit_record_publish(
                actor=None,
                subject=subject,
                source_department=department,
                category=CATEGORIES[category],
                grade="" if grade == "-" else grade,
                scale="national_2025" if regime == Regime.NDRC_2025_36 else "legacy",
                regime=regime,
                jurisdiction=JURISDICTION,
                decision_number=number,
                decision_date=decided,
                content={"facts": facts},
            )
            self.created["records"] += 1

    def _serious_entry(self, department: Department, subject: Subject) -> None:
        basis = CreditRecord.objects.get(subject=subject, decision_number=ENTRY_BASIS)
        valid_from = _listed_from(timezone.localdate())
        _entry, created = ListEntry.objects.get_or_create(
            list_type=ListEntry.ListType.SERIOUS_DISHONESTY,
            record=basis,
            defaults={
                "subject": subject,
                "deciding_department": department,
                "decision_number": "张税列决〔2023〕3号",
                "basis": "国办发〔2020〕49号（六）拒不履行法定义务 虚开增值税专用发票",
                "valid_from": valid_from,
                "valid_to": add_months(valid_from, 36),
                "status": ListEntry.Status.LISTED,
            },
        )
        self.created["list_entries"] += int(created)

    def _measures(self, departments: dict[str, Department]) -> None:
        for line in MEASURES:
            code, department, kind, list_types, name = line.split(maxsplit=4)
            _measure, created = Measure.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "implementing_department": departments[department],
                    "list_types": Measure.encode_list_types(list_types.split(",")),
                    "legal_basis": MEASURE_BASIS,
                },
            )
            self.created["measures"] += int(created)

    def _report(self, password: str) -> None:
        self.stdout.write(f"Demo logins (password for all: {password}):")
        self.stdout.write(f"  {'admin':<14} 系统管理员 Superuser (admin site)")
        for username, _role, label in USERS:
            self.stdout.write(f"  {username:<14} {label}")
        loaded = ", ".join(f"{n} {what}" for what, n in sorted((+self.created).items()))
        self.stdout.write(f"Loaded: {loaded or 'nothing new, all there already'}.")
