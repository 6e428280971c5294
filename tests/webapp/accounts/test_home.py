"""The start page sends each role to its workspace."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from workflows import roles

pytestmark = pytest.mark.django_db


def _first(*names: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    raise AssertionError(f"none of {names} exists")


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")


@pytest.mark.parametrize(
    ("role", "workspace", "fallback"),
    [
        (roles.SUBJECT, "portal:home", "portal:home"),
        (roles.AGENT, "portal:home", "portal:home"),
        (roles.REVIEWER, "inbox:list", "inbox:list"),
        (roles.CREDIT_OFFICE_CLERK, "inbox:list", "inbox:list"),
        (roles.AUDITOR, "auditing:search", "inbox:list"),
        (roles.PROCESS_ADMIN, "console:home", "inbox:list"),
    ],
)
def test_each_role_is_sent_to_its_workspace(
    client, make_user, role, workspace, fallback
) -> None:
    client.force_login(make_user(f"someone-{role}", role))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == _first(workspace, fallback)


def test_staff_who_also_represent_a_subject_go_to_their_inbox(
    client, make_user
) -> None:
    client.force_login(make_user("both", roles.SUBJECT, roles.REVIEWER))
    assert client.get("/")["Location"] == reverse("inbox:list")


def test_a_superuser_goes_to_the_console(client, make_user) -> None:
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert client.get("/")["Location"] == _first("console:home", "inbox:list")


def test_people_without_a_role_go_to_the_portal(client, make_user) -> None:
    client.force_login(make_user("newcomer"))
    assert client.get("/")["Location"] == reverse("portal:home")
