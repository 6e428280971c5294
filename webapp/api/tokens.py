"""API tokens: create (the clear value is returned once), revoke, list, look up.

Only the token's SHA-256 is stored. A token is ``cwt_`` and 43 URL-safe characters
(32 random bytes); its first 12 characters are kept as ``prefix`` so a person can
tell their tokens apart in a list without the secret being kept anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Final

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import record
from webapp.models import ApiToken
from workflows.errors import ForbiddenError, InvalidInputError, NotFoundError
from workflows.policies import is_system_admin

TOKEN_PREFIX: Final = "cwt_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH: Final = 12
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION: Final = dt.timedelta(minutes=1)
MAX_ACTIVE_PER_USER: Final = 20


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its clear value, which exists only in this object."""

    token: ApiToken
    secret: str


def token_hash(secret: str) -> str:
    """Return the SHA-256 (hex) a token is stored and looked up by."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _require_may_manage(actor: User | None, user: User) -> None:
    if actor is None or actor.pk == user.pk or is_system_admin(actor):
        return
    raise ForbiddenError("only the owner or a system administrator manages tokens")


@transaction.atomic
def api_token_create(
    *,
    actor: User | None,
    user: User,
    name: str,
    expires_at: dt.datetime | None = None,
) -> IssuedToken:
    """Create a token for a user; the clear value is in the result and nowhere else."""
    _require_may_manage(actor, user)
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInputError(
            "give the token a name of 1 to 100 characters", ["name"]
        )
    if not user.is_active:
        raise InvalidInputError(f"user {user.get_username()} is not active", ["user"])
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInputError("the expiry must be in the future", ["expires_at"])
    active = ApiToken.objects.active().filter(user=user).count()
    if active >= MAX_ACTIVE_PER_USER:
        raise InvalidInputError(
            f"{user.get_username()} has {active} active tokens; revoke one first"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=token_hash(secret),
        created_by=actor,
        expires_at=expires_at,
    )
    record(
        action="api_token.create",
        actor=actor,
        system="" if actor else "cli",
        target=token,
        after={
            "user": user.get_username(),
            "name": name,
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token: requests with it are refused from now on."""
    token = (
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(pk=token_id)
        .first()
    )
    if token is None:
        raise NotFoundError("no such token")
    if actor is not None and actor.pk != token.user_id and not is_system_admin(actor):
        raise NotFoundError("no such token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            action="api_token.revoke",
            actor=actor,
            system="" if actor else "cli",
            target=token,
            before={"revoked": False},
            after={"revoked": True, "user": token.user.get_username()},
        )
    return token


def api_token_list_for_user(user: User) -> QuerySet[ApiToken]:
    """Return the user's tokens, newest first (revoked ones too)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_authenticate(secret: str) -> ApiToken | None:
    """Return the active token with this clear value (its user loaded), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=token_hash(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
