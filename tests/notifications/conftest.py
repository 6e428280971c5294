"""Fixtures of the notification tests."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import User

from tests.notifications.factories import UserContactFactory, UserFactory
from webapp.celery import app as celery_app

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@pytest.fixture
def mail_dir(settings: Any, tmp_path: Path) -> Path:
    """Send e-mail through Django's file-based backend into a fresh folder."""
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(folder)
    settings.DEFAULT_FROM_EMAIL = "信用服务 <noreply@credit.example.cn>"
    return folder


@pytest.fixture
def person() -> User:
    """Someone with an e-mail address and a phone number, reading Chinese."""
    contact = UserContactFactory.create(
        user=UserFactory.create(first_name="三", last_name="张")
    )
    user: User = contact.user
    return user


@pytest.fixture
def root_logging_restored() -> Iterator[None]:
    """Undo start_worker's logging setup (root level and handlers) after the test."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


@pytest.fixture
def running_worker(
    root_logging_restored: None,
) -> Callable[[], AbstractContextManager[Any]]:
    """Start a real Celery worker thread on the configured broker, on demand."""

    @contextmanager
    def run() -> Iterator[Any]:
        hostname = f"notifications-test-{os.getpid()}@localhost"
        with start_worker(
            celery_app,
            perform_ping_check=False,
            shutdown_timeout=30,
            hostname=hostname,
        ) as worker:
            yield worker

    return run


@pytest.fixture
def empty_broker_queue() -> None:
    """Drop messages earlier tests left in the broker (their rows are gone)."""
    celery_app.control.purge()
