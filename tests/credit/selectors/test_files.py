"""Attachments and documents are visible exactly when their case is."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.credit.processes.conftest import World, work
from tests.credit.selectors.conftest import Others, file_objection, fresh
from workflows.credit.models import Attachment, Case, Document
from workflows.credit.selectors.files import (
    attachment_get,
    attachment_list_for_case,
    document_get,
    document_list_for_case,
)
from workflows.credit.services.attachments import attachment_add
from workflows.errors import NotFoundError

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def filed(world: World, settings: Any, tmp_path: Any) -> tuple[Case, Attachment]:
    settings.MEDIA_ROOT = str(tmp_path)
    case = file_objection(world)
    attachment = attachment_add(
        actor=world.rep,
        case=case,
        kind=Attachment.Kind.EVIDENCE,
        name="缴款凭证.pdf",
        content=b"%PDF-1.4 proof",
        content_type="application/pdf",
    )
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    return case, attachment


def _sees_attachment(user: User, case: Case, attachment: Attachment) -> bool:
    try:
        attachment_get(user, attachment.pk)
    except NotFoundError:
        return False
    return attachment_list_for_case(user, case).filter(pk=attachment.pk).exists()


def _sees_document(user: User, case: Case, document: Document) -> bool:
    try:
        document_get(user, document.pk)
    except NotFoundError:
        return False
    return document_list_for_case(user, case).filter(pk=document.pk).exists()


def test_files_follow_their_case(
    world: World, others: Others, filed: tuple[Case, Attachment]
) -> None:
    case, attachment = filed
    document = case.documents.first()
    assert document is not None  # the acceptance notice
    assert world.rep is not None
    allowed = [world.rep, world["xyb_clerk"], world["scj_reviewer"], others.auditor]
    refused = [others.rep_b, world["swj_reviewer"], world["rsj_officer"]]
    refused.append(others.process_admin)

    for user in allowed:
        assert _sees_attachment(fresh(user), case, attachment), user
        assert _sees_document(fresh(user), case, document), user
    for user in refused:
        assert not _sees_attachment(fresh(user), case, attachment), user
        assert not _sees_document(fresh(user), case, document), user
        assert not attachment_list_for_case(fresh(user), case).exists()


def test_malformed_file_ids_are_not_found(
    world: World, filed: tuple[Case, Attachment]
) -> None:
    for pk in ("x", None, 10**9):
        with pytest.raises(NotFoundError):
            attachment_get(fresh(world.admin), pk)
        with pytest.raises(NotFoundError):
            document_get(fresh(world.admin), pk)


@pytest.mark.parametrize("username", ["rep", "scj_reviewer", "rep_b"])
def test_file_lists_are_one_query_each(
    world: World,
    others: Others,
    filed: tuple[Case, Attachment],
    username: str,
    django_assert_num_queries: Any,
) -> None:
    case, _attachment = filed
    user = fresh(User.objects.get(username=username))

    with django_assert_num_queries(1):
        list(attachment_list_for_case(user, case))
    with django_assert_num_queries(1):
        documents = list(document_list_for_case(user, case))
        assert all(d.issuing_department.code for d in documents)
