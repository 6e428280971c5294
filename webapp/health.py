"""Health checks behind /healthz: states and ages only, no personal data."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Q
from django.utils import timezone

from webapp.celery import app as celery_app
from webapp.models import Heartbeat

OK = "ok"
UNHEALTHY = "unhealthy"
BROKER_TIMEOUT_SECONDS = 2

Check = dict[str, Any]


def health_report() -> dict[str, Any]:
    """Check the database, the broker and the worker and beat heartbeats."""
    checks: dict[str, Check] = {"database": database_check(), "broker": broker_check()}
    checks["worker"], checks["beat"] = heartbeat_checks(now=timezone.now())
    healthy = all(check["status"] == OK for check in checks.values())
    return {"status": OK if healthy else UNHEALTHY, **checks}


def database_check() -> Check:
    """Run `SELECT 1` on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return _failure(exc, vendor=connection.vendor)
    return {"status": OK, "vendor": connection.vendor}


def broker_check() -> Check:
    """Check the filesystem broker's folders, or connect to a server broker."""
    if settings.CELERY_BROKER_IS_FILESYSTEM:
        return _broker_folders_check()
    return _broker_connection_check()


def _broker_folders_check() -> Check:
    options = celery_app.conf.broker_transport_options
    keys = ["data_folder_in", "data_folder_out", "control_folder"]
    if options.get("store_processed"):
        keys.append("processed_folder")
    unusable = [
        key
        for key in keys
        if not (
            os.path.isdir(options[key]) and os.access(options[key], os.W_OK | os.X_OK)
        )
    ]
    if unusable:
        return {
            "status": UNHEALTHY,
            "transport": "filesystem",
            "error": f"folder missing or not writable: {', '.join(unusable)}",
        }
    return {"status": OK, "transport": "filesystem"}


def _broker_connection_check() -> Check:
    with celery_app.connection_for_write(
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options={
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
            "socket_timeout": BROKER_TIMEOUT_SECONDS,
        },
    ) as conn:
        transport = conn.transport_cls
        try:
            conn.ensure_connection(
                max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS
            )
        # Whatever the transport raises, the broker is unusable for this process.
        except Exception as exc:
            return _failure(exc, transport=transport)
    return {"status": OK, "transport": transport}


def heartbeat_checks(*, now: datetime) -> tuple[Check, Check]:
    """Judge the newest worker heartbeat and the beat heartbeat by their age."""
    max_age = settings.HEARTBEAT_MAX_AGE_SECONDS
    worker_rows = Q(name__startswith=Heartbeat.WORKER_PREFIX)
    try:
        latest = Heartbeat.objects.aggregate(
            worker=Max("beat_at", filter=worker_rows),
            beat=Max("beat_at", filter=Q(name=Heartbeat.BEAT)),
            workers_alive=Count(
                "pk",
                filter=worker_rows & Q(beat_at__gt=now - timedelta(seconds=max_age)),
            ),
        )
    except DatabaseError as exc:
        failure = _failure(exc)
        return failure, failure
    worker = _age_check(latest["worker"], now=now, max_age=max_age)
    worker["workers_alive"] = latest["workers_alive"]
    return worker, _age_check(latest["beat"], now=now, max_age=max_age)


def _age_check(beat_at: datetime | None, *, now: datetime, max_age: int) -> Check:
    if beat_at is None:
        return {
            "status": UNHEALTHY,
            "heartbeat_age_seconds": None,
            "max_age_seconds": max_age,
        }
    age = max(0.0, (now - beat_at).total_seconds())
    return {
        "status": OK if age < max_age else UNHEALTHY,
        "heartbeat_age_seconds": round(age, 1),
        "max_age_seconds": max_age,
    }


def _failure(exc: BaseException, **fields: Any) -> Check:
    # The exception class only: messages may carry host names or credentials.
    return {"status": UNHEALTHY, **fields, "error": type(exc).__name__}
