"""A person's notifications: unread first, mark read one by one or all, the badge."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def transaction_statements() -> int:
    """Statements of the session refresh's atomic block inside a test transaction.

    SAVEPOINT and RELEASE on PostgreSQL, BEGIN IMMEDIATE and COMMIT on SQLite.
    """
    return 2 if connection.vendor in {"sqlite", "postgresql"} else 0


def browser(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def person() -> User:
    user = User.objects.create_user("citizen")
    user.groups.add(Group.objects.get(name="subject"))
    return user


def notice(user: User, title: str, *, read: bool = False, age: int = 0) -> Notification:
    made = Notification.objects.create(
        recipient=user, kind="case.accepted", title=title, body="正文"
    )
    created = timezone.now() - dt.timedelta(hours=age)
    Notification.objects.filter(pk=made.pk).update(
        created_at=created, read_at=created if read else None
    )
    made.refresh_from_db()
    return made


def titles(response: Any) -> list[str]:
    body = response.content.decode()
    found = []
    for part in body.split('class="notice-title">')[1:]:
        title = part.split("</h2>")[0].split("</span> ")[-1]
        found.append(title.strip())
    return found


def test_lists_unread_first_then_newest_first(person: User) -> None:
    notice(person, "old read", read=True, age=1)
    notice(person, "older unread", age=5)
    notice(person, "new unread", age=2)
    notice(person, "oldest read", read=True, age=9)
    notice(User.objects.create_user("other"), "not mine")

    response = browser(person).get(reverse("notices:list"))

    assert titles(response) == ["new unread", "older unread", "old read", "oldest read"]


def test_unread_tab_shows_only_unread(person: User) -> None:
    notice(person, "seen", read=True)
    notice(person, "fresh")
    response = browser(person).get(reverse("notices:list"), {"show": "unread"})
    assert titles(response) == ["fresh"]


def test_empty_page_says_what_will_appear(person: User) -> None:
    body = browser(person).get(reverse("notices:list")).content.decode()
    assert "No notifications yet" in body


def test_marking_one_read_with_htmx_swaps_the_row_and_the_badge(person: User) -> None:
    first = notice(person, "first")
    notice(person, "second")
    response = browser(person).post(
        reverse("notices:read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    assert f'id="notice-{first.pk}"' in body
    assert 'hx-swap-oob="true"' in body
    assert "1 unread" in body


def test_marking_one_read_without_js_redirects_back(person: User) -> None:
    first = notice(person, "first")
    response = browser(person).post(
        reverse("notices:read", args=[first.pk]), {"next": "/notifications/?page=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?page=1"
    first.refresh_from_db()
    assert first.read_at is not None


def test_nobody_marks_someone_elses_notification(person: User) -> None:
    theirs = notice(User.objects.create_user("other"), "theirs")
    client = browser(person)
    htmx = client.post(
        reverse("notices:read", args=[theirs.pk]), HTTP_HX_REQUEST="true"
    )
    client.post(reverse("notices:read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert htmx.status_code == 404
    assert theirs.read_at is None


def test_mark_all_read_reports_how_many(person: User) -> None:
    for n in range(3):
        notice(person, f"n{n}")
    response = browser(person).post(reverse("notices:read_all"), follow=True)
    assert "Marked 3 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=person, read_at=None).exists()


def test_badge_counts_unread_in_one_query(
    person: User, django_assert_num_queries: Any
) -> None:
    notice(person, "a")
    notice(person, "b")
    notice(person, "c", read=True)
    client = browser(person)
    # session, user, the count, then the session's idle-time refresh
    with django_assert_num_queries(4 + transaction_statements()):
        response = client.get(reverse("notices:badge"), HTTP_HX_REQUEST="true")
    assert "2 unread" in response.content.decode()


def test_badge_stops_polling_once_signed_out() -> None:
    client = Client()
    assert (
        client.get(reverse("notices:badge"), HTTP_HX_REQUEST="true").status_code == 286
    )
    assert client.get(reverse("notices:badge")).status_code == 302


def test_list_page_query_count_does_not_grow_with_notifications(
    person: User, django_assert_num_queries: Any
) -> None:
    for n in range(30):
        notice(person, f"n{n}", read=n % 2 == 0, age=n)
    client = browser(person)
    # session, user, page count, page rows, groups (links, header), unread badge,
    # session refresh
    with django_assert_num_queries(7 + transaction_statements()):
        response = client.get(reverse("notices:list"))
    assert len(titles(response)) == 25


def test_notices_pages_need_sign_in() -> None:
    response = Client().get(reverse("notices:list"))
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]
