"""manage.py audit digest / verify-digest: signed digests of the chain head."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from audit import keys
from audit.canonical import canonical_json
from audit.digests import (
    SIGNED_FIELDS,
    ChainBrokenError,
    digest_directory,
    digest_write,
)
from audit.models import AuditDigest, AuditEvent, AuditVerification
from audit.services import record
from audit.tasks import write_daily_digest
from tests.audit.conftest import private_key_pem
from tests.audit.support import rewrite_tail, tamper

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
                    case_number=f"XY-2024-{number:04d}",
                    after={"outcome": "approved", "意见": "同意"},
                )
            )
    return events


def _digest(*args: str) -> Path:
    call_command("audit", "digest", *args, stdout=StringIO())
    digest = AuditDigest.objects.order_by("-id").first()
    assert digest is not None
    return digest_directory() / digest.file_name


def _verify_digest(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("audit", "verify-digest", str(path), *args, stdout=out)
    return out.getvalue()


def test_digest_signs_the_head_before_its_own_event_and_verifies(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey, var_dir: Path
) -> None:
    path = _digest()

    document = json.loads(path.read_text(encoding="utf-8"))
    assert path.parent == var_dir / "audit-digests"
    assert path.name.startswith("audit-digest-")
    assert path.name.endswith(f"-seq{chain[-1].seq:012d}.json")
    assert (document["seq"], document["head_hash"], document["count"]) == (
        chain[-1].seq,
        chain[-1].hash,
        5,
    )
    assert document["created_at"].endswith("Z")
    assert document["key_id"] == keys.key_id(signing_key.public_key())
    payload = canonical_json({name: document[name] for name in SIGNED_FIELDS})
    assert keys.signature_valid(
        payload, document["signature"], signing_key.public_key()
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.seq, event.action) == (chain[-1].seq + 1, "audit.digest")
    assert event.detail["digested_seq"] == chain[-1].seq
    assert event.actor_label == "system:cli"
    digest = AuditDigest.objects.get()
    assert (digest.seq, digest.head_hash, digest.signature) == (
        chain[-1].seq,
        chain[-1].hash,
        document["signature"],
    )
    assert "events" in _verify_digest(path)


def test_a_later_digest_covers_the_previous_digest_event(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey
) -> None:
    first = _digest()
    second = _digest()

    assert json.loads(second.read_text())["seq"] == chain[-1].seq + 1
    _verify_digest(first)
    _verify_digest(second)


def test_a_raw_sql_tamper_before_the_digested_seq_fails_the_digest_check(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey
) -> None:
    path = _digest()
    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["XY-2024-9999", chain[1].seq],
    )

    with pytest.raises(CommandError, match=f"at seq {chain[1].seq}:"):
        _verify_digest(path)
    check = AuditVerification.objects.order_by("-id").first()
    assert check is not None
    assert (check.kind, check.ok, check.broken_seq) == ("digest", False, chain[1].seq)


def test_a_consistent_rewrite_passes_verify_but_an_earlier_digest_catches_it(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey
) -> None:
    path = _digest()
    digested = chain[-1].seq

    rewrite_tail(chain[1].seq, case_number="XY-2024-9999")

    assert "events checked" in _stdout("verify")
    with pytest.raises(CommandError, match=f"at seq {digested}: .*rewritten"):
        _verify_digest(path)
    check = AuditVerification.objects.order_by("-id").first()
    assert check is not None
    assert (check.ok, check.broken_seq, check.expected) == (
        False,
        digested,
        chain[-1].hash,
    )


def test_a_truncated_chain_fails_the_digest_check(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey
) -> None:
    path = _digest()
    tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [chain[3].seq])

    with pytest.raises(CommandError, match=f"at seq {chain[3].seq}: the chain ends"):
        _verify_digest(path)


def test_a_digest_signed_by_another_key_fails(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey, settings: Any
) -> None:
    path = _digest()
    settings.AUDIT_SIGNING_KEY = private_key_pem(Ed25519PrivateKey.generate())

    with pytest.raises(CommandError, match="signed by another key"):
        _verify_digest(path)


def test_a_digest_claiming_the_key_id_of_the_published_key_fails_its_signature(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey, settings: Any
) -> None:
    path = _digest()
    other = Ed25519PrivateKey.generate()
    settings.AUDIT_SIGNING_KEY = private_key_pem(other)
    document = json.loads(path.read_text())
    document["key_id"] = keys.key_id(other.public_key())
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError, match="signature does not verify"):
        _verify_digest(path)


def test_an_edited_digest_fails_its_signature(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey
) -> None:
    path = _digest()
    document = json.loads(path.read_text())
    document["seq"] = chain[2].seq
    document["head_hash"] = chain[2].hash
    path.write_text(json.dumps(document))

    with pytest.raises(CommandError, match="signature does not verify"):
        _verify_digest(path)


def test_an_old_digest_verifies_with_the_key_published_before_a_rotation(
    chain: list[AuditEvent],
    signing_key: Ed25519PrivateKey,
    settings: Any,
    tmp_path: Path,
) -> None:
    path = _digest()
    old_public = tmp_path / "old-key.pem"
    old_public.write_text(keys.public_key_pem(signing_key.public_key()))
    settings.AUDIT_SIGNING_KEY = private_key_pem(Ed25519PrivateKey.generate())

    assert "match the digest" in _verify_digest(path, "--public-key", str(old_public))


def test_an_unreadable_digest_file_fails_and_is_recorded(
    signing_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    path = tmp_path / "digest.json"
    path.write_text('{"format": "something else"}')

    with pytest.raises(CommandError, match="unreadable digest file"):
        _verify_digest(path)
    assert AuditVerification.objects.get().ok is False


def test_no_digest_is_signed_over_a_broken_chain(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey
) -> None:
    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["XY-2024-9999", chain[0].seq],
    )

    with pytest.raises(ChainBrokenError, match=f"seq {chain[0].seq}"):
        digest_write(actor=None, system="test")
    assert not AuditDigest.objects.exists()
    assert AuditVerification.objects.get().broken_seq == chain[0].seq


def test_the_daily_task_writes_a_digest_as_the_beat_job(
    chain: list[AuditEvent], signing_key: Ed25519PrivateKey
) -> None:
    result = write_daily_digest.apply().get()

    digest = AuditDigest.objects.get()
    assert result == {"seq": chain[-1].seq, "file": digest.file_name}
    event = AuditEvent.objects.get(action="audit.digest")
    assert (event.actor_label, event.via) == ("system:daily-digest", "beat")


def _stdout(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_production_without_a_signing_key_fails_before_recording_anything(
    chain: list[AuditEvent], var_dir: Path, settings: Any
) -> None:
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="AUDIT_SIGNING_KEY must be set"):
        _stdout("digest")
    assert not AuditDigest.objects.exists()
    assert not AuditVerification.objects.exists()
    assert not (var_dir / "audit-digests").exists()
