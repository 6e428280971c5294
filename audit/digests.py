"""Signed digests of the audit chain head, and checking the chain against one.

A digest states "the chain had ``count`` events and its event ``seq`` had hash
``head_hash``", signed with Ed25519 (:mod:`audit.keys`) over the canonical JSON of
those fields plus ``format``, ``created_at`` and ``key_id``. Kept outside the system
(copied off ``VAR_DIR/audit-digests/``), it catches what ``audit verify`` cannot: a
rewrite of history whose hashes were all recomputed still changes the hash at
``seq``, which the old digest then contradicts.

Writing a digest also writes an ``audit.digest`` event, which moves the head. The
digest therefore covers the head *before* its own event, and that event records the
digested seq and hash, so the next digest covers the event of the previous one.
The whole chain is verified before it is signed: a digest never vouches for a chain
that is already broken.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from audit import keys
from audit.canonical import canonical_json, format_datetime
from audit.models import AuditDigest, AuditVerification
from audit.services import actor_label, record
from audit.verification import chain_verify, verification_run, verification_save

DIGEST_FORMAT = "audit-digest/1"
DIGEST_DIR_NAME = "audit-digests"
SIGNED_FIELDS = ("format", "seq", "head_hash", "count", "created_at", "key_id")
_HEX_HASH = re.compile(r"[0-9a-f]{64}")


class ChainBrokenError(RuntimeError):
    """The chain does not verify, so no digest was signed."""


@dataclass(frozen=True, slots=True)
class DigestCheck:
    """Outcome of checking the chain against one digest (fields as in VerifyResult)."""

    ok: bool
    checked: int = 0
    head_seq: int | None = None
    head_hash: str = ""
    broken_seq: int | None = None
    expected: str = ""
    found: str = ""
    reason: str = ""
    seq: int | None = None


def digest_directory() -> Path:
    """Return the folder digest files are written to."""
    return Path(settings.VAR_DIR) / DIGEST_DIR_NAME


def digest_write(*, actor: AbstractBaseUser | None, system: str = "") -> AuditDigest:
    """Verify the whole chain, then sign its head into a file, a row and an event."""
    # The key first: a missing key fails before anything is read or recorded.
    private_key = keys.signing_key()
    result, _verification = verification_run(actor=actor, system=system)
    if not result.ok:
        raise ChainBrokenError(
            f"Audit chain broken at seq {result.broken_seq}: {result.reason}. "
            "No digest was signed."
        )
    created_at = timezone.now()
    seq = result.head_seq or 0
    payload: dict[str, Any] = {
        "format": DIGEST_FORMAT,
        "seq": seq,
        "head_hash": result.head_hash,
        "count": result.checked,
        "created_at": format_datetime(created_at),
        "key_id": keys.key_id(private_key.public_key()),
    }
    signature = keys.sign(canonical_json(payload), private_key)
    file_name = f"audit-digest-{created_at:%Y%m%dT%H%M%S%fZ}-seq{seq:012d}.json"
    with transaction.atomic():
        digest = AuditDigest.objects.create(
            seq=seq,
            head_hash=result.head_hash,
            event_count=result.checked,
            key_id=payload["key_id"],
            signature=signature,
            file_name=file_name,
            created_at=created_at,
        )
        record(
            action="audit.digest",
            actor=actor,
            system=system,
            target=digest,
            detail={
                "digested_seq": seq,
                "head_hash": result.head_hash,
                "key_id": payload["key_id"],
                "file": file_name,
            },
        )
        # Last, so a file that cannot be written rolls the row and event back.
        document = {**payload, "signature": signature}
        _write_atomically(digest_directory() / file_name, document)
    return digest


def _write_atomically(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def digest_verify(
    path: Path,
    *,
    actor: AbstractBaseUser | None,
    system: str = "",
    public_key: Ed25519PublicKey | None = None,
) -> tuple[DigestCheck, AuditVerification]:
    """Check a digest file's signature and the chain against it; record the run.

    ``public_key`` defaults to the published key of this installation; pass an
    older published key to check digests signed before a key rotation.
    """
    actor_label(actor, system)
    started_at = timezone.now()
    check = digest_check(path, public_key or keys.public_key())
    row = verification_save(
        check,
        kind=AuditVerification.Kind.DIGEST,
        actor=actor,
        system=system,
        started_at=started_at,
        to_seq=check.seq,
        digest_file=path.name[:200],
    )
    return check, row


def digest_check(path: Path, public_key: Ed25519PublicKey) -> DigestCheck:
    """Check a digest file against the chain without recording anything."""
    try:
        document = _read_document(path)
    except (OSError, ValueError) as error:
        return DigestCheck(ok=False, reason=f"unreadable digest file: {error}")
    seq: int = document["seq"]
    expected_key = keys.key_id(public_key)
    if document["key_id"] != expected_key:
        return DigestCheck(
            ok=False,
            seq=seq,
            reason="signed by another key than the verifying one",
            expected=expected_key,
            found=str(document["key_id"])[:64],
        )
    payload = {name: document[name] for name in SIGNED_FIELDS}
    if not keys.signature_valid(
        canonical_json(payload), document["signature"], public_key
    ):
        return DigestCheck(
            ok=False, seq=seq, reason=f"signature does not verify with {expected_key}"
        )
    return _chain_matches(seq, document["head_hash"], document["count"])


def _chain_matches(seq: int, head_hash: str, count: int) -> DigestCheck:
    result = chain_verify(to_seq=seq)
    found_seq = result.head_seq or 0
    seen = DigestCheck(
        ok=True,
        checked=result.checked,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        seq=seq,
    )
    if not result.ok:
        return replace(
            seen,
            ok=False,
            broken_seq=result.broken_seq,
            expected=result.expected,
            found=result.found,
            reason=result.reason,
        )
    if found_seq != seq:
        return replace(
            seen,
            ok=False,
            broken_seq=found_seq + 1,
            expected=str(seq),
            found=str(found_seq),
            reason=f"the chain ends at seq {found_seq}, before the digest's seq {seq}",
        )
    if result.head_hash != head_hash or result.checked != count:
        return replace(
            seen,
            ok=False,
            broken_seq=seq,
            expected=head_hash,
            found=result.head_hash,
            reason=f"the chain's hash at seq {seq} differs from the signed digest: "
            "history up to it was rewritten",
        )
    return seen


def _read_document(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != DIGEST_FORMAT:
        raise ValueError(f"not an {DIGEST_FORMAT} document")
    for name in ("seq", "count"):
        value = document.get(name)
        if type(value) is not int or value < 0:
            raise ValueError(f"{name} must be a non-negative integer")
    for name in ("created_at", "key_id", "signature"):
        if not isinstance(document.get(name), str):
            raise ValueError(f"{name} must be a string")
    if not _HEX_HASH.fullmatch(str(document.get("head_hash"))):
        raise ValueError("head_hash must be 64 lowercase hex characters")
    return document
