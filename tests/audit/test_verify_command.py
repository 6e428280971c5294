"""manage.py audit verify and chain_verify."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from audit.canonical import GENESIS_HASH
from audit.models import AuditEvent
from audit.services import record
from audit.verification import chain_verify
from tests.audit.support import tamper

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chain(user: Any) -> list[AuditEvent]:
    events = []
    for number in range(1, 6):
        with transaction.atomic():
            events.append(
                record(
                    action="task.complete",
                    actor=user,
                    case_number=f"C-{number}",
                    after={"outcome": "approved", "step": number},
                )
            )
    return events


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_verify_passes_on_a_clean_chain_and_prints_count_and_head(
    chain: list[AuditEvent],
) -> None:
    output = _verify()

    assert "5 events checked" in output
    assert chain[-1].hash in output


def test_verify_of_an_empty_log_passes_with_the_genesis_head() -> None:
    result = chain_verify()

    assert (result.ok, result.checked, result.head_hash) == (True, 0, GENESIS_HASH)


def test_verify_names_the_row_whose_content_was_tampered(
    chain: list[AuditEvent],
) -> None:
    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["C-999", chain[2].seq],
    )

    with pytest.raises(CommandError, match=f"broken at seq {chain[2].seq}:") as info:
        _verify()
    assert f"found {chain[2].hash}" in str(info.value)
    assert "content" in str(info.value)


def test_verify_names_the_row_after_a_rehashed_tamper(chain: list[AuditEvent]) -> None:
    tamper(
        "UPDATE audit_auditevent SET hash = %s WHERE seq = %s",
        ["f" * 64, chain[1].seq],
    )

    result = chain_verify()

    # Row 2 no longer matches its content; had the forger recomputed it, row 3's
    # prev_hash would be the first mismatch instead.
    assert result.broken_seq == chain[1].seq
    assert (result.expected, result.found) == (chain[1].hash, "f" * 64)


def test_verify_names_the_row_after_a_deleted_one(chain: list[AuditEvent]) -> None:
    tamper("DELETE FROM audit_auditevent WHERE seq = %s", [chain[2].seq])

    result = chain_verify()

    assert (result.ok, result.broken_seq, result.checked) == (False, chain[3].seq, 2)
    assert "missing" in result.reason


def test_verify_names_a_relinked_row_whose_prev_hash_was_changed(
    chain: list[AuditEvent],
) -> None:
    tamper(
        "UPDATE audit_auditevent SET prev_hash = %s WHERE seq = %s",
        ["e" * 64, chain[4].seq],
    )

    result = chain_verify()

    assert result.broken_seq == chain[4].seq
    assert (result.expected, result.found) == (chain[3].hash, "e" * 64)


def test_verify_checks_only_the_requested_range_anchored_to_its_predecessor(
    chain: list[AuditEvent],
) -> None:
    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["C-999", chain[0].seq],
    )

    output = _verify("--from", str(chain[1].seq), "--to", str(chain[3].seq))

    assert "3 events checked" in output
    assert chain[3].hash in output
    with pytest.raises(CommandError, match=f"seq {chain[0].seq}"):
        _verify("--to", str(chain[1].seq))
