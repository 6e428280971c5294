"""Every chain check is recorded with who ran it, and the chain status reads it."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from audit.digests import digest_write
from audit.models import AuditEvent, AuditVerification
from audit.selectors import chain_status
from audit.services import record
from tests.audit.support import tamper

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chain(user: Any) -> list[AuditEvent]:
    events = []
    for number in range(1, 5):
        with transaction.atomic():
            events.append(
                record(action="task.claim", actor=user, case_number=f"C-{number}")
            )
    return events


def _verify(*args: str) -> None:
    call_command("audit", "verify", *args, stdout=StringIO())


def test_a_passing_verify_records_who_ran_it_over_which_range(
    chain: list[AuditEvent], user: Any
) -> None:
    _verify("--from", "2", "--to", "3", "--as", user.username)

    check = AuditVerification.objects.get()
    assert (check.kind, check.ok, check.checked) == ("chain", True, 2)
    assert (check.from_seq, check.to_seq, check.head_seq) == (2, 3, 3)
    assert check.head_hash == chain[2].hash
    assert (check.actor_id, check.actor_label, check.via) == (
        user.pk,
        "reviewer-li",
        "cli",
    )
    # The command's binding inherits the request id the test bound around it.
    assert (check.request_id, check.ip) == ("test-request", "192.0.2.10")
    assert check.started_at <= check.finished_at
    assert not check.covers_whole_chain


def test_a_raw_sql_tamper_is_named_and_recorded_as_a_failed_verification(
    chain: list[AuditEvent],
) -> None:
    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["C-999", chain[2].seq],
    )

    with pytest.raises(CommandError, match=f"broken at seq {chain[2].seq}:"):
        _verify()

    check = AuditVerification.objects.get()
    assert (check.ok, check.broken_seq, check.found) == (
        False,
        chain[2].seq,
        chain[2].hash,
    )
    assert "content" in check.reason
    assert (check.actor_label, check.checked) == ("system:cli", 2)
    assert check.covers_whole_chain


def test_verify_as_an_unknown_user_runs_nothing(chain: list[AuditEvent]) -> None:
    with pytest.raises(CommandError, match="no existing user"):
        _verify("--as", "nobody")

    assert not AuditVerification.objects.exists()


def test_chain_status_shows_the_latest_check_and_digest_in_three_queries(
    chain: list[AuditEvent],
    signing_key: Ed25519PrivateKey,
    django_assert_num_queries: Any,
) -> None:
    _verify()
    digest = digest_write(actor=None, system="test")
    with transaction.atomic():
        record(action="task.complete", actor=None, system="test")

    with django_assert_num_queries(3):
        status = chain_status()

    assert status.latest_digest == digest
    assert status.latest_verification is not None
    # digest_write verified the chain too, after the manual run.
    assert status.latest_verification.actor_label == "system:test"
    assert status.head_seq == chain[-1].seq + 2
    assert status.unverified_events == 2


def test_chain_status_of_a_new_installation_has_nothing_yet(db: None) -> None:
    status = chain_status()

    assert (status.latest_verification, status.latest_digest) == (None, None)
    assert (status.head_seq, status.unverified_events) == (0, None)
