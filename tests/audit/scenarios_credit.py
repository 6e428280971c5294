"""Service scenarios of the credit services, documents and checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.audit.scenario_support import (
    CASE,
    CR,
    PNG,
    Call,
    Ctx,
    Scenario,
    _document,
    _listed,
    _objection,
    _staged,
    _svc,
    call,
)
from tests.credit.processes.test_list_support import SERIOUS, entry_of
from workflows.credit.models import Attachment, CreditRecord, Document, Measure


def _list_exit(verb: str) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        entry = entry_of(_listed(c))
        extra = {"signal_listing": True} if verb == "open" else {}
        return call(
            f"{CR}.services.list_exit.list_exit_{verb}",
            actor=c["scj_head"],
            entry=entry,
            reason="repair",
            **extra,
        )

    return prepare


def _measures(name: str) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        entry = entry_of(_listed(c))
        scj = c.world.departments["SCJ"]
        arguments: dict[str, Any] = {"actor": c["scj_officer"], "entry": entry}
        if name == "measure_feedback_record":
            answers = [
                {"measure": "SCJ-01", "applied": True},
                {"measure": "SCJ-02", "applied": True},
            ]
            arguments |= {"department": scj, "answers": answers}
        elif name == "measures_lift":
            arguments |= {"department": scj, "note": "已解除"}
        return call(f"{CR}.services.measures.{name}", **arguments)

    return prepare


def _measure_create(c: Ctx) -> Call:
    return call(
        f"{CR}.services.measures.measure_create",
        actor=c.world.admin,
        code="SCJ-99",
        name="限制参加评优",
        kind=Measure.Kind.MANDATORY,
        implementing_department=c.world.departments["SCJ"],
        list_types=[SERIOUS],
        legal_basis="国办发〔2020〕49号",
    )


def _measure_update(c: Ctx) -> Call:
    _svc(f"{CR}.services.measures.measure_create")(
        actor=c.world.admin,
        code="SCJ-99",
        name="限制参加评优",
        kind=Measure.Kind.MANDATORY,
        implementing_department=c.world.departments["SCJ"],
        list_types=[SERIOUS],
        legal_basis="国办发〔2020〕49号",
    )
    measure = Measure.objects.get(code="SCJ-99")
    return call(
        f"{CR}.services.measures.measure_update",
        actor=c.world.admin,
        measure_id=measure.pk,
        name="限制参加评优评先",
        kind=Measure.Kind.MANDATORY,
        implementing_department=c.world.departments["SCJ"],
        list_types=[SERIOUS],
        legal_basis="国办发〔2020〕49号",
        active=True,
    )


def _credit_record_publish(c: Ctx) -> Call:
    assert c.world.subject is not None
    return call(
        f"{CR}.services.records.credit_record_publish",
        actor=c["scj_reviewer"],
        subject=c.world.subject,
        source_department=c.world.departments["SCJ"],
        category=CreditRecord.Category.ADMINISTRATIVE_PENALTY,
        grade=CreditRecord.Grade.GENERAL,
        scale=CreditRecord.Scale.NATIONAL_2025,
        regime="ndrc_2025_36",
        jurisdiction="national",
        decision_number="示市监罚〔2026〕99号",
        decision_date=timezone.localdate() - dt.timedelta(days=3),
        content={"facts": "未按期年报", "penalty": "警告"},
    )


def _department_create(c: Ctx) -> Call:
    return call(
        f"{CR}.services.departments.department_create",
        actor=c.world.admin,
        code="GAJ",
        name="公安局",
        jurisdiction="national",
        is_source=True,
    )


def _membership(verb: str) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        user = User.objects.create_user("new_member")
        department = c.world.departments["SWJ"]
        if verb == "revoke":
            _svc(f"{CR}.services.departments.membership_grant")(
                actor=c.world.admin, user=user, department=department, role="reviewer"
            )
        return call(
            f"{CR}.services.departments.membership_{verb}",
            actor=c.world.admin,
            user=User.objects.get(pk=user.pk),
            department=department,
            role="reviewer",
        )

    return prepare


def _attachment_add(c: Ctx) -> Call:
    case = _objection(c)
    return call(
        f"{CR}.services.attachments.attachment_add",
        actor=c.rep,
        case=case,
        kind="evidence",
        name="a.png",
        content=PNG,
        content_type="image/png",
    )


def _attachment_stage(c: Ctx) -> Call:
    return call(
        f"{CR}.services.attachments.attachment_stage",
        actor=c.rep,
        kind="evidence",
        name="a.png",
        content=PNG,
        content_type="image/png",
    )


def _attachment_attach_staged(c: Ctx) -> Call:
    staged, case = _staged(c), _objection(c)
    return call(
        f"{CR}.services.attachments.attachment_attach_staged",
        actor=c.rep,
        case=case,
        ids=[staged.pk],
    )


def _attachment_discard(c: Ctx) -> Call:
    staged = _staged(c)
    return call(
        f"{CR}.services.attachments.attachment_discard",
        actor=c.rep,
        attachment_id=staged.pk,
    )


def _attachments_purge_stale(c: Ctx) -> Call:
    _staged(c)
    c.clock.shift(dt.timedelta(days=2))
    return call(f"{CR}.services.attachment_cleanup.attachments_purge_stale")


def _attachment_download(c: Ctx) -> Call:
    staged, case = _staged(c), _objection(c)
    _svc(f"{CR}.services.attachments.attachment_attach_staged")(
        actor=c.rep, case=case, ids=[staged.pk]
    )
    attachment = Attachment.objects.get(pk=staged.pk)
    return call(
        f"{CR}.services.downloads.attachment_download",
        actor=c["xyb_clerk"],
        attachment=attachment,
    )


def _document_download(c: Ctx) -> Call:
    document = _document(c)
    Document.objects.filter(pk=document.pk).update(  # test set-up: a rendered file
        file_name="x.pdf", sha256="0" * 64, rendered_at=timezone.now()
    )
    return call(
        f"{CR}.services.downloads.document_download",
        actor=c["xyb_clerk"],
        document=Document.objects.get(pk=document.pk),
    )


def _document_supersede(c: Ctx) -> Call:
    document = _document(c)
    return call(
        f"{CR}.documents.document_supersede",
        actor=c.world.admin,
        document=document,
        payload={"note": "更正"},
    )


def _subject_identifier_reveal(c: Ctx) -> Call:
    assert c.world.subject is not None
    return call(
        f"{CR}.services.identifiers.subject_identifier_reveal",
        actor=c["scj_reviewer"],
        subject=c.world.subject,
    )


def _credit_check_run(c: Ctx) -> Call:
    assert c.world.subject is not None
    return call(
        f"{CR}.selectors.credit_check.credit_check_run",
        actor=c["scj_reviewer"],
        subject_code=c.world.subject.code,
        department=c.world.departments["SCJ"],
        purpose="行政许可审查",
    )


CREDIT: dict[str, Scenario] = {
    f"{CR}.services.list_exit.list_exit_start": Scenario(
        "case.file", _list_exit("start"), CASE
    ),
    f"{CR}.services.list_exit.list_exit_open": Scenario(
        "case.file", _list_exit("open"), CASE
    ),
    f"{CR}.services.measures.measure_applications_open": Scenario(
        "measures.request", _measures("measure_applications_open")
    ),
    f"{CR}.services.measures.measure_feedback_record": Scenario(
        "measures.feedback", _measures("measure_feedback_record")
    ),
    f"{CR}.services.measures.measures_lift": Scenario(
        "measures.lift", _measures("measures_lift")
    ),
    f"{CR}.services.measures.measure_create": Scenario(
        "measure.create", _measure_create
    ),
    f"{CR}.services.measures.measure_update": Scenario(
        "measure.update", _measure_update
    ),
    f"{CR}.services.records.credit_record_publish": Scenario(
        "credit_record.publish", _credit_record_publish
    ),
    f"{CR}.services.departments.department_create": Scenario(
        "department.create", _department_create
    ),
    f"{CR}.services.departments.membership_grant": Scenario(
        "membership.grant", _membership("grant")
    ),
    f"{CR}.services.departments.membership_revoke": Scenario(
        "membership.revoke", _membership("revoke")
    ),
    f"{CR}.services.attachments.attachment_add": Scenario(
        "attachment.add", _attachment_add
    ),
    f"{CR}.services.attachments.attachment_stage": Scenario(
        "attachment.stage", _attachment_stage
    ),
    f"{CR}.services.attachments.attachment_attach_staged": Scenario(
        "attachment.attach", _attachment_attach_staged
    ),
    f"{CR}.services.attachments.attachment_discard": Scenario(
        "attachment.discard", _attachment_discard
    ),
    f"{CR}.services.attachment_cleanup.attachments_purge_stale": Scenario(
        "attachment.purge_stale", _attachments_purge_stale
    ),
    f"{CR}.services.downloads.attachment_download": Scenario(
        "attachment.download", _attachment_download
    ),
    f"{CR}.services.downloads.document_download": Scenario(
        "document.download", _document_download
    ),
    f"{CR}.services.identifiers.subject_identifier_reveal": Scenario(
        "subject.identifier_reveal", _subject_identifier_reveal
    ),
    f"{CR}.documents.document_supersede": Scenario(
        "document.supersede", _document_supersede, frozenset({"document.issue"})
    ),
    f"{CR}.selectors.credit_check.credit_check_run": Scenario(
        "credit.check", _credit_check_run
    ),
}
