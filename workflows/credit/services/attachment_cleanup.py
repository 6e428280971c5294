"""Remove uploads that no filing attached, and bytes that no row names."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record
from workflows.credit.models import Attachment
from workflows.credit.models.documents import attachment_directory

SYSTEM: Final = "credit"
_BATCH: Final = 500


@transaction.atomic
def attachments_purge_stale(*, older_than: dt.timedelta | None = None) -> int:
    """Remove staged uploads older than the limit that no filing attached.

    Returns how many files were removed.

    Also removes files older than the limit that no row names: bytes written by an
    upload whose transaction rolled back later (on_commit never runs on rollback).
    """
    if older_than is None:
        hours = float(getattr(settings, "STAGED_UPLOAD_MAX_AGE_HOURS", 24))
        older_than = dt.timedelta(hours=hours)
    cutoff = timezone.now() - older_than
    stale = list(
        Attachment.objects.staged()
        .select_for_update()
        .filter(uploaded_at__lt=cutoff)
        .order_by("pk")
    )
    paths = [attachment.path for attachment in stale] + _orphaned_files(cutoff)
    if not paths:
        return 0
    record(
        action="attachment.purge_stale",
        actor=None,
        system=SYSTEM,
        detail={
            "attachments": [a.pk for a in stale],
            "orphaned_files": len(paths) - len(stale),
            "older_than": str(older_than),
        },
    )
    Attachment.objects.filter(pk__in=[a.pk for a in stale]).delete()

    def unlink() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(unlink)
    return len(paths)


def _orphaned_files(cutoff: dt.datetime) -> list[Path]:
    directory = attachment_directory()
    if not directory.is_dir():
        return []
    limit = cutoff.timestamp()
    old = {
        entry.name: Path(entry.path)
        for entry in os.scandir(directory)
        if entry.is_file() and entry.stat().st_mtime < limit
    }
    names = sorted(old)
    known: set[str] = set()
    for start in range(0, len(names), _BATCH):
        known.update(
            Attachment.objects.filter(
                stored_name__in=names[start : start + _BATCH]
            ).values_list("stored_name", flat=True)
        )
    return [old[name] for name in names if name not in known]
