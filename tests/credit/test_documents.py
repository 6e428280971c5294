"""Issuing, numbering, verification codes and superseding of official documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from notifications.documents.services import document_render
from tests.credit.factories import UserFactory
from tests.notifications.documents.support import (
    World,
    pdf_text,
    sample_document,
    world,
)
from workflows.credit.documents import DocumentNotCurrentError, document_supersede
from workflows.credit.models import Document
from workflows.credit.verification import (
    CODE_PATTERN,
    mask_person_name,
    normalise_verification_code,
    verification_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    settings.DOCUMENTS_DIR = folder
    return folder


@pytest.fixture
def departments() -> World:
    return world()


def test_an_issued_document_waits_for_its_pdf_with_a_fresh_code(
    departments: World,
) -> None:
    first = sample_document(Document.Kind.ACCEPTANCE, departments)
    second = sample_document(Document.Kind.ACCEPTANCE, departments)

    assert first.status == Document.Status.ISSUED
    assert first.is_being_prepared
    assert first.is_current
    assert (first.sha256, first.file_name, first.path) == ("", "", None)
    assert CODE_PATTERN.fullmatch(first.verification_code)
    assert first.verification_code != second.verification_code
    assert first.issued_at is not None
    year = timezone.localtime(first.issued_at).year
    assert first.number == f"XYB信受〔{year}〕1号"
    assert second.number == f"XYB信受〔{year}〕2号"


def test_a_rendered_document_is_no_longer_being_prepared(departments: World) -> None:
    document = sample_document(Document.Kind.SUPPLEMENT_REQUEST, departments)

    rendered = document_render(document_id=document.pk)

    assert not rendered.is_being_prepared
    assert rendered.path is not None
    assert rendered.path.is_file()
    assert len(rendered.sha256) == 64


def test_superseding_issues_a_new_number_and_marks_the_old_one(
    departments: World,
) -> None:
    clerk = UserFactory.create(username="xyb-clerk")
    old = document_render(
        document_id=sample_document(Document.Kind.OBJECTION_DECISION, departments).pk
    )
    corrected = {**old.payload, "findings": "罚款金额应为500元"}

    new = document_supersede(actor=clerk, document=old, payload=corrected)

    old.refresh_from_db()
    assert old.status == Document.Status.SUPERSEDED
    assert old.superseded_by == new
    assert not old.is_current
    assert new.is_current
    assert new.is_being_prepared
    assert old.number is not None
    assert new.number == old.number.replace("1号", "2号")
    assert (new.kind, new.case, new.issuing_department) == (
        old.kind,
        old.case,
        old.issuing_department,
    )
    assert new.payload["findings"] == "罚款金额应为500元"
    # The old PDF, its hash and its file stay as they were issued.
    assert old.sha256
    assert old.path is not None
    assert old.path.is_file()
    event = AuditEvent.objects.get(action="document.supersede")
    assert event.actor_label == "xyb-clerk"
    assert event.after == {"status": "superseded", "superseded_by": new.number}


def test_the_replacement_names_the_document_it_replaces(departments: World) -> None:
    clerk = UserFactory.create(username="xyb-clerk")
    old = sample_document(Document.Kind.REPAIR_NOTICE, departments)
    new = document_supersede(actor=clerk, document=old, payload=old.payload)

    rendered = document_render(document_id=new.pk)

    assert rendered.path is not None
    text = "".join(pdf_text(rendered.path).split())
    assert f"本文书更正并替代{old.number}文书" in text


def test_only_a_current_document_can_be_superseded(departments: World) -> None:
    clerk = UserFactory.create(username="xyb-clerk")
    old = sample_document(Document.Kind.ACCEPTANCE, departments)
    document_supersede(actor=clerk, document=old, payload={})

    with pytest.raises(DocumentNotCurrentError):
        document_supersede(actor=clerk, document=old, payload={})

    assert Document.objects.filter(case=old.case).count() == 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ABCD-EFGH-2345-67AB", "ABCDEFGH234567AB"),
        ("abcd efgh 2345 67ab", "ABCDEFGH234567AB"),
        ("ABCDEFGH234567A", None),  # 15 characters
        ("ABCDEFGH234567A1", None),  # 1 is not base32
        ("../../etc/passwd", None),
    ],
)
def test_codes_are_read_as_printed_and_malformed_ones_refused(
    raw: str, expected: str | None
) -> None:
    assert normalise_verification_code(raw) == expected


def test_person_names_keep_only_their_first_character() -> None:
    assert mask_person_name("王小明") == "王**"
    assert mask_person_name("张三") == "张*"
    assert mask_person_name("李") == "*"


def test_the_verification_url_uses_the_public_base_url(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://credit.example.gov.cn/"

    assert (
        verification_url("ABCDEFGH234567AB")
        == "https://credit.example.gov.cn/verify/ABCDEFGH234567AB"
    )
