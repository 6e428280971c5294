"""Every portal page answers its subject, and nobody else's case or record."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.credit.processes.conftest import World
from tests.webapp.portal.conftest import Stranger, file_objection

pytestmark = pytest.mark.django_db


def test_the_overview_shows_my_subject_and_counts_my_open_cases(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    response = rep_client.get(reverse("portal:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.subject is not None
    assert world.subject.name in page
    assert response.context["overview"].open_cases == 1
    assert response.context["overview"].next_deadline.case == case
    assert case.number in page


def test_my_records_list_and_detail_show_grade_dates_and_status(
    rep_client: Client, world: World
) -> None:
    assert world.record is not None
    listing = rep_client.get(reverse("portal:records"))
    assert listing.status_code == 200
    assert world.record.decision_number in listing.content.decode()
    detail = rep_client.get(reverse("portal:record_detail", args=[world.record.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "公示中" in page  # published
    assert "一般" in page  # general grade
    assert f"?record={world.record.pk}" in page  # object / repair from the record


def test_a_record_shows_the_earliest_repair_date_from_the_pre_check(
    rep_client: Client, world: World
) -> None:
    """The record was decided 200 days ago; general grade waits three months."""
    assert world.record is not None
    detail = rep_client.get(reverse("portal:record_detail", args=[world.record.pk]))
    eligibility = detail.context["eligibility"]
    assert eligibility is not None
    assert eligibility.eligible
    assert eligibility.eligible_from.isoformat() in detail.content.decode()


def test_my_case_shows_stage_deadline_and_timeline(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    response = rep_client.get(reverse("portal:case_detail", args=[case.number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "信用办正在审查您的申请" in page  # formal_check, in words
    assert "信用办形式审查" in page  # the formal check deadline
    assert "申请已提交" in page  # the timeline's first step
    assert next(row.text for row in response.context["timeline"]) == "申请已提交"


@pytest.mark.parametrize(
    "name",
    ["portal:case_detail", "portal:case_supplement", "portal:case_appeal"],
)
def test_another_subjects_case_number_is_not_found(
    rep_client: Client, stranger: Stranger, name: str
) -> None:
    response = rep_client.get(reverse(name, args=[stranger.case.number]))
    assert response.status_code == 404


def test_another_subjects_record_is_not_found(
    rep_client: Client, stranger: Stranger
) -> None:
    detail = rep_client.get(reverse("portal:record_detail", args=[stranger.record.pk]))
    assert detail.status_code == 404
    repair = rep_client.get(
        reverse("portal:repair_new"), {"record": stranger.record.pk}
    )
    assert repair.status_code == 404


def test_lists_show_only_my_own_cases_and_records(
    rep_client: Client, stranger: Stranger, world: World
) -> None:
    cases = rep_client.get(reverse("portal:cases")).content.decode()
    records = rep_client.get(reverse("portal:records")).content.decode()
    assert stranger.case.number not in cases
    assert stranger.record.decision_number not in records
    assert world.record is not None
    assert world.record.decision_number in records


def test_empty_pages_say_what_to_do_next(client: Client, stranger: Stranger) -> None:
    """A user linked to no subject sees calm empty states, not errors."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("nobody"))
    home = client.get(reverse("portal:home")).content.decode()
    assert "您的账户尚未关联企业或个人" in home
    cases = client.get(reverse("portal:cases")).content.decode()
    assert "您还没有案件" in cases
    records = client.get(reverse("portal:records")).content.decode()
    assert "暂无关于您的公示信用记录" in records
    objection = client.get(reverse("portal:objection_new")).content.decode()
    assert "暂无可以提出异议的公示记录" in objection
    repair = client.get(reverse("portal:repair_new")).content.decode()
    assert "没有需要修复的记录" in repair


def test_the_portal_asks_strangers_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("portal:cases"))
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_the_portal_speaks_english_to_whoever_chose_it(
    rep_client: Client, world: World
) -> None:
    assert world.rep is not None
    assert world.record is not None
    case = file_objection(world.rep, world.record)
    rep_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = rep_client.get(reverse("portal:case_detail", args=[case.number]))
    text = page.content.decode()
    assert "Where your case stands" in text
    assert "The credit office is checking your application." in text
    assert "办理进度" not in text
