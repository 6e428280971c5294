"""attachment_add stores the bytes under a random name, hashes them and audits."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.credit.conftest import audited, grant
from tests.credit.factories import CaseFactory, UserFactory
from workflows.credit.models import Attachment, Case
from workflows.credit.models.documents import MAX_ATTACHMENT_SIZE
from workflows.credit.services.attachments import attachment_add
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"proof of payment " * 100


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def case() -> Case:
    return CaseFactory.create()


def _add(case: Case, **overrides: Any) -> Attachment:
    arguments: dict[str, Any] = {
        "actor": case.applicant,
        "case": case,
        "kind": Attachment.Kind.PROOF,
        "name": "缴款凭证.pdf",
        "content": PDF,
        "content_type": "application/pdf",
    }
    arguments.update(overrides)
    return attachment_add(**arguments)


def test_stores_the_bytes_under_a_random_name_in_the_attachments_directory(
    case, media_root
):
    attachment = _add(case)
    stored = media_root / "attachments" / attachment.stored_name
    assert stored.read_bytes() == PDF
    assert attachment.path == stored
    assert len(attachment.stored_name) == 32
    assert "缴款凭证" not in attachment.stored_name
    assert stored.stat().st_mode & 0o777 == 0o600


def test_records_size_hash_type_and_uploader(case):
    attachment = _add(case)
    attachment.refresh_from_db()
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "缴款凭证.pdf"
    assert attachment.uploaded_by == case.applicant


def test_two_uploads_of_the_same_file_get_different_stored_names(case):
    first, second = _add(case), _add(case)
    assert first.stored_name != second.stored_name
    assert first.sha256 == second.sha256


def test_records_one_audit_event_against_the_case(case):
    with audited("attachment.add") as events:
        attachment = _add(case)
    (event,) = events
    assert event.case_number == case.number
    assert event.target_id == str(attachment.pk)
    assert event.after is not None
    assert event.after["sha256"] == attachment.sha256
    assert event.after["size"] == len(PDF)


def test_accepts_exactly_20_mib(case):
    attachment = _add(case, content=PDF.ljust(MAX_ATTACHMENT_SIZE, b"\0"))
    assert attachment.size == 20 * 1024 * 1024


def test_refuses_a_file_over_20_mib_and_stores_nothing(case, media_root):
    with audited(), pytest.raises(InvalidInputError, match="20 MiB"):
        _add(case, content=PDF.ljust(MAX_ATTACHMENT_SIZE + 1, b"\0"))
    assert not Attachment.objects.exists()
    assert not any((media_root / "attachments").glob("*"))


def test_refuses_an_empty_file(case):
    with pytest.raises(InvalidInputError, match="empty"):
        _add(case, content=b"")


def test_keeps_only_the_last_path_component_of_the_name(case):
    for name in ("../../etc/passwd.pdf", "C:\\Users\\li\\证据.pdf"):
        attachment = _add(case, name=name)
        assert "/" not in attachment.original_name
        assert "\\" not in attachment.original_name
    assert attachment.original_name == "证据.pdf"


def test_shortens_a_very_long_name_keeping_its_extension(case):
    attachment = _add(case, name="长" * 300 + ".pdf")
    assert len(attachment.original_name) == 255
    assert attachment.original_name.endswith(".pdf")


@pytest.mark.parametrize("name", ["", "   ", "..", "dir/"])
def test_refuses_a_name_that_is_no_file_name(case, name):
    with pytest.raises(InvalidInputError):
        _add(case, name=name)


@pytest.mark.parametrize("content_type", ["", "pdf", "text/html; charset=utf-8\n"])
def test_stores_the_type_the_bytes_show_not_the_one_claimed(case, content_type):
    assert _add(case, content_type=content_type).content_type == "application/pdf"


def test_refuses_an_unknown_kind(case):
    with pytest.raises(InvalidInputError):
        _add(case, kind="selfie")


def test_the_agent_may_attach_files(case, media_root):
    agent = UserFactory.create(username="agent-wu")
    case.agent = agent
    case.save()
    attachment = _add(case, actor=agent, kind=Attachment.Kind.POWER_OF_ATTORNEY)
    assert attachment.uploaded_by == agent


def test_staff_with_the_permission_may_attach_files(case):
    clerk = grant(UserFactory.create(username="window-clerk"), "credit.add_attachment")
    assert _add(case, actor=clerk).uploaded_by == clerk


def test_refuses_someone_else_and_leaves_no_file(case, media_root):
    stranger = UserFactory.create(username="stranger")
    with pytest.raises(ForbiddenError):
        _add(case, actor=stranger)
    assert not Attachment.objects.exists()
    assert not (media_root / "attachments").exists()


def test_refuses_files_for_a_closed_case(case):
    case.status = Case.Status.WITHDRAWN
    case.save()
    with pytest.raises(ConflictError):
        _add(case)


def test_removes_the_file_when_the_row_cannot_be_written(case, media_root, monkeypatch):
    def fail(**_kwargs):
        raise RuntimeError("audit chain unavailable")

    monkeypatch.setattr("workflows.credit.services.attachments.record", fail)
    with pytest.raises(RuntimeError):
        _add(case)
    assert not any((media_root / "attachments").glob("*"))
