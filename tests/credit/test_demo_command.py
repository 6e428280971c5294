"""manage.py demo: what it loads, that it loads it once, and when it refuses."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from audit.models import AuditEvent
from workflows.credit.management.commands.demo import USERS
from workflows.credit.models import (
    CreditRecord,
    Department,
    ListEntry,
    Measure,
    Membership,
    Subject,
)
from workflows.engine.parsing import SourceFile
from workflows.models import DecisionDefinition, HumanTask
from workflows.services.deploy import definition_deploy
from workflows.services.tasks import task_claim

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
USERNAMES = ["admin", *(username for username, _role, _label in USERS)]


@pytest.fixture(autouse=True)
def _debug_on_a_known_day(settings: Any, time_machine: Any) -> None:
    settings.DEBUG = True
    # Hashing 14 passwords with the production hasher takes seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    start = dt.datetime(2026, 11, 23, 10, tzinfo=timezone.get_default_timezone())
    time_machine.move_to(start, tick=False)


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, Any]:
    return {
        "users": User.objects.count(),
        "passwords": sorted(User.objects.values_list("password", flat=True)),
        "groups": User.groups.through.objects.count(),
        "departments": Department.objects.count(),
        "memberships": Membership.objects.count(),
        "subjects": Subject.objects.count(),
        "accounts": Subject.accounts.through.objects.count(),
        "records": CreditRecord.objects.count(),
        "entries": ListEntry.objects.count(),
        "measures": Measure.objects.count(),
        "policies": DecisionDefinition.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_the_demo_loads_the_departments_people_and_catalogue() -> None:
    out = _demo()
    assert set(Department.objects.values_list("code", flat=True)) == {
        "XYB",
        "SCJ",
        "SWJ",
        "RSJ",
        "HJJ",
    }
    assert Department.objects.get(code="XYB").is_credit_office
    assert Department.objects.get(code="RSJ").is_implementing
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(USERNAMES)
    groups = {
        "office_clerk": "XYB.clerk",
        "scj_chief": "SCJ.section_chief",
        "scj_head": "SCJ.head",
        "sw_reviewer": "SWJ.reviewer",
        "rsj_officer": "RSJ.officer",
        "auditor": "auditor",
        "process_admin": "process_admin",
        "subject_a": "subject",
    }
    for username, group in groups.items():
        assert User.objects.get(username=username).groups.filter(name=group).exists()
    assert User.objects.get(username="admin").is_superuser
    for code in ("SCJ", "SWJ", "RSJ"):
        kinds = set(
            Measure.objects.filter(implementing_department__code=code).values_list(
                "kind", flat=True
            )
        )
        assert kinds == {"mandatory", "recommended"}
    assert "subject_a" in out
    assert "Demo-2026!" in out
    assert "8 records" in out


def test_the_demo_loads_records_of_every_grade_and_an_entry_about_to_expire() -> None:
    _demo()
    for subject in Subject.objects.all():
        subject.full_clean()
        assert subject.accounts.count() == 1
    assert Subject.objects.natural_persons().get().accounts.get().username == (
        "citizen_c"
    )
    grades = set(CreditRecord.objects.values_list("grade", flat=True))
    assert grades == {"", "minor", "general", "major", "serious"}
    dishonesty = CreditRecord.objects.dishonesty()
    repairable = dishonesty.repairable_on(TODAY)
    assert repairable.count() >= 2
    assert (
        dishonesty.exclude(pk__in=repairable)
        .filter(earliest_repair_date__gt=TODAY)
        .count()
        >= 2
    )
    entry = ListEntry.objects.of_type("serious_dishonesty").listed().get()
    assert entry.valid_to is not None
    assert TODAY < entry.valid_to <= TODAY + dt.timedelta(days=7)
    assert entry.record is not None
    assert entry.record.grade == "serious"


def test_running_the_demo_again_changes_nothing() -> None:
    _demo()
    before = _counts()
    out = _demo()
    assert _counts() == before
    assert "nothing new" in out


def test_the_demo_is_refused_without_debug_unless_forced(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _demo()
    assert not Department.objects.exists()
    _demo("--force")
    assert Department.objects.count() == 5


def test_every_demo_user_logs_in_with_the_demo_password() -> None:
    _demo()
    for username in USERNAMES:
        assert authenticate(username=username, password="Demo-2026!") is not None
    assert authenticate(username="scj_head", password="wrong") is None


def test_the_demo_password_comes_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "Another-2026?")
    _demo()
    assert authenticate(username="office_clerk", password="Another-2026?") is not None
    assert authenticate(username="office_clerk", password="Demo-2026!") is None


def test_demo_users_can_nominate_and_review_a_red_list_case(capsys: Any) -> None:
    _demo()
    folder = Path(django_settings.BPMN_DIR)
    paths = [folder / "redlist.bpmn", *sorted(folder.glob("forms/redlist_*.json"))]
    definition_deploy(
        actor=None, files=[SourceFile(path.name, path.read_bytes()) for path in paths]
    )
    company_a = Subject.objects.get(accounts__username="subject_a")
    data = {"subject": company_a.code, "department": "SCJ", "grounds": "守信示范"}
    call_command(
        "case",
        "file",
        "redlist",
        "--as",
        "scj_head",
        "--json",
        "--data",
        json.dumps(data),
    )
    number = json.loads(capsys.readouterr().out)["number"]
    task = HumanTask.objects.open().get(case_number=number)
    task_claim(actor=User.objects.get(username="office_clerk"), task_id=task.pk)
