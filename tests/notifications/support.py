"""Helpers of the notification tests: mail folder reading and misbehaving backends."""

from __future__ import annotations

import email
import email.policy
import os
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend

from notifications.sms import DatabaseSmsBackend, SmsBackend

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def wait_for(condition: Callable[[], bool], *, timeout: float = 30) -> None:
    """Poll until ``condition()`` holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not true within {timeout} s"
        time.sleep(0.1)


def read_mail(folder: Path) -> list[EmailMessage]:
    """Parse every message Django's file-based backend wrote into ``folder``."""
    messages = []
    for path in sorted(folder.glob("*")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                parsed = email.message_from_bytes(chunk, policy=email.policy.default)
                assert isinstance(parsed, EmailMessage)
                messages.append(parsed)
    return messages


def copies_of(folder: Path, message_id: str) -> int:
    """Count the messages in ``folder`` that carry ``message_id``."""
    return sum(1 for m in read_mail(folder) if m["Message-ID"] == message_id)


def text_of(message: EmailMessage) -> str:
    """Return the decoded text body of a single-part message."""
    return str(message.get_content())


class FlakyEmailBackend(LocmemEmailBackend):
    """Refuse the connection ``failures`` times, then deliver to ``mail.outbox``."""

    failures = 0

    def send_messages(self, email_messages: Any) -> int:
        if FlakyEmailBackend.failures > 0:
            FlakyEmailBackend.failures -= 1
            raise ConnectionRefusedError("mail server not answering")
        return int(super().send_messages(email_messages))


class BrokenSmsBackend(SmsBackend):
    """A provider that is down for good."""

    def send(self, number: str, text: str, *, reference: str = "") -> str:
        raise RuntimeError("provider down")


class _Hang:
    """Tell the test we are inside the send, then wait to be killed."""

    @staticmethod
    def now() -> None:
        Path(os.environ["NTF_HANG_MARKER"]).touch()
        time.sleep(600)

    @staticmethod
    def after_delivery() -> bool:
        return os.environ.get("NTF_HANG_AFTER_DELIVERY") == "1"


class HangingEmailBackend(FileEmailBackend):
    """Hang inside the send, before or after writing the message (kill tests)."""

    def send_messages(self, email_messages: Any) -> int:
        if not _Hang.after_delivery():
            _Hang.now()
        sent = int(super().send_messages(email_messages))
        _Hang.now()
        return sent


class HangingSmsBackend(DatabaseSmsBackend):
    """Hang inside the send, before or after recording the message (kill tests)."""

    def send(self, number: str, text: str, *, reference: str = "") -> str:
        if not _Hang.after_delivery():
            _Hang.now()
        provider_id = super().send(number, text, reference=reference)
        _Hang.now()
        return provider_id
