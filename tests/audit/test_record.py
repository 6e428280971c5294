"""audit.services.record: the one way to write an audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from audit.canonical import GENESIS_HASH, event_hash
from audit.context import bind
from audit.models import AuditEvent
from audit.services import AuditOutsideTransactionError, record
from audit.verification import chain_verify

pytestmark = pytest.mark.django_db


def _stored_hash(event: AuditEvent) -> str:
    row = AuditEvent.objects.values().get(seq=event.seq)
    return event_hash(row["prev_hash"], row)


def test_record_writes_one_event_linked_to_the_genesis_hash(user: Any) -> None:
    event = record(action="process.start", actor=user, case_number="YY-2024-0001")

    assert AuditEvent.objects.count() == 1
    assert event.seq == 1
    assert event.prev_hash == GENESIS_HASH
    assert event.actor_label == "reviewer-li"
    assert event.case_number == "YY-2024-0001"
    assert len(event.hash) == 64
    assert _stored_hash(event) == event.hash


def test_each_event_links_to_the_previous_one(user: Any) -> None:
    first = record(action="process.start", actor=user)
    second = record(action="task.complete", actor=user)

    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert chain_verify().ok


def test_record_takes_request_id_ip_and_via_from_the_bound_context(user: Any) -> None:
    with bind(via="worker", request_id="task-42", ip="2001:0db8:0:0::0001"):
        event = record(action="task.complete", actor=user)

    event.refresh_from_db()
    assert (event.request_id, event.ip, event.via) == (
        "task-42",
        "2001:db8::1",
        "worker",
    )
    assert _stored_hash(event) == event.hash


def test_values_read_back_from_the_database_hash_to_the_stored_hash(user: Any) -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    event = record(
        action="objection.submit",
        actor=user,
        before={"status": "listed", "amount": Decimal("1200.50")},
        after={
            "status": "under_objection",
            "deadline": dt.datetime(2024, 6, 1, 17, 0, tzinfo=shanghai),
            "scores": [1.5, 2.0, 1e20],
            "理由": "记录有误",
        },
        detail={"days": dt.date(2024, 6, 1)},
    )

    reloaded = AuditEvent.objects.get(seq=event.seq)
    assert reloaded.before == {"status": "listed", "amount": "1200.50"}
    assert reloaded.after is not None
    assert reloaded.after["deadline"] == "2024-06-01T09:00:00.000000Z"
    assert reloaded.after["scores"] == [1.5, 2, 100000000000000000000]
    assert _stored_hash(reloaded) == event.hash
    assert chain_verify().ok


def test_record_labels_a_system_job_and_leaves_actor_empty() -> None:
    event = record(action="timer.fire", actor=None, system="timer-poll")

    assert event.actor_id is None
    assert event.actor_label == "system:timer-poll"


@pytest.mark.parametrize("system", ["", "has space"])
def test_record_refuses_no_actor_and_no_valid_system_name(system: str) -> None:
    with pytest.raises(ValueError, match="system"):
        record(action="timer.fire", actor=None, system=system)


def test_record_refuses_both_an_actor_and_a_system_name(user: Any) -> None:
    with pytest.raises(ValueError, match="not both"):
        record(action="timer.fire", actor=user, system="timer-poll")


def test_record_names_a_model_target_by_label_and_primary_key(user: Any) -> None:
    event = record(action="user.view", actor=user, target=user)

    assert (event.target_type, event.target_id) == ("auth.user", str(user.pk))


def test_record_refuses_a_target_together_with_explicit_target_columns(
    user: Any,
) -> None:
    with pytest.raises(ValueError, match="not both"):
        record(action="user.view", actor=user, target=user, target_type="auth.user")


@pytest.mark.parametrize("action", ["", "complete", "Task.Complete", "task complete"])
def test_record_refuses_actions_that_are_not_dotted_lower_case(
    user: Any, action: str
) -> None:
    with pytest.raises(ValueError, match="action"):
        record(action=action, actor=user)


def test_record_refuses_over_long_values_on_every_database(user: Any) -> None:
    with pytest.raises(ValueError, match="case_number"):
        record(action="process.start", actor=user, case_number="X" * 65)


def test_occurred_at_is_the_time_of_recording(user: Any) -> None:
    before = timezone.now()
    event = record(action="process.start", actor=user)

    assert before <= event.occurred_at <= timezone.now()


def test_str_names_sequence_action_and_actor(user: Any) -> None:
    event = record(action="task.claim", actor=user)

    assert str(event) == f"#{event.seq} task.claim by reviewer-li"


def test_queryset_filters_select_by_case_target_actor_and_action(user: Any) -> None:
    start = timezone.now()
    record(action="task.claim", actor=user, case_number="C-1", target=user)
    record(action="task.complete", actor=user, case_number="C-1")
    record(action="definition.deploy", actor=None, system="deploy", case_number="C-2")

    events = AuditEvent.objects
    assert events.for_case("C-1").count() == 2
    assert events.for_target(user).count() == 1
    assert events.by_actor(user).count() == 2
    assert events.with_action("task.").count() == 2
    assert events.with_action("task.claim").count() == 1
    assert events.between(start, timezone.now()).count() == 3
    assert list(events.in_chain_order().values_list("seq", flat=True)) == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_raises_and_writes_nothing(user: Any) -> None:
    with pytest.raises(AuditOutsideTransactionError):
        record(action="process.start", actor=user)

    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_event_rolls_back_with_the_change_it_records(user: Any) -> None:
    class ChangeFailedError(Exception):
        pass

    def change_that_fails() -> None:
        with transaction.atomic():
            record(action="process.start", actor=user)
            raise ChangeFailedError

    with pytest.raises(ChangeFailedError):
        change_that_fails()

    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        event = record(action="process.start", actor=user)
    # No gap: the rolled-back append did not use up a sequence number.
    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
