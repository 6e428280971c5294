"""``manage.py api_token create|revoke|list --user NAME``: personal API tokens.

``create`` prints the token once; only its SHA-256 is stored. Actions are audited
as the system (``system:cli``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.context import bind
from webapp.api.tokens import (
    api_token_create,
    api_token_list_for_user,
    api_token_revoke,
)
from workflows.errors import RuntimeServiceError


class Command(BaseCommand):
    help = "Create, revoke or list a user's API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser("create", help="create a token; printed once")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="api", help="what the token is for")
        create.add_argument(
            "--days", type=int, default=None, help="expire after this many days"
        )
        revoke = verbs.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("token_id", type=int)
        listing = verbs.add_parser("list", help="list a user's tokens")
        listing.add_argument("--user", required=True)

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        with bind(via="cli"):
            try:
                getattr(self, f"_{verb}")(**options)
            except RuntimeServiceError as error:
                raise CommandError(str(error)) from error

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user

    def _create(self, *, user: str, name: str, days: int | None, **_: Any) -> None:
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        issued = api_token_create(
            actor=None, user=self._user(user), name=name, expires_at=expires
        )
        self.stdout.write(issued.secret)
        self.stderr.write(
            f"token {issued.token.pk} ({issued.token.prefix}…) for {user}: "
            "shown once, store it now"
        )

    def _revoke(self, *, token_id: int, **_: Any) -> None:
        token = api_token_revoke(actor=None, token_id=token_id)
        self.stdout.write(f"token {token.pk} ({token.prefix}…) revoked")

    def _list(self, *, user: str, **_: Any) -> None:
        for token in api_token_list_for_user(self._user(user)):
            state = "revoked" if token.revoked_at else "active"
            if token.expires_at and token.expires_at <= timezone.now():
                state = "expired"
            used = token.last_used_at.isoformat() if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}\t"
                f"created {token.created_at.isoformat()}\tlast used {used}"
            )
