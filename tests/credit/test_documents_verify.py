"""The public page /verify/<code> says whether a document is authentic and current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from notifications.documents.services import document_render
from tests.credit.factories import UserFactory
from tests.notifications.documents.support import (
    PERSON_ID,
    PERSON_NAME,
    World,
    sample_document,
    world,
)
from workflows.credit.documents import document_supersede
from workflows.credit.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    settings.DOCUMENTS_DIR = folder
    return folder


@pytest.fixture
def departments() -> World:
    return world()


def _page(client: Client, code: str) -> tuple[int, str]:
    response = client.get(f"/verify/{code}")
    return response.status_code, response.content.decode()


def test_a_current_document_is_shown_as_authentic_without_login(
    client: Client, departments: World
) -> None:
    document = document_render(
        document_id=sample_document(Document.Kind.LISTING_DECISION, departments).pk
    )

    status, page = _page(client, document.verification_code)

    assert status == 200
    assert "本文书真实有效" in page
    assert "This document is authentic and in force" in page
    assert document.number is not None
    assert document.number in page
    assert "列入名单决定书" in page
    assert "示例市市场监督管理局" in page
    assert document.sha256 in page
    assert document.issued_at is not None
    assert document.issued_at.date().isoformat()[:4] in page
    # An organisation's name and credit code are public.
    assert document.case.subject.name in page
    assert document.case.subject.code in page


def test_a_code_printed_in_groups_of_four_is_accepted(
    client: Client, departments: World
) -> None:
    document = sample_document(Document.Kind.ACCEPTANCE, departments)
    code = document.verification_code
    grouped = "-".join(code[i : i + 4] for i in range(0, 16, 4)).lower()

    status, page = _page(client, grouped)

    assert status == 200
    assert "文书正在生成" in page  # not rendered yet: no sha256 to show


def test_a_superseded_document_names_its_successor(
    client: Client, departments: World
) -> None:
    clerk = UserFactory.create(username="xyb-clerk")
    old = document_render(
        document_id=sample_document(Document.Kind.OBJECTION_DECISION, departments).pk
    )
    new = document_supersede(actor=clerk, document=old, payload=old.payload)
    newest = document_supersede(actor=clerk, document=new, payload=old.payload)

    status, page = _page(client, old.verification_code)

    assert status == 200
    assert "本文书真实有效" not in page
    assert f"已被{new.number}替代" in page
    assert f"现行有效文书为{newest.number}" in page
    _status, current = _page(client, newest.verification_code)
    assert "本文书真实有效" in current


def test_a_natural_persons_name_and_id_are_masked(
    client: Client, departments: World
) -> None:
    document = sample_document(Document.Kind.PRIOR_NOTICE, departments, person=True)

    status, page = _page(client, document.verification_code)

    assert status == 200
    assert PERSON_NAME not in page
    assert "王**" in page
    assert PERSON_ID not in page
    assert f"{PERSON_ID[:6]}********{PERSON_ID[14:]}" in page


@pytest.mark.parametrize(
    "code",
    ["AAAAAAAAAAAAAAAA", "not-a-code", "ABCDEFGH234567A1", "%2e%2e"],
)
def test_an_unknown_code_is_not_found_and_says_nothing_more(
    client: Client, departments: World, code: str
) -> None:
    sample_document(Document.Kind.ACCEPTANCE, departments)
    unknown = client.get("/verify/AAAAAAAAAAAAAAAA")

    response = client.get(f"/verify/{code}")

    assert response.status_code == 404
    assert "未找到与该核验码对应的文书" in response.content.decode()
    # The same page for any unknown code: nothing tells how close a guess was.
    assert response.content == unknown.content


def test_a_document_not_yet_issued_is_not_found(
    client: Client, departments: World
) -> None:
    document = sample_document(Document.Kind.ACCEPTANCE, departments)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.PENDING)

    status, _page_text = _page(client, document.verification_code)

    assert status == 404


def test_the_page_is_kept_out_of_caches_referrers_and_search_engines(
    client: Client, departments: World
) -> None:
    document = sample_document(Document.Kind.ACCEPTANCE, departments)

    response = client.get(f"/verify/{document.verification_code}")

    assert "no-cache" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.post(f"/verify/{document.verification_code}").status_code == 405
