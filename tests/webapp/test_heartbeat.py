"""Heartbeats of Celery worker and beat, recorded for /healthz."""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError
from django.test import Client

from webapp import heartbeat
from webapp.celery import app as celery_app
from webapp.heartbeat import HeartbeatScheduler, heartbeat_record
from webapp.models import Heartbeat

# Heartbeats are written on their own connection (a worker's timer thread) or close
# the connection afterwards, so rows must be committed, not inside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for(condition, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not true within {timeout} s"
        time.sleep(0.1)


@pytest.fixture
def root_logging_restored():
    """Undo start_worker's logging setup (root level and handlers) after the test."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


@pytest.fixture
def scheduler(tmp_path):
    scheduler = HeartbeatScheduler(
        app=celery_app, schedule_filename=str(tmp_path / "celerybeat-schedule")
    )
    yield scheduler
    scheduler.close()


def test_record_upserts_one_row_per_name() -> None:
    assert heartbeat_record(name="worker:celery@a") is True
    first = Heartbeat.objects.get(name="worker:celery@a").beat_at
    time.sleep(0.01)

    assert heartbeat_record(name="worker:celery@a") is True

    assert Heartbeat.objects.filter(name="worker:celery@a").count() == 1
    assert Heartbeat.objects.get(name="worker:celery@a").beat_at > first


def test_record_survives_a_database_failure(caplog) -> None:
    failure = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(Heartbeat.objects, "bulk_create", side_effect=failure):
        assert heartbeat_record(name="beat") is False

    assert "Heartbeat 'beat' not recorded" in caplog.text
    assert heartbeat_record(name="beat") is True


def test_beat_tick_records_heartbeat_at_most_every_10_seconds(scheduler) -> None:
    delay = scheduler.tick()

    assert 0 <= delay <= heartbeat.HEARTBEAT_INTERVAL_SECONDS
    first = Heartbeat.objects.get(name=Heartbeat.BEAT).beat_at
    scheduler.tick()
    assert Heartbeat.objects.get(name=Heartbeat.BEAT).beat_at == first

    scheduler.last_heartbeat -= heartbeat.HEARTBEAT_INTERVAL_SECONDS
    scheduler.tick()
    assert Heartbeat.objects.get(name=Heartbeat.BEAT).beat_at > first


def test_beat_tick_survives_a_database_failure(scheduler) -> None:
    failure = OperationalError("database is locked")
    with mock.patch.object(Heartbeat.objects, "bulk_create", side_effect=failure):
        delay = scheduler.tick()

    assert 0 <= delay <= heartbeat.HEARTBEAT_INTERVAL_SECONDS
    assert not Heartbeat.objects.exists()


@pytest.mark.celery_worker
def test_real_worker_records_heartbeats_and_healthz_turns_ok(
    monkeypatch, scheduler, client: Client, root_logging_restored
) -> None:
    monkeypatch.setattr(heartbeat, "HEARTBEAT_INTERVAL_SECONDS", 0.5)
    assert client.get("/healthz").status_code == 503

    hostname = f"heartbeat-test-{os.getpid()}@localhost"
    with start_worker(
        celery_app, perform_ping_check=False, shutdown_timeout=30, hostname=hostname
    ):
        rows = Heartbeat.objects.filter(name=f"worker:{hostname}")
        _wait_for(rows.exists, timeout=30)
        first = rows.get().beat_at
        # Repeats on the worker's timer, not only once at start.
        _wait_for(
            lambda: rows.get().beat_at >= first + timedelta(seconds=0.4), timeout=10
        )
        scheduler.tick()

        response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    assert response.json()["worker"]["workers_alive"] == 1
