"""The settings notifications read, each with the embedded default."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import global_settings, settings

FILE_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
DEFAULT_SMS_BACKEND = "notifications.sms.DatabaseSmsBackend"
DEFAULT_FROM_EMAIL = "信用服务 <noreply@credit.localhost>"
# The send task's hard time limit (Celery kills a send that takes longer).
SEND_TIME_LIMIT_SECONDS = 300


def _configured(name: str) -> bool:
    """Tell whether the settings module sets ``name`` itself."""
    # django-stubs does not declare LazySettings.is_overridden.
    return bool(settings.is_overridden(name))  # type: ignore[misc]


def email_backend() -> str:
    """Return the e-mail backend's dotted path.

    Left at Django's default (SMTP on localhost), the embedded setup has no mail
    server: write files under ``VAR_DIR/mail`` instead, so a new user sees the mail.
    """
    backend = str(settings.EMAIL_BACKEND)
    if not _configured("EMAIL_BACKEND") and backend == global_settings.EMAIL_BACKEND:
        return FILE_EMAIL_BACKEND
    return backend


def email_file_path() -> Path:
    """Return the folder the file-based e-mail backend writes to."""
    configured = getattr(settings, "EMAIL_FILE_PATH", None)
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "mail"


def from_email() -> str:
    """Return the sender of notification e-mail."""
    if _configured("DEFAULT_FROM_EMAIL"):
        return str(settings.DEFAULT_FROM_EMAIL)
    return DEFAULT_FROM_EMAIL


def sms_backend_path() -> str:
    """Return the SMS backend's dotted path (``SMS_BACKEND``)."""
    return str(getattr(settings, "SMS_BACKEND", DEFAULT_SMS_BACKEND))


def claim_timeout() -> timedelta:
    """How long a send may hold its claim before another worker may take over.

    Never shorter than the send task's hard time limit plus a minute, so a claim
    is only taken over from a worker that is gone, not from one still sending.
    """
    configured = float(getattr(settings, "NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS", 600))
    return timedelta(seconds=max(configured, SEND_TIME_LIMIT_SECONDS + 60))


def requeue_after() -> timedelta:
    """How long a message may stay pending before the beat job queues it again."""
    return timedelta(
        seconds=float(getattr(settings, "NOTIFICATIONS_REQUEUE_AFTER_SECONDS", 300))
    )


def site_url() -> str:
    """Return the address people open to read their notifications, if known."""
    return str(getattr(settings, "NOTIFICATIONS_SITE_URL", ""))
