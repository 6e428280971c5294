"""Files uploaded ahead of a filing are staged, owned by their uploader, attached by
the filing in its own transaction, and removed by a daily job when nobody files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from tests.credit.conftest import audited
from tests.credit.processes import conftest as processes
from tests.credit.processes.conftest import World
from tests.credit.processes.test_repair import file_repair, make_repairable
from workflows.credit.filing import case_file
from workflows.credit.models import Attachment, Case
from workflows.credit.services.attachment_cleanup import attachments_purge_stale
from workflows.credit.services.attachments import (
    MAX_STAGED_PER_USER,
    attachment_attach_staged,
    attachment_discard,
    attachment_stage,
)
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError

PDF = b"%PDF-1.7\n" + b"evidence " * 50
# The process tests' jurisdiction and clock, used here by name.
world = processes.world
frozen = processes.frozen


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def stage(user: User, name: str = "证据.pdf", **extra: Any) -> Attachment:
    arguments: dict[str, Any] = {
        "actor": user,
        "kind": "evidence",
        "name": name,
        "content": PDF,
        "content_type": "application/pdf",
        **extra,
    }
    return attachment_stage(**arguments)


def file_objection(world: World, **extra: Any) -> Case:
    assert world.rep is not None
    assert world.record is not None
    data = {
        "record": world.record.pk,
        "grounds": "record_wrong",
        "reason": "金额错误",
        **extra,
    }
    return case_file(actor=world.rep, kind="objection", data=data)


@pytest.mark.django_db
def test_a_staged_upload_has_no_case_and_belongs_to_its_uploader(media_root):
    user = User.objects.create_user("li")
    with audited("attachment.stage") as events:
        attachment = stage(user)
    attachment.refresh_from_db()
    assert attachment.is_staged
    assert attachment.case is None
    assert attachment.uploaded_by == user
    assert attachment.path.read_bytes() == PDF
    assert events[0].actor_label == "li"
    assert events[0].after is not None
    assert events[0].after["size"] == len(PDF)


@pytest.mark.django_db
def test_anonymous_users_cannot_stage_files():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ForbiddenError):
        stage(AnonymousUser())  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_database_refuses_a_staged_upload_without_an_owner():
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(
            case=None,
            kind="evidence",
            original_name="x.pdf",
            stored_name="c" * 32,
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )


@pytest.mark.django_db
def test_one_person_may_keep_only_so_many_uploads_waiting(monkeypatch):
    monkeypatch.setattr("workflows.credit.services.attachments.MAX_STAGED_PER_USER", 2)
    user = User.objects.create_user("busy")
    stage(user)
    stage(user)
    with pytest.raises(ConflictError, match="2"):
        stage(user)
    assert MAX_STAGED_PER_USER >= 20


def test_filing_an_objection_attaches_the_staged_evidence(world: World) -> None:
    assert world.rep is not None
    first, second = stage(world.rep), stage(world.rep, name="照片.pdf")
    case = file_objection(world, attachments=[first.pk, str(second.pk)])
    assert set(case.attachments.values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    filed = AuditEvent.objects.get(action="case.file", case_number=case.number)
    assert filed.after is not None
    assert filed.after["attachments"] == sorted([first.pk, second.pk])
    attached = AuditEvent.objects.get(action="attachment.attach")
    assert attached.case_number == case.number


def test_filing_a_repair_attaches_the_staged_proof(world: World, frozen: Any) -> None:
    make_repairable(world)
    assert world.rep is not None
    proof = stage(world.rep, kind="proof")
    case = file_repair(world, attachments=[proof.pk])
    proof.refresh_from_db()
    assert proof.case == case
    assert not proof.is_staged


@pytest.mark.parametrize("whose", ["someone_else", "already_filed", "unknown"])
def test_a_filing_naming_files_that_are_not_the_filers_staged_ones_files_nothing(
    world: World, whose: str
) -> None:
    assert world.rep is not None
    if whose == "someone_else":
        wanted = stage(User.objects.create_user("other")).pk
    elif whose == "already_filed":
        wanted = stage(world.rep).pk
        file_objection(world, attachments=[wanted])
        Case.objects.update(status=Case.Status.WITHDRAWN)
    else:
        wanted = 987654
    cases_before = Case.objects.count()
    with pytest.raises(InvalidInputError, match="attachments"):
        file_objection(world, attachments=[wanted])
    assert Case.objects.count() == cases_before


@pytest.mark.parametrize("value", ["12", [None], ["x"]])
def test_attachment_ids_must_be_a_list_of_numbers(world: World, value: Any) -> None:
    with pytest.raises(InvalidInputError, match="attachments"):
        file_objection(world, attachments=value)
    assert not Case.objects.exists()


def test_a_refused_filing_leaves_the_uploads_staged(world: World) -> None:
    assert world.rep is not None
    upload = stage(world.rep)
    with pytest.raises(InvalidInputError):
        file_objection(world, attachments=[upload.pk], reason="")
    upload.refresh_from_db()
    assert upload.is_staged


@pytest.mark.django_db
def test_discarding_a_staged_upload_removes_row_and_bytes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = User.objects.create_user("tidy")
    upload = stage(user)
    path = upload.path
    with django_capture_on_commit_callbacks(execute=True):
        attachment_discard(actor=user, attachment_id=upload.pk)
    assert not Attachment.objects.filter(pk=upload.pk).exists()
    assert not path.exists()


@pytest.mark.django_db
def test_nobody_can_discard_someone_elses_upload():
    upload = stage(User.objects.create_user("owner"))
    with pytest.raises(InvalidInputError):
        attachment_discard(
            actor=User.objects.create_user("thief"), attachment_id=upload.pk
        )
    assert Attachment.objects.filter(pk=upload.pk).exists()


@pytest.mark.django_db
def test_the_daily_job_removes_stale_staged_uploads_and_orphaned_bytes(
    time_machine: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    user = User.objects.create_user("forgetful")
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
    old = stage(user)
    orphan = media_root / "attachments" / ("f" * 32)
    orphan.write_bytes(b"left behind by a rolled-back upload")
    day_old = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC).timestamp()
    os.utime(orphan, (day_old, day_old))
    os.utime(old.path, (day_old, day_old))
    time_machine.move_to(dt.datetime(2026, 6, 2, 8, tzinfo=dt.UTC), tick=False)
    fresh = stage(user)
    assert attachments_purge_stale() == 0  # 23 hours: not stale yet

    time_machine.move_to(dt.datetime(2026, 6, 2, 10, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert attachments_purge_stale() == 2
    assert list(Attachment.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not old.path.exists()
    assert not orphan.exists()
    assert fresh.path.exists()
    event = AuditEvent.objects.get(action="attachment.purge_stale")
    assert event.actor_label == "system:credit"
    assert event.detail["attachments"] == [old.pk]
    assert event.detail["orphaned_files"] == 1


def test_the_daily_job_keeps_attached_files_however_old(
    frozen: Any, world: World
) -> None:
    assert world.rep is not None
    upload = stage(world.rep)
    file_objection(world, attachments=[upload.pk])
    frozen.shift(dt.timedelta(days=30))
    assert attachments_purge_stale() == 0
    assert upload.path.exists()


def _attach(actor: User, case: Case, upload: Attachment) -> list[int]:
    return attachment_attach_staged(actor=actor, case=case, ids=[upload.pk])


def test_only_people_who_work_on_a_case_may_attach_their_uploads_to_it(
    world: World,
) -> None:
    case = file_objection(world)
    stranger = User.objects.create_user("stranger")
    with pytest.raises(ForbiddenError, match=case.number):
        _attach(stranger, case, stage(stranger))
    # The credit office's clerk has the case's formal check in the queue.
    clerk = world["xyb_clerk"]
    upload = stage(clerk)
    assert _attach(clerk, case, upload) == [upload.pk]
    # The applicant may add more while the case is open.
    assert world.rep is not None
    assert _attach(world.rep, case, stage(world.rep)) != []


def test_a_case_that_has_ended_takes_no_more_files(world: World) -> None:
    assert world.rep is not None
    case = file_objection(world)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.WITHDRAWN)
    case.refresh_from_db()
    upload = stage(world.rep)
    with pytest.raises(ConflictError, match=case.number):
        _attach(world.rep, case, upload)
    upload.refresh_from_db()
    assert upload.is_staged
