"""Downloads: permission-checked, audited, sent as attachments that are never
sniffed; a document whose PDF is not rendered yet says it is being prepared."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from notifications.documents.services import document_render
from tests.credit.processes.conftest import World, work
from tests.webapp.files.conftest import PDF
from workflows.credit.models import Attachment, Case, Document


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_applicant_downloads_their_evidence_and_it_is_audited(
    world: World, filed: tuple[Case, Attachment]
) -> None:
    case, evidence = filed
    assert world.rep is not None
    response = _client(world.rep).get(reverse("files:attachment", args=[evidence.pk]))
    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('缴款凭证 2026.pdf')}" in disposition
    assert "private" in response["Cache-Control"]
    (event,) = AuditEvent.objects.filter(action="attachment.download")
    assert event.actor_label == "rep"
    assert event.case_number == case.number
    assert event.target_id == str(evidence.pk)


def test_an_ascii_name_is_sent_plainly(world: World, filed) -> None:
    _case, evidence = filed
    Attachment.objects.filter(pk=evidence.pk).update(original_name="receipt.pdf")
    assert world.rep is not None
    response = _client(world.rep).get(reverse("files:attachment", args=[evidence.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'


def test_people_who_may_not_see_the_case_get_not_found(world: World, filed) -> None:
    _case, evidence = filed
    outsider = User.objects.create_user("outsider-qian")
    other_department = world["swj_reviewer"]
    for user in (outsider, other_department):
        response = _client(user).get(reverse("files:attachment", args=[evidence.pk]))
        assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.download").exists()


def test_an_auditor_may_download_too(world: World, filed) -> None:
    from django.contrib.auth.models import Group

    _case, evidence = filed
    auditor = User.objects.create_user("auditor-an")
    auditor.groups.add(Group.objects.get(name="auditor"))
    response = _client(auditor).get(reverse("files:attachment", args=[evidence.pk]))
    assert response.status_code == 200


def test_anonymous_downloads_are_sent_to_sign_in(client: Client, filed) -> None:
    _case, evidence = filed
    response = client.get(reverse("files:attachment", args=[evidence.pk]))
    assert response.status_code == 302


def test_a_missing_stored_file_is_not_found_not_a_crash(world: World, filed) -> None:
    _case, evidence = filed
    evidence.path.unlink()
    assert world.rep is not None
    response = _client(world.rep).get(reverse("files:attachment", args=[evidence.pk]))
    assert response.status_code == 404


def _accepted(world: World, case: Case) -> Document:
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    return Document.objects.get(case=case, kind="acceptance")


def test_a_document_not_rendered_yet_is_being_prepared(world: World, filed) -> None:
    case, _evidence = filed
    document = _accepted(world, case)
    assert document.rendered_at is None
    assert world.rep is not None
    response = _client(world.rep).get(reverse("files:document", args=[document.pk]))
    assert response.status_code == 202
    assert response["Retry-After"] == "30"
    assert reverse("files:document", args=[document.pk]) in response.content.decode()
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_a_rendered_document_downloads_as_a_pdf_and_is_audited(
    world: World, filed
) -> None:
    case, _evidence = filed
    document = document_render(document_id=_accepted(world, case).pk)
    assert world.rep is not None
    response = _client(world.rep).get(reverse("files:document", args=[document.pk]))
    assert response.status_code == 200
    assert _body(response).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert quote(f"{document.number}.pdf") in response["Content-Disposition"]
    (event,) = AuditEvent.objects.filter(action="document.download")
    assert event.target_id == str(document.pk)
    assert event.case_number == case.number


def test_documents_of_cases_others_cannot_see_are_not_found(
    world: World, filed
) -> None:
    case, _evidence = filed
    document = _accepted(world, case)
    outsider = User.objects.create_user("outsider-sun")
    response = _client(outsider).get(reverse("files:document", args=[document.pk]))
    assert response.status_code == 404
