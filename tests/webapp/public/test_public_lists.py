"""The public lists: only published, in-force entries; masked ID numbers; search."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.credit.factories import (
    DepartmentFactory,
    ListEntryFactory,
    make_resident_id,
    make_uscc,
)
from tests.credit.factories import (
    SubjectFactory as Subjects,
)
from workflows.credit.models import ListEntry, Subject
from workflows.credit.selectors.public import public_list_entries

pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SERIOUS = ListEntry.ListType.SERIOUS_DISHONESTY
RED = ListEntry.ListType.RED


@pytest.fixture(autouse=True)
def _own_cache(settings: Any) -> None:
    """A cache per test: rate-limit counters neither leak nor cost queries."""
    settings.CACHES = LOCMEM
    from django.core.cache import cache

    cache.clear()


def _today() -> dt.date:
    return timezone.localdate()


def listed(
    subject: Subject | None = None, *, list_type: str = SERIOUS, **fields: Any
) -> ListEntry:
    today = _today()
    values = {
        "status": ListEntry.Status.LISTED,
        "valid_from": today - dt.timedelta(days=10),
        "valid_to": today + dt.timedelta(days=300),
        "decision_number": "张罚列〔2026〕1号",
        **fields,
    }
    if subject is not None:
        values["subject"] = subject
    return ListEntryFactory.create(list_type=list_type, **values)


def page(path: str, **params: str) -> Any:
    return Client(HTTP_ACCEPT_LANGUAGE="en").get(path, params)


def serious_url() -> str:
    return reverse("public:list", args=["serious-dishonesty"])


def test_shows_only_listed_entries_within_their_validity() -> None:
    today = _today()
    shown = listed(Subjects.create(name="在列公司"))
    listed(Subjects.create(name="过期公司"), valid_to=today - dt.timedelta(days=1))
    listed(Subjects.create(name="未来公司"), valid_from=today + dt.timedelta(days=1))
    ListEntryFactory.create(subject=Subjects.create(name="拟列公司"))  # proposed
    ListEntryFactory.create(
        subject=Subjects.create(name="告知公司"), status=ListEntry.Status.NOTICED
    )
    listed(
        Subjects.create(name="移出公司"),
        status=ListEntry.Status.EXITED,
        exit_reason=ListEntry.ExitReason.REPAIR,
        exited_at=timezone.now(),
    )
    listed(Subjects.create(name="红名单公司"), list_type=RED)

    assert [e.pk for e in public_list_entries(SERIOUS)] == [shown.pk]
    body = page(serious_url()).content.decode()
    assert "在列公司" in body
    for hidden in (
        "过期公司",
        "未来公司",
        "拟列公司",
        "告知公司",
        "移出公司",
        "红名单公司",
    ):
        assert hidden not in body


def test_masks_a_natural_persons_id_number_and_shows_no_contact_details() -> None:
    person = Subjects.create(
        kind=Subject.Kind.NATURAL_PERSON,
        name="李四",
        code=make_resident_id(7, birth="19850612"),
        legal_representative="",
        contact_phone="13800138000",
        contact_email="li@example.com",
    )
    company = Subjects.create(name="公开公司", code=make_uscc(42), contact_phone="0512")
    listed(person)
    listed(company, decision_number="张罚列〔2026〕2号")

    body = page(serious_url()).content.decode()
    assert person.code not in body
    assert person.masked_code in body
    assert "********" in person.masked_code
    assert company.code in body  # an organisation's credit code is public
    for private in ("13800138000", "li@example.com", "张三"):
        assert private not in body


def test_red_list_shows_nominations_in_public_notice_marked_as_such() -> None:
    ListEntryFactory.create(
        list_type=RED,
        subject=Subjects.create(name="公示中公司"),
        status=ListEntry.Status.NOTICED,
    )
    listed(Subjects.create(name="守信公司"), list_type=RED)

    body = page(reverse("public:list", args=["red"])).content.decode()
    assert "公示中公司" in body
    assert "守信公司" in body
    assert body.count("In public notice") == 1


def test_finds_by_part_of_a_name_or_a_whole_code_but_not_part_of_an_id() -> None:
    person = Subjects.create(
        kind=Subject.Kind.NATURAL_PERSON,
        name="王五",
        code=make_resident_id(8),
        legal_representative="",
    )
    company = Subjects.create(name="江南建材有限公司")
    listed(person)
    listed(company)

    def names(query: str) -> set[str]:
        return {e.subject.name for e in public_list_entries(SERIOUS, query)}

    assert names("建材") == {"江南建材有限公司"}
    assert names(company.code.lower()) == {"江南建材有限公司"}
    assert names(person.code) == {"王五"}
    assert names(person.code[:14]) == set()
    body = page(serious_url(), q="建材").content.decode()
    assert "江南建材有限公司" in body
    assert "王五" not in body


def test_an_empty_search_says_what_to_try_next() -> None:
    listed(Subjects.create(name="甲公司"))
    body = page(serious_url(), q="不存在").content.decode()
    assert "Nothing matches your search" in body


def test_htmx_search_returns_only_the_results() -> None:
    listed(Subjects.create(name="甲公司"))
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        serious_url(), {"q": "甲"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "甲公司" in body
    assert "<html" not in body


def test_key_attention_list_and_unknown_lists_are_not_public() -> None:
    assert page(reverse("public:list", args=["key-attention"])).status_code == 404
    with pytest.raises(Exception, match="no such public list"):
        public_list_entries(ListEntry.ListType.KEY_ATTENTION)


def test_list_page_costs_two_queries_whatever_the_number_of_entries(
    django_assert_num_queries: Any,
) -> None:
    department = DepartmentFactory.create()
    for n in range(30):
        listed(
            Subjects.create(),
            deciding_department=department,
            decision_number=f"{n}",
        )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with django_assert_num_queries(2):  # count, one page of entries with joins
        response = client.get(serious_url())
    assert response.content.decode().count("<tr>") == 26  # header + 25 rows
    with django_assert_num_queries(2):
        client.get(serious_url(), {"page": "2", "q": "测试"})


def test_index_needs_no_sign_in_and_no_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = page(reverse("public:index"))
    assert response.status_code == 200
    assert "Serious-dishonesty list" in response.content.decode()


def test_too_many_requests_from_one_address_are_refused(time_machine: Any) -> None:
    # A fixed clock keeps the 61 requests inside one rate-limit window.
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, 30, tzinfo=dt.UTC), tick=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    statuses = [client.get(serious_url(), {"q": "x"}).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429
