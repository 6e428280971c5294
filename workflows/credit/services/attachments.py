"""Store an uploaded file of a case: bytes on disk, a row, an audit event."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Final

from django.contrib.auth.models import User
from django.db import transaction

from audit.services import record
from workflows.credit.models import Attachment, Case
from workflows.credit.models.documents import (
    MAX_ATTACHMENT_SIZE,
    attachment_directory,
)
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError

Actor = User | None
SYSTEM: Final = "credit"
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
_NAME_MAX: Final = 255


@transaction.atomic
def attachment_add(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    name: str,
    content: bytes,
    content_type: str,
) -> Attachment:
    """Store a file for a case under a random name and record its hash and size.

    The bytes go to ``MEDIA_ROOT/attachments/`` (not served by the web server);
    only the row says which case and which original name they belong to. If the
    row cannot be written the file is removed again.
    """
    _require_may_attach(actor, case)
    if kind not in Attachment.Kind.values:
        raise InvalidInputError(f"unknown attachment kind {kind!r}")
    original_name = _clean_name(name)
    media_type = content_type.strip().lower()
    if not _CONTENT_TYPE.fullmatch(media_type) or len(media_type) > 100:
        raise InvalidInputError(f"invalid content type {content_type!r}")
    if not content:
        raise InvalidInputError("附件为空 / the file is empty")
    if len(content) > MAX_ATTACHMENT_SIZE:
        raise InvalidInputError(
            f"附件超过 20 MiB / the file is larger than 20 MiB ({len(content)} bytes)"
        )
    stored_name = secrets.token_hex(16)
    path = _write_new_file(stored_name, content)
    try:
        attachment = Attachment.objects.create(
            case=case,
            kind=kind,
            original_name=original_name,
            stored_name=stored_name,
            content_type=media_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        record(
            action="attachment.add",
            actor=actor,
            system="" if actor else SYSTEM,
            target=attachment,
            case_number=case.number,
            process_instance_id=str(case.process_instance_id or ""),
            after={
                "kind": kind,
                "original_name": original_name,
                "content_type": media_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            },
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return attachment


def _require_may_attach(actor: Actor, case: Case) -> None:
    if case.is_ended:
        raise ConflictError(f"case {case.number} is {case.get_status_display()}")
    if actor is None:
        return
    if actor.pk in (case.applicant_id, case.agent_id):
        return
    if actor.is_authenticated and actor.has_perm("credit.add_attachment"):
        return
    raise ForbiddenError(f"not allowed to add files to case {case.number}")


def _clean_name(name: str) -> str:
    """Keep the last path component, without control characters, at most 255."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        char for char in unicodedata.normalize("NFC", base) if char.isprintable()
    ).strip()
    if cleaned in ("", ".", ".."):
        raise InvalidInputError(f"invalid file name {name!r}")
    if len(cleaned) > _NAME_MAX:
        stem, suffix = os.path.splitext(cleaned)
        if len(suffix) > 16:
            stem, suffix = cleaned, ""
        cleaned = stem[: _NAME_MAX - len(suffix)] + suffix
    return cleaned


def _write_new_file(stored_name: str, content: bytes) -> Path:
    directory = attachment_directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / stored_name
    # O_EXCL: a random name that already exists is a bug, never overwrite.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
