"""Who may use the console: process and system administrators; auditors read."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.credit.processes.conftest import World
from tests.webapp.console.conftest import add_measure, client_for, list_entry, role_user
from workflows.credit.models import ListEntry, Measure
from workflows.models import ProcessDefinition

pytestmark = pytest.mark.django_db

READ_PAGES = (
    "console:home",
    "console:definitions",
    "console:incidents",
    "console:calendar",
    "console:measures",
    "console:lists",
)


def _people(world: World) -> dict[str, User]:
    process_admin = role_user("procadmin", "process_admin")
    add_measure(world, process_admin)
    list_entry(world)
    return {
        "process_admin": process_admin,
        "system_admin": role_user("sysadmin", "system_admin"),
        "auditor": role_user("auditor", "auditor"),
        "reviewer": world["scj_reviewer"],
        "head": world["scj_head"],
        "subject": world.rep or world.admin,
    }


def _detail_urls(world: World) -> list[str]:
    definition = ProcessDefinition.objects.get(process_id="objection")
    urls = [
        reverse("console:definition", args=[definition.pk]),
        reverse("console:definition_xml", args=[definition.pk]),
    ]
    entry = ListEntry.objects.get()
    return [
        *urls,
        reverse("console:instance", args=[entry.cases.get().process_instance_id]),
    ]


def test_administrators_and_auditors_read_every_console_page(world: World) -> None:
    people = _people(world)
    for role in ("process_admin", "system_admin", "auditor"):
        client = client_for(people[role])
        for name in READ_PAGES:
            response = client.get(reverse(name))
            assert response.status_code == 200, (role, name, response.status_code)
        for url in _detail_urls(world):
            assert client.get(url).status_code == 200, (role, url)
    # Process administrators keep the lists, so they read their entries like
    # auditors (issue 4: the console's lists, search and view entries); neither
    # gets a button that decides anything.
    entry = ListEntry.objects.get()
    for role in ("process_admin", "auditor"):
        client = client_for(people[role])
        listing = client.get(reverse("console:lists")).content.decode()
        assert entry.subject.name in listing, role
        page = client.get(reverse("console:list_entry", args=[entry.pk]))
        assert page.status_code == 200, role


def test_everyone_else_is_refused_the_console(world: World) -> None:
    people = _people(world)
    for role in ("reviewer", "head", "subject"):
        client = client_for(people[role])
        for name in READ_PAGES:
            assert client.get(reverse(name)).status_code == 403, (role, name)
        for url in _detail_urls(world):
            assert client.get(url).status_code == 403, (role, url)
        assert client.get(reverse("console:deploy")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get(reverse("console:home"))
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_readers_without_the_right_cannot_deploy_or_edit_measures(
    world: World,
) -> None:
    people = _people(world)
    for role in ("auditor", "system_admin"):
        client = client_for(people[role])
        assert client.get(reverse("console:deploy")).status_code == 403
        assert client.get(reverse("console:measure_add")).status_code == 403
        url = reverse("console:measure_edit", args=[Measure.objects.get().pk])
        assert client.get(url).status_code == 403


def test_the_auditor_sees_no_buttons_that_change_anything(world: World) -> None:
    client = client_for(_people(world)["auditor"])
    home = client.get(reverse("console:home")).content.decode()
    assert reverse("console:deploy") not in home
    calendar = client.get(reverse("console:calendar")).content.decode()
    assert reverse("console:calendar_remove") not in calendar
    assert 'name="kind"' not in calendar
    measures = client.get(reverse("console:measures")).content.decode()
    assert reverse("console:measure_add") not in measures


def test_the_definition_xml_downloads_as_a_file(world: World, frozen: Any) -> None:
    definition = ProcessDefinition.objects.get(process_id="objection")
    client = client_for(role_user("procadmin", "process_admin"))
    url = reverse("console:definition_xml", args=[definition.pk])
    inline = client.get(url)
    assert inline["Content-Type"].startswith("application/xml")
    assert "Content-Disposition" not in inline
    download = client.get(url, {"download": "1"})
    assert download["Content-Disposition"] == (
        f'attachment; filename="objection-v{definition.version}.bpmn"'
    )
    page = client.get(reverse("console:definition", args=[definition.pk]))
    assert "data-bpmn-diagram" in page.content.decode()
    assert url in page.content.decode()
