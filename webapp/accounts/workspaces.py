"""Where each role works: the start page sends a signed-in person there."""

from __future__ import annotations

from typing import Final

from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse

from workflows import roles
from workflows.access.roles import roles_of

STAFF: Final = frozenset(
    {
        roles.CREDIT_OFFICE_CLERK,
        roles.REVIEWER,
        roles.SECTION_CHIEF,
        roles.DEPARTMENT_HEAD,
        roles.IMPLEMENTING_OFFICER,
    }
)
PARTIES: Final = frozenset({roles.SUBJECT, roles.AGENT})
# First match wins: a person who is staff and also a subject's representative works
# mostly as staff; an administrator's own work is the console.
WORKSPACES: Final[tuple[tuple[frozenset[str], str], ...]] = (
    (STAFF, "inbox:list"),
    (frozenset({roles.AUDITOR}), "auditing:search"),
    (frozenset({roles.PROCESS_ADMIN, roles.SYSTEM_ADMIN}), "console:home"),
    (PARTIES, "portal:home"),
)


def workspace_url(user: User) -> str | None:
    """Return the address of the user's workspace, or None if no area exists yet."""
    held = roles_of(user)
    names = [name for wanted, name in WORKSPACES if held & wanted]
    # While an area is not built yet: the portal for parties and people without a
    # role, the inbox for everyone else.
    party = held <= PARTIES and not user.is_superuser
    fallbacks = (
        ("portal:home", "inbox:list") if party else ("inbox:list", "portal:home")
    )
    for name in (*names, *fallbacks):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None
