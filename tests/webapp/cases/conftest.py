"""Fixtures of the staff case pages: the credit test world and people by role."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from tests.credit.processes.conftest import frozen, world

__all__ = ["frozen", "role_user", "world"]


def role_user(username: str, *groups: str) -> User:
    """Create a user in the named role groups (e.g. "auditor", "process_admin")."""
    user = User.objects.create_user(username, password="pw-Test-2026!")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return User.objects.get(pk=user.pk)
