"""The in-app channel: the list, the unread count and marking read."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from notifications.selectors import notification_list_for_user, unread_count
from notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from tests.notifications.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return UserFactory.create(email="")


def _tell(user, count):
    for n in range(count):
        notify(recipients=[user], kind="task.reminder", title=f"due {n}")
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_the_unread_count_is_one_query_and_counts_only_ones_own(
    reader, django_assert_num_queries
):
    _tell(reader, 3)
    _tell(UserFactory.create(email=""), 2)

    with django_assert_num_queries(1):
        assert unread_count(reader) == 3


def test_the_list_is_newest_first_in_one_query(reader, django_assert_num_queries):
    first, second = _tell(reader, 2)

    with django_assert_num_queries(1):
        listed = list(notification_list_for_user(reader))

    assert listed == [second, first]


def test_marking_read_changes_only_the_actors_unread_notifications(
    reader, django_assert_num_queries
):
    first, second, _third = _tell(reader, 3)
    (someone_elses,) = _tell(UserFactory.create(email=""), 1)

    with django_assert_num_queries(1):
        changed = notification_mark_read(
            actor=reader, ids=[first.pk, second.pk, someone_elses.pk]
        )

    assert changed == 2
    assert unread_count(reader) == 1
    assert list(notification_list_for_user(reader, unread_only=True)) == [_third]
    someone_elses.refresh_from_db()
    assert someone_elses.read_at is None
    assert notification_mark_read(actor=reader, ids=[first.pk]) == 0, "already read"


def test_marking_all_read_empties_the_unread_count(reader, django_assert_num_queries):
    _tell(reader, 3)

    with django_assert_num_queries(1):
        assert notification_mark_all_read(actor=reader) == 3

    assert unread_count(reader) == 0
    assert list(notification_list_for_user(reader, unread_only=True)) == []
