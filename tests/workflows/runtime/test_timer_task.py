"""BPMN timers fire through a real Celery worker running the beat job's task."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import User
from django.utils import timezone

from webapp.celery import app as celery_app
from workflows.engine.parsing import SourceFile
from workflows.models import ProcessInstance
from workflows.services.deploy import definition_deploy
from workflows.services.instances import process_start
from workflows.tasks import fire_due_timers

pytestmark = pytest.mark.django_db(transaction=True)
TIMER_MODEL = Path(__file__).parents[1] / "bpmn" / "wait_until_due.bpmn"


@pytest.fixture
def root_logging_restored() -> Iterator[None]:
    """Undo start_worker's logging setup (root level and handlers) after the test."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


@pytest.mark.celery_worker
def test_a_due_timer_is_fired_by_the_worker_and_the_instance_completes(
    root_logging_restored: None,
) -> None:
    admin = User.objects.create_superuser("admin")
    definition_deploy(
        actor=admin, files=[SourceFile(TIMER_MODEL.name, TIMER_MODEL.read_bytes())]
    )
    due = (timezone.now() + timedelta(seconds=1)).isoformat()
    instance = process_start(
        actor=admin,
        process_id="wait_until_due",
        business_key="T-1",
        data={"due_at": due},
    )
    assert instance.next_timer_at is not None
    time.sleep(1.2)
    hostname = f"timer-test-{os.getpid()}@localhost"
    with start_worker(
        celery_app, perform_ping_check=False, shutdown_timeout=30, hostname=hostname
    ):
        result = fire_due_timers.delay()
        deadline = time.monotonic() + 30
        while ProcessInstance.objects.get(pk=instance.pk).status != "completed":
            assert time.monotonic() < deadline, "the worker did not fire the timer"
            time.sleep(0.2)
    assert result.id
