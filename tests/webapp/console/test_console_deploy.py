"""Deploying models from the console: new versions, unchanged ones, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from tests.credit.processes.conftest import World
from tests.webapp.console.conftest import client_for, role_user
from workflows.models import ProcessDefinition

pytestmark = pytest.mark.django_db

BPMN = Path(settings.BPMN_DIR)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_deploying_changed_and_unchanged_models_shows_the_versions(
    world: World,
) -> None:
    client = client_for(role_user("procadmin", "process_admin"))
    text = (BPMN / "approval_chain.bpmn").read_text(encoding="utf-8")
    before = ProcessDefinition.objects.get(process_id="approval_chain").version
    changed = text.replace("</bpmn:definitions>", "<!-- v2 --></bpmn:definitions>")
    form = (BPMN / "forms" / "approval_level.json").read_bytes()
    response = client.post(
        reverse("console:deploy"),
        {
            "model_files": [
                _upload("approval_chain.bpmn", changed.encode()),
                _upload("approval_level.json", form),
            ]
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "approval_chain" in html
    assert "新版本" in html  # new version
    latest = ProcessDefinition.objects.filter(process_id="approval_chain")
    assert latest.order_by("-version").first().version == before + 1  # type: ignore[union-attr]
    again = client.post(
        reverse("console:deploy"),
        {
            "model_files": [
                _upload("approval_chain.bpmn", changed.encode()),
                _upload("approval_level.json", form),
            ]
        },
    )
    assert "未变化" in again.content.decode()  # unchanged
    assert AuditEvent.objects.filter(action="definition.deploy").count() >= 2


def test_a_refused_model_names_the_file_line_and_element(world: World) -> None:
    client = client_for(role_user("procadmin", "process_admin"))
    text = (BPMN / "approval_chain.bpmn").read_text(encoding="utf-8")
    bad = _broken_script(text)
    form = (BPMN / "forms" / "approval_level.json").read_bytes()
    files = [_upload("approval_chain.bpmn", bad), _upload("approval_level.json", form)]
    response = client.post(reverse("console:deploy"), {"model_files": files})
    assert response.status_code == 400
    html = response.content.decode()
    assert "approval_chain.bpmn" in html
    assert '<td class="mono">tally_chain</td>' in html  # the refused element's id
    assert ProcessDefinition.objects.filter(process_id="approval_chain").count() == 1


def _broken_script(text: str) -> bytes:
    """The approval chain with a tally script that does not compile."""
    start = text.index("<bpmn:script>") + len("<bpmn:script>")
    end = text.index("</bpmn:script>")
    return (text[:start] + "chain_approved = (" + text[end:]).encode()


def test_only_model_files_of_a_sane_size_are_taken(world: World) -> None:
    client = client_for(role_user("procadmin", "process_admin"))
    response = client.post(
        reverse("console:deploy"), {"model_files": [_upload("notes.txt", b"hello")]}
    )
    assert response.status_code == 400
    assert "notes.txt" in response.content.decode()
    big = _upload("huge.bpmn", b" " * (2 * 1024 * 1024 + 1))
    response = client.post(reverse("console:deploy"), {"model_files": [big]})
    assert response.status_code == 400
    assert "huge.bpmn" in response.content.decode()
