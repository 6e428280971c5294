"""Fixtures of the console pages: the credit test world, people by role, content."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from tests.credit.processes.conftest import World, frozen, world
from tests.credit.processes.test_list_support import propose
from tests.webapp.cases.conftest import role_user
from workflows.credit.models import ListEntry, Measure
from workflows.credit.services.measures import measure_create

__all__ = ["frozen", "role_user", "world"]


def client_for(user: User) -> Client:
    """A test client signed in as the user."""
    client = Client()
    client.force_login(user)
    return client


def add_measure(world: World, actor: User, code: str = "RSJ-01") -> Measure:
    """Put a measure for the serious list, applied by RSJ, into the catalogue."""
    return measure_create(
        actor=actor,
        code=code,
        name="限制参加评优评先 No awards",
        kind=Measure.Kind.MANDATORY,
        implementing_department=world.departments["RSJ"],
        list_types=[ListEntry.ListType.SERIOUS_DISHONESTY],
        legal_basis="国办发〔2020〕49号",
    )


def list_entry(world: World) -> ListEntry:
    """A proposed serious-list entry on the world's subject (SCJ proposes it)."""
    case = propose(world)
    case.refresh_from_db()
    assert case.target_list_entry is not None
    return case.target_list_entry
