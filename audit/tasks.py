"""Celery tasks of the audit trail."""

from __future__ import annotations

from celery import shared_task

from audit.context import bind
from audit.digests import digest_write
from audit.jobs import verification_job_run

DAILY_DIGEST_SYSTEM = "daily-digest"


@shared_task(name="audit.write_daily_digest", ignore_result=True)
def write_daily_digest() -> dict[str, int | str]:
    """Verify the chain and write a signed digest of its head (run daily by beat).

    No retries: a broken chain raises and stays broken, and the failed verification
    is already on record for the auditors' workspace.
    """
    with bind(via="beat"):
        digest = digest_write(actor=None, system=DAILY_DIGEST_SYSTEM)
    return {"seq": digest.seq, "file": digest.file_name}


@shared_task(name="audit.verify_chain", ignore_result=True)
def verify_chain(
    job_id: str,
    actor_id: int,
    from_seq: int | None,
    to_seq: int | None,
    *,
    request_id: str = "",
    ip: str | None = None,
) -> None:
    """Run a verification an auditor asked for in the workspace (audit.jobs).

    No retries: a failed run is shown as failed, and the auditor may start another.
    """
    verification_job_run(
        job_id, actor_id, from_seq, to_seq, request_id=request_id, ip=ip
    )
