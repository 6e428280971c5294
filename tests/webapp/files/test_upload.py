"""files:upload stages one file per POST and answers its id, name and size."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.webapp.files.conftest import PDF
from workflows.credit.models import Attachment
from workflows.credit.models.documents import MAX_ATTACHMENT_SIZE

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
HTML = b"<!doctype html><title>x</title><script>alert(document.cookie)</script>"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def person(db: None) -> User:
    return User.objects.create_user("uploader-zhou")


@pytest.fixture
def signed_in(client: Client, person: User) -> Client:
    client.force_login(person)
    return client


def _post(client: Client, content: bytes, name: str, **extra: Any) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        reverse("files:upload"), {"file": upload, "kind": "evidence"}, **extra
    )


def test_an_upload_is_staged_and_described_as_json(signed_in, person) -> None:
    response = _post(signed_in, PDF, "缴款凭证.pdf", **JSON)
    assert response.status_code == 201
    body = response.json()
    attachment = Attachment.objects.get(pk=body["id"])
    assert body == {
        "id": attachment.pk,
        "name": "缴款凭证.pdf",
        "size": len(PDF),
        "kind": "evidence",
        "content_type": "application/pdf",
    }
    assert attachment.is_staged
    assert attachment.uploaded_by == person
    assert AuditEvent.objects.filter(action="attachment.stage").count() == 1


def test_htmx_gets_a_list_item_with_the_hidden_id(signed_in) -> None:
    response = _post(signed_in, PDF, "a.pdf", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    html = response.content.decode()
    assert f'name="attachments" value="{attachment.pk}"' in html
    assert "a.pdf" in html


@pytest.mark.parametrize(
    ("content", "name"),
    [(ELF, "发票.pdf"), (HTML, "证据.pdf"), (b"MZ\x90\x00" + b"\0" * 60, "x.pdf")],
    ids=["elf", "html", "windows-exe"],
)
def test_a_disguised_file_is_refused_with_a_bilingual_reason(
    signed_in, content, name
) -> None:
    response = _post(signed_in, content, name, **JSON)
    assert response.status_code == 400
    error = response.json()["error"]
    assert "不是 PDF、JPEG、PNG 或 OFD" in error
    assert "is not PDF, JPEG, PNG or OFD" in error
    assert not Attachment.objects.exists()


def test_a_refusal_for_htmx_is_a_message_fragment(signed_in) -> None:
    response = _post(signed_in, HTML, "x.pdf", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert b"<html" not in response.content


def test_a_file_over_20_mib_is_refused_before_it_is_read(signed_in) -> None:
    response = _post(signed_in, PDF.ljust(MAX_ATTACHMENT_SIZE + 1, b"\0"), "big.pdf")
    assert response.status_code == 413
    assert "20" in response.json()["error"]
    assert not Attachment.objects.exists()


def test_an_upload_without_a_file_is_refused(signed_in) -> None:
    response = signed_in.post(reverse("files:upload"), {"kind": "evidence"}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"]


def test_anonymous_uploads_are_sent_to_sign_in(client: Client) -> None:
    response = _post(client, PDF, "a.pdf")
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_uploads_need_the_csrf_token(person) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert _post(client, PDF, "a.pdf").status_code == 403


def test_reading_the_upload_address_is_not_allowed(signed_in) -> None:
    assert signed_in.get(reverse("files:upload")).status_code == 405


def test_uploads_are_rate_limited_per_person(signed_in, settings) -> None:
    settings.RATELIMIT_UPLOAD = "2/h"
    assert _post(signed_in, PDF, "1.pdf", **JSON).status_code == 201
    assert _post(signed_in, PDF, "2.pdf", **JSON).status_code == 201
    response = _post(signed_in, PDF, "3.pdf", **JSON)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert response.json()["error"]
    assert Attachment.objects.count() == 2


def test_a_person_may_discard_their_own_staged_upload(signed_in) -> None:
    pk = _post(signed_in, PDF, "a.pdf", **JSON).json()["id"]
    response = signed_in.post(reverse("files:discard", args=[pk]))
    assert response.status_code == 204
    assert not Attachment.objects.filter(pk=pk).exists()


def test_nobody_else_may_discard_it(signed_in, django_user_model) -> None:
    pk = _post(signed_in, PDF, "a.pdf", **JSON).json()["id"]
    other = Client()
    other.force_login(django_user_model.objects.create_user("other-wu"))
    assert other.post(reverse("files:discard", args=[pk])).status_code == 400
    assert Attachment.objects.filter(pk=pk).exists()
