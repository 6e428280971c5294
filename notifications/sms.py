"""Text messages through a pluggable backend, chosen by the ``SMS_BACKEND`` setting.

A provider backend subclasses :class:`SmsBackend`. Phone numbers are personal data:
no backend may write them to the log.
"""

from __future__ import annotations

import abc
import logging
import uuid

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from notifications import conf
from notifications.models import SmsMessage

logger = logging.getLogger(__name__)


class SmsBackend(abc.ABC):
    """Send one text message and answer for it by the provider's message id."""

    @abc.abstractmethod
    def send(self, number: str, text: str, *, reference: str = "") -> str:
        """Send ``text`` to ``number``; return the provider's message id.

        ``reference`` is the sender's idempotency key (Aliyun's ``OutId``, Tencent's
        ``SessionContext``); it is the same on every retry of one message. Raise on
        failure; the outbox retries.
        """

    def find_sent(self, reference: str) -> str | None:
        """Return the message id of an earlier send with ``reference``, if known.

        The outbox asks before resending a message whose earlier attempt was
        abandoned mid-send. ``None`` means "not sent, or cannot tell".
        """
        return None


class DatabaseSmsBackend(SmsBackend):
    """Record each message in the ``SmsMessage`` table and the log, not a phone."""

    def send(self, number: str, text: str, *, reference: str = "") -> str:
        """Record the message; a repeated reference returns the first record's id."""
        provider_id = uuid.uuid4().hex
        try:
            with transaction.atomic():
                SmsMessage.objects.create(
                    number=number,
                    text=text,
                    reference=reference or None,
                    provider_message_id=provider_id,
                )
        except IntegrityError:
            earlier = self.find_sent(reference) if reference else None
            if earlier is None:
                raise
            logger.info("SMS %s already recorded for %s", earlier, reference)
            return earlier
        logger.info("SMS %s recorded for %s: %s", provider_id, reference or "-", text)
        return provider_id

    def find_sent(self, reference: str) -> str | None:
        """Return the recorded message's id for ``reference``."""
        return (
            SmsMessage.objects.filter(reference=reference)
            .values_list("provider_message_id", flat=True)
            .first()
        )


def sms_backend() -> SmsBackend:
    """Return an instance of the configured SMS backend."""
    path = conf.sms_backend_path()
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} cannot be imported") from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} is not an SmsBackend")
    backend: SmsBackend = backend_class()
    return backend
