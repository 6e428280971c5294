"""Operational rows of the web app: liveness heartbeats of Celery processes."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last time a Celery worker or beat process reported itself alive."""

    WORKER_PREFIX = "worker:"
    BEAT = "beat"

    name = models.CharField(max_length=200, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at.isoformat()}"
