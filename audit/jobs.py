"""Chain verifications started from the auditors' workspace, run by a Celery worker.

Verifying a million events takes seconds to tens of seconds, longer than a web
request should hold a worker (and a proxy's time-out); so "verify now" queues
the run and the page polls its progress. Progress lives in Django's cache (the
database cache in the embedded default, Redis in production: shared by web and
worker processes); the outcome, as for every check, is an ``AuditVerification``
row naming who asked, from which request and address.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Max

from audit.context import bind, current
from audit.models import AuditEvent, AuditVerification
from audit.verification import verification_run

logger = logging.getLogger(__name__)

KEY_PREFIX = "audit-verification-job:"
# Long enough for anyone to come back to the page; the result itself is a row.
JOB_TIMEOUT_SECONDS = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class JobState:
    """Where a queued verification stands."""

    job_id: str
    state: str  # "queued", "running", "done", "failed"
    requested_by: str
    total: int
    checked: int = 0
    verification_id: int | None = None
    error: str = ""

    @property
    def finished(self) -> bool:
        """Tell whether the job will change no more."""
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        """Return how much of the range has been checked, 0-100."""
        if self.state == "done" or self.total <= 0:
            return 100 if self.state == "done" else 0
        return min(99, self.checked * 100 // self.total)

    def verification(self) -> AuditVerification | None:
        """Return the recorded outcome of a finished job."""
        if self.verification_id is None:
            return None
        return AuditVerification.objects.filter(pk=self.verification_id).first()


def _save(state: JobState) -> JobState:
    cache.set(KEY_PREFIX + state.job_id, asdict(state), JOB_TIMEOUT_SECONDS)
    return state


def job_get(job_id: str) -> JobState | None:
    """Return a job's state, or None for an unknown (or expired) job id."""
    stored = cache.get(KEY_PREFIX + job_id)
    return JobState(**stored) if isinstance(stored, dict) else None


def range_size(from_seq: int | None, to_seq: int | None) -> int:
    """Return how many events a range holds at most (for the progress bar)."""
    head = AuditEvent.objects.aggregate(head=Max("seq"))["head"] or 0
    last = head if to_seq is None else min(to_seq, head)
    return max(0, last - (from_seq or 1) + 1)


def verification_job_start(
    *, actor: AbstractBaseUser, from_seq: int | None = None, to_seq: int | None = None
) -> JobState:
    """Queue a chain verification for a worker; return its state to poll.

    If the broker cannot take the job, the state says so at once (the caller
    shows it) instead of the page waiting forever.
    """
    from audit.tasks import verify_chain

    context = current()
    state = _save(
        JobState(
            job_id=uuid.uuid4().hex,
            state="queued",
            requested_by=actor.get_username(),
            total=range_size(from_seq, to_seq),
        )
    )
    try:
        verify_chain.delay(
            state.job_id,
            actor.pk,
            from_seq,
            to_seq,
            request_id=context.request_id,
            ip=context.ip,
        )
    except Exception as error:  # the broker's errors vary by transport
        logger.warning("could not queue chain verification: %s", type(error).__name__)
        return _save(JobState(**{**asdict(state), "state": "failed", "error": "queue"}))
    return state


def verification_job_run(
    job_id: str,
    actor_id: int,
    from_seq: int | None,
    to_seq: int | None,
    *,
    request_id: str = "",
    ip: str | None = None,
) -> JobState:
    """Run a queued verification, reporting progress; record who asked for it."""
    known = job_get(job_id)
    base: dict[str, Any] = (
        asdict(known)
        if known is not None
        else asdict(
            JobState(
                job_id=job_id,
                state="queued",
                requested_by="",
                total=range_size(from_seq, to_seq),
            )
        )
    )
    actor = get_user_model()._default_manager.get(pk=actor_id)
    _save(JobState(**{**base, "state": "running"}))

    def progress(checked: int) -> None:
        _save(JobState(**{**base, "state": "running", "checked": checked}))

    with bind(via="worker", request_id=request_id or None, ip=ip):
        try:
            result, row = verification_run(
                actor=actor, from_seq=from_seq, to_seq=to_seq, progress=progress
            )
        except Exception:
            _save(JobState(**{**base, "state": "failed", "error": "run"}))
            raise
    return _save(
        JobState(
            **{
                **base,
                "state": "done",
                "checked": result.checked,
                "verification_id": row.pk,
            }
        )
    )
