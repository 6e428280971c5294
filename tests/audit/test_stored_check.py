"""PostgreSQL checks the links of events that keep their canonical text; whatever it
doubts, the reference computation from the columns decides."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from audit.canonical import event_hash
from audit.models import AuditEvent
from audit.services import record
from audit.verification import chain_verify
from tests.audit.support import tamper

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the database check is PostgreSQL's"
    ),
]
TABLE = AuditEvent._meta.db_table


def _events(user: Any, count: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            record(
                action="case.file",
                actor=user,
                case_number=f"YY-2026-{n}",
                after={"reason": "记录有误", "n": n, "fraction": 0.1},
                detail={"grants": [{"on": f"task:{n}", "action": "grant"}]},
            )
            for n in range(count)
        ]


def test_every_event_keeps_the_exact_text_its_hash_was_computed_over(
    user: Any,
) -> None:
    events = _events(user, 3)
    for event in AuditEvent.objects.filter(pk__in=[e.pk for e in events]):
        assert event.canonical is not None
        values = AuditEvent.objects.values().get(seq=event.seq)
        assert event_hash(event.prev_hash, values) == event.hash
    assert chain_verify().ok


def test_a_column_changed_behind_the_kept_text_is_named(user: Any) -> None:
    events = _events(user, 5)
    victim = events[2]
    tamper(
        f"UPDATE {TABLE} SET case_number = %s WHERE seq = %s",  # noqa: S608
        ["YY-2026-999", victim.seq],
    )

    result = chain_verify()

    assert (result.ok, result.broken_seq) == (False, victim.seq)
    assert result.head_seq == events[1].seq
    assert result.checked == len(AuditEvent.objects.filter(seq__lt=victim.seq))
    assert result.found == victim.hash


def test_a_column_and_its_kept_text_changed_together_still_break_the_hash(
    user: Any,
) -> None:
    events = _events(user, 4)
    victim = events[1]
    forged = victim.canonical.replace("YY-2026-1", "YY-2026-8")  # type: ignore[union-attr]
    tamper(
        f"UPDATE {TABLE} SET case_number = %s, canonical = %s WHERE seq = %s",  # noqa: S608
        ["YY-2026-8", forged, victim.seq],
    )

    result = chain_verify()

    assert (result.ok, result.broken_seq) == (False, victim.seq)
    assert result.reason == "hash does not match the event's content"


def test_kept_text_spoiled_alone_does_not_change_what_the_record_says(
    user: Any,
) -> None:
    """The text is a copy for speed: the columns and hashes are the record."""
    events = _events(user, 3)
    tamper(
        f"UPDATE {TABLE} SET canonical = %s WHERE seq = %s",  # noqa: S608
        ['{"nonsense":true}', events[1].seq],
    )
    assert chain_verify().ok


def test_events_without_kept_text_are_checked_from_their_columns(user: Any) -> None:
    events = _events(user, 6)
    # As if written before the text was kept: the first three have none.
    tamper(
        f"UPDATE {TABLE} SET canonical = NULL WHERE seq <= %s",  # noqa: S608
        [events[2].seq],
    )
    assert chain_verify().ok
    assert chain_verify(from_seq=events[1].seq, to_seq=events[4].seq).checked == 4

    tamper(
        f"UPDATE {TABLE} SET actor_label = %s WHERE seq = %s",  # noqa: S608
        ["somebody", events[0].seq],
    )
    result = chain_verify()
    assert (result.ok, result.broken_seq, result.checked) == (
        False,
        events[0].seq,
        len(AuditEvent.objects.filter(seq__lt=events[0].seq)),
    )


def test_a_deleted_event_is_a_gap_the_database_finds(user: Any) -> None:
    events = _events(user, 5)
    tamper(f"DELETE FROM {TABLE} WHERE seq = %s", [events[2].seq])  # noqa: S608

    result = chain_verify()

    assert (result.ok, result.broken_seq) == (False, events[3].seq)
    assert result.reason.startswith("sequence gap")
