"""Task events: a new task in a group queue, a task assigned or delegated."""

from __future__ import annotations

import pytest

from notifications.models import Notification, OutboxMessage
from notifications.services import notify_task_event
from tests.notifications.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "title", "subject"),
    [
        ("task.queued", "新任务待办 New task in your queue", "新任务待办：形式审查"),
        (
            "task.assigned",
            "任务已分派给您 Task assigned to you",
            "任务已分派给您：形式审查",
        ),
        (
            "task.delegated",
            "任务已委派给您 Task delegated to you",
            "任务已委派给您：形式审查",
        ),
    ],
)
def test_each_task_event_tells_its_recipients_in_app_and_by_email(kind, title, subject):
    reviewers = UserFactory.create_batch(2)

    sent = notify_task_event(
        kind=kind,
        task_name="形式审查",
        case_number="异议-2026-0003",
        recipients=[*reviewers, None],
    )

    assert {n.recipient for n in sent} == set(reviewers)
    assert {n.title for n in sent} == {f"{title}: 形式审查 (异议-2026-0003)"}
    assert (
        Notification.objects.filter(kind=kind, case_number="异议-2026-0003").count()
        == 2
    )
    assert set(OutboxMessage.objects.values_list("subject", flat=True)) == {subject}


def test_an_unknown_task_event_is_refused():
    with pytest.raises(ValueError, match=r"task\.queued"):
        notify_task_event(
            kind="task.vanished", task_name="x", case_number="", recipients=[]
        )
