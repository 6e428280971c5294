"""Hand one outbox message to its channel: Django's e-mail backends or SMS.

Both channels know a message by a key derived from its outbox row, the same on
every attempt: the e-mail ``Message-ID`` and the SMS ``reference``. Before resending
a message whose earlier attempt was abandoned, :func:`find_delivered` asks whether
that attempt got through.
"""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

from notifications import conf
from notifications.models import OutboxMessage
from notifications.sms import sms_backend


class DeliveryError(Exception):
    """The channel did not take the message; another attempt may succeed."""


def message_id_header(message: OutboxMessage) -> str:
    """Return the e-mail ``Message-ID`` of an outbox row: same row, same id.

    The creation time keeps ids of two installations that share a sender domain
    and count rows from 1 apart.
    """
    domain = parseaddr(conf.from_email())[1].rpartition("@")[2] or "localhost"
    stamp = message.created_at.strftime("%Y%m%d%H%M%S%f")
    return f"<outbox.{message.pk}.{stamp}@{domain}>"


def _mail_connection() -> BaseEmailBackend:
    backend = conf.email_backend()
    options: dict[str, Any] = {}
    if backend == conf.FILE_EMAIL_BACKEND:
        options["file_path"] = str(conf.email_file_path())
    connection: BaseEmailBackend = get_connection(
        backend, fail_silently=False, **options
    )
    return connection


def _send_email(message: OutboxMessage) -> str:
    message_id = message_id_header(message)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=conf.from_email(),
        to=[message.address],
        headers={"Message-ID": message_id},
    )
    if _mail_connection().send_messages([email]) != 1:
        raise DeliveryError("the e-mail backend did not accept the message")
    return message_id


def deliver(message: OutboxMessage) -> str:
    """Send the message through its channel; return the provider's message id."""
    if message.channel == OutboxMessage.Channel.EMAIL:
        return _send_email(message)
    return sms_backend().send(
        message.address, message.body, reference=message.reference
    )


def _written_to_mail_folder(folder: Path, message_id: str) -> bool:
    header = f"Message-ID: {message_id}".encode()
    return folder.is_dir() and any(
        header in path.read_bytes() for path in folder.iterdir() if path.is_file()
    )


def find_delivered(message: OutboxMessage) -> str | None:
    """Return the id under which an abandoned attempt delivered the message, if known.

    Knowable for the SMS backends that implement ``find_sent`` (the database
    backend does) and the file-based e-mail backend (the Message-ID is in a file).
    An SMTP server cannot be asked: ``None``, and the resend carries the same
    Message-ID, by which mail systems and readers recognise the duplicate.
    """
    if message.channel == OutboxMessage.Channel.SMS:
        return sms_backend().find_sent(message.reference)
    connection = _mail_connection()
    message_id = message_id_header(message)
    if isinstance(connection, FileEmailBackend) and _written_to_mail_folder(
        Path(getattr(connection, "file_path", conf.email_file_path())), message_id
    ):
        return message_id
    return None
