"""Liveness heartbeats written by Celery workers and beat, read by /healthz."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from celery import beat, bootsteps
from django.db import connection
from django.utils import timezone

from webapp.models import Heartbeat

HEARTBEAT_INTERVAL_SECONDS = 10.0

logger = logging.getLogger(__name__)


def heartbeat_record(*, name: str) -> bool:
    """Upsert the heartbeat row `name` with the current time; False if that failed.

    Not audited: it is a liveness signal every few seconds, not a change of a case.
    Any failure is logged and swallowed so that a database hiccup never stops the
    worker or beat that calls it; the connection is closed either way, so the next
    heartbeat starts on a fresh one.
    """
    try:
        Heartbeat.objects.bulk_create(
            [Heartbeat(name=name, beat_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["beat_at"],
        )
    except Exception:
        logger.warning("Heartbeat %r not recorded", name, exc_info=True)
        return False
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return True


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Worker bootstep: record "worker:<hostname>" at start and every 10 seconds."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.tref: Any = None

    # `parent` is the WorkController; celery-types types its `timer` as the bootstep
    # that creates the timer, hence Any.
    def start(self, parent: Any) -> None:
        name = f"{Heartbeat.WORKER_PREFIX}{parent.hostname}"
        heartbeat_record(name=name)
        self.tref = parent.timer.call_repeatedly(
            HEARTBEAT_INTERVAL_SECONDS, heartbeat_record, kwargs={"name": name}
        )

    def stop(self, parent: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


class HeartbeatScheduler(beat.PersistentScheduler):
    """Celery's persistent beat scheduler that also records the "beat" heartbeat."""

    last_heartbeat: float | None = None

    def tick(self, *args: Any, **kwargs: Any) -> float:
        delay = super().tick(*args, **kwargs)
        now = time.monotonic()
        if (
            self.last_heartbeat is None
            or now - self.last_heartbeat >= HEARTBEAT_INTERVAL_SECONDS
        ):
            # Set before writing: a failing database is retried in 10 s, not hammered.
            self.last_heartbeat = now
            heartbeat_record(name=Heartbeat.BEAT)
        until_next_heartbeat = self.last_heartbeat + HEARTBEAT_INTERVAL_SECONDS - now
        return max(0.0, min(delay, until_next_heartbeat))
