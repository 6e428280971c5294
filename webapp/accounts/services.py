"""Changes to a person's own account."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from audit.services import record


@transaction.atomic
def account_password_change(*, actor: User, new_password: str) -> None:
    """Set the actor's new (already validated) password and audit the change.

    The session hash derives from the password, so every other session of the
    account stops being valid at its next request; the view keeps the current
    one with ``update_session_auth_hash``.
    """
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    record(action="account.password_change", actor=actor, target=actor)
