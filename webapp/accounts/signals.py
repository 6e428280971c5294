"""Audit sign-ins, sign-outs, failed sign-ins and lockouts.

Each event names the account by its username only: never the password (Django
hands receivers a cleansed copy of the credentials anyway), never anything else a
person typed. The client address and request id come from the audit context the
middleware binds.
"""

from __future__ import annotations

from typing import Any, Final

from axes.signals import user_locked_out
from django.contrib.auth.models import User
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db import transaction

from audit.services import record

SYSTEM: Final = "accounts"
# The longest username Django allows; anything longer was not a username.
USERNAME_MAX: Final = 150


def connect() -> None:
    """Connect the receivers (WebappConfig.ready calls this once)."""
    user_logged_in.connect(signed_in, dispatch_uid="accounts.audit.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="accounts.audit.signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="accounts.audit.failed")
    user_locked_out.connect(locked_out, dispatch_uid="accounts.audit.locked_out")


def signed_in(sender: Any, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        record(action="account.sign_in", actor=user, target=user)


def signed_out(sender: Any, user: User | None = None, **kwargs: Any) -> None:
    # Signing out of an already-ended session has nobody to name.
    if user is None or not user.is_authenticated:
        return
    with transaction.atomic():
        record(action="account.sign_out", actor=user, target=user)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    username = _username(credentials or {})
    target_type, target_id = _account(username)
    with transaction.atomic():
        record(
            action="account.sign_in_failed",
            actor=None,
            system=SYSTEM,
            target_type=target_type,
            target_id=target_id,
            detail={"username": username},
        )


def locked_out(sender: Any, username: str | None = None, **kwargs: Any) -> None:
    name = _username({"username": username})
    target_type, target_id = _account(name)
    with transaction.atomic():
        record(
            action="account.locked_out",
            actor=None,
            system=SYSTEM,
            target_type=target_type,
            target_id=target_id,
            detail={"username": name},
        )


def _username(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username") or "")[:USERNAME_MAX]


def _account(username: str) -> tuple[str, str]:
    """Name the account as the target when it exists (the detail has the name)."""
    pk = User.objects.filter(username=username).values_list("pk", flat=True).first()
    if pk is None:
        return "", ""
    return "auth.user", str(pk)
