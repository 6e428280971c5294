"""Store uploaded files: bytes on disk under random names, a row, an audit event.

A file arrives either for a case that exists (:func:`attachment_add`) or ahead of
the filing that creates its case (:func:`attachment_stage`): a subject uploads
evidence, watches the progress bar, then files. The filer attaches the staged
uploads it names in its own transaction (:func:`attachment_attach_staged`), and a
daily job removes staged uploads nobody filed (``attachment_cleanup``).
What a file is comes from its bytes (``file_types``), never from its name.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from django.contrib.auth.models import User
from django.db import transaction

from audit.services import record
from workflows.access.roles import may_decide
from workflows.access.visibility import case_visible
from workflows.credit.models import Attachment, Case
from workflows.credit.models.documents import (
    MAX_ATTACHMENT_SIZE,
    attachment_directory,
)
from workflows.credit.services.file_types import (
    clean_file_name,
    name_for_type,
    sniff_media_type,
)
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError

Actor = User | None
SYSTEM: Final = "credit"
# A person rarely needs more; the cap keeps one account from filling the disk.
MAX_STAGED_PER_USER: Final = 50


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
    row cannot be written the file is removed again. ``content_type`` is what the
    client claimed; the stored type is the one the bytes show.
    """
    _require_may_attach(actor, case)
    with _stored(actor, case, kind, name, content) as attachment:
        record(
            action="attachment.add",
            actor=actor,
            system="" if actor else SYSTEM,
            target=attachment,
            case_number=case.number,
            process_instance_id=str(case.process_instance_id or ""),
            after=_described(attachment),
        )
    return attachment


@transaction.atomic
def attachment_stage(
    *, actor: User, kind: str, name: str, content: bytes, content_type: str
) -> Attachment:
    """Store a file uploaded ahead of its filing; it stays the uploader's alone."""
    if not actor.is_authenticated:
        raise ForbiddenError("sign in to upload files")
    # Lock the uploader's row: two parallel uploads cannot both pass the cap.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if Attachment.objects.staged_by(actor).count() >= MAX_STAGED_PER_USER:
        raise ConflictError(
            f"待提交的附件已达 {MAX_STAGED_PER_USER} 个，请先提交或删除"
            f" / you already have {MAX_STAGED_PER_USER} files waiting to be filed:"
            " file them or remove some first"
        )
    with _stored(actor, None, kind, name, content) as attachment:
        record(
            action="attachment.stage",
            actor=actor,
            target=attachment,
            after=_described(attachment),
        )
    return attachment


@transaction.atomic
def attachment_attach_staged(
    *, actor: User, case: Case, ids: Iterable[object]
) -> list[int]:
    """Attach the actor's staged uploads named by id to the case being filed.

    Ids that are not the actor's own staged uploads are refused as a whole, with
    the same message whether they exist or not.
    """
    wanted = _ids(ids)
    if not wanted:
        return []
    _require_may_attach(actor, case)
    found = list(
        Attachment.objects.staged_by(actor)
        .select_for_update()
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if len(found) != len(wanted):
        raise InvalidInputError(
            "附件不存在或已提交 / unknown attachments, or already filed",
            ["attachments"],
        )
    Attachment.objects.filter(pk__in=wanted).update(case=case)
    record(
        action="attachment.attach",
        actor=actor,
        target=case,
        case_number=case.number,
        process_instance_id=str(case.process_instance_id or ""),
        after={"attachments": wanted},
    )
    return wanted


@transaction.atomic
def attachment_discard(*, actor: User, attachment_id: int) -> None:
    """Remove one of the actor's own staged uploads, bytes and row."""
    attachment = (
        Attachment.objects.staged_by(actor)
        .select_for_update()
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise InvalidInputError(
            "附件不存在或已提交 / unknown attachment, or already filed", ["attachment"]
        )
    record(
        action="attachment.discard",
        actor=actor,
        target=attachment,
        before=_described(attachment),
    )
    path = attachment.path
    attachment.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


@contextmanager
def _stored(
    actor: Actor, case: Case | None, kind: str, name: str, content: bytes
) -> Iterator[Attachment]:
    """Write the bytes and the row; remove the bytes if anything in the block fails."""
    if kind not in Attachment.Kind.values:
        raise InvalidInputError(f"unknown attachment kind {kind!r}", ["kind"])
    if not content:
        raise InvalidInputError("附件为空 / the file is empty", ["file"])
    if len(content) > MAX_ATTACHMENT_SIZE:
        raise InvalidInputError(
            f"附件超过 20 MiB / the file is larger than 20 MiB ({len(content)} bytes)",
            ["file"],
        )
    media_type = sniff_media_type(content)
    original_name = clean_file_name(name_for_type(clean_file_name(name), media_type))
    stored_name = secrets.token_hex(16)
    path = _write_new_file(stored_name, content)
    try:
        yield Attachment.objects.create(
            case=case,
            kind=kind,
            original_name=original_name,
            stored_name=stored_name,
            content_type=media_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _described(attachment: Attachment) -> dict[str, object]:
    return {
        "kind": attachment.kind,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def _ids(ids: Iterable[object]) -> list[int]:
    if isinstance(ids, str | bytes):
        raise InvalidInputError("attachments are a list of ids", ["attachments"])
    try:
        return sorted({int(str(value)) for value in ids})
    except (TypeError, ValueError):
        raise InvalidInputError("attachments are ids", ["attachments"]) from None


def _require_may_attach(actor: Actor, case: Case) -> None:
    """Files join an open case only, from its parties, the window clerks, or staff
    who work on it (they see the case and may act on work)."""
    if case.is_ended:
        raise ConflictError(f"case {case.number} is {case.get_status_display()}")
    if actor is None:
        return
    if actor.pk in (case.applicant_id, case.agent_id):
        return
    if actor.is_authenticated and actor.has_perm("credit.add_attachment"):
        return
    if (
        may_decide(actor)
        and Case.objects.filter(pk=case.pk).filter(case_visible(actor)).exists()
    ):
        return
    raise ForbiddenError(f"not allowed to add files to case {case.number}")


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
