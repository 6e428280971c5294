"""One invocation per audited service, for test_service_coverage.py.

Each scenario prepares what its service needs (through other services, whose
events do not count), then returns the call to measure. ``action`` is the event
the service must write exactly once; ``also`` are the events of the services it
calls in turn (a notice's ``notification.send``, the started process's
``process.start``), each of which is covered by its own scenario.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from notifications.models import OutboxMessage, UserContact
from notifications.services import notify
from tests.credit.processes.conftest import World, open_task, work
from tests.credit.processes.test_list_support import (
    CATALOGUE,
    SERIOUS,
    entry_of,
    listed,
    propose,
)
from tests.credit.processes.test_redlist_support import clean_subject, nominate, review
from tests.credit.processes.test_repair import COMMITMENT, file_repair, make_repairable
from tests.workflows.services.conftest import Registry, model_file
from workflows import operations
from workflows.credit.filing import case_file
from workflows.credit.models import (
    Attachment,
    Case,
    CreditRecord,
    Department,
    Document,
    Measure,
)
from workflows.errors import StepFailedError
from workflows.models import Incident
from workflows.services.deploy import definition_deploy
from workflows.services.instances import process_start
from workflows.services.tasks import task_claim, task_complete, task_delegate

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOTICE = "notification.send"


@dataclass
class Ctx:
    """What a scenario may use: the credit world, the clock, settings, cleanups."""

    world: World
    clock: Any
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def __getitem__(self, username: str) -> User:
        return self.world[username]

    @property
    def rep(self) -> User:
        assert self.world.rep is not None
        return self.world.rep

    @property
    def record(self) -> CreditRecord:
        assert self.world.record is not None
        return self.world.record


Call = Callable[[], object]


@dataclass(frozen=True)
class Scenario:
    action: str
    prepare: Callable[[Ctx], Call]
    also: frozenset[str] = frozenset()


def _objection(ctx: Ctx) -> Case:
    data = {"record": ctx.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=ctx.rep, kind="objection", data=data)


def _formal_check(ctx: Ctx) -> Any:
    return open_task(_objection(ctx).number, "formal_check")


def _claimed(ctx: Ctx) -> Any:
    task = _formal_check(ctx)
    task_claim(actor=ctx["xyb_clerk"], task_id=task.pk)
    return task


def _colleague(ctx: Ctx) -> User:
    from workflows.credit.services.departments import membership_grant

    user = User.objects.create_user("xyb_clerk_2")
    membership_grant(
        actor=None, user=user, department=ctx.world.departments["XYB"], role="clerk"
    )
    return User.objects.get(pk=user.pk)


def _delegated(ctx: Ctx) -> tuple[Any, User]:
    task = _claimed(ctx)
    colleague = _colleague(ctx)
    task_delegate(actor=ctx["xyb_clerk"], task_id=task.pk, to_user=colleague.username)
    return task, colleague


def _supplement_requested(ctx: Ctx) -> Case:
    case = _objection(ctx)
    result = {"formal_check_result": "supplement", "missing_materials": ["缴款凭证"]}
    work(ctx["xyb_clerk"], case.number, "formal_check", result)
    return Case.objects.get(pk=case.pk)


def _decided_objection(ctx: Ctx) -> Case:
    case = _objection(ctx)
    work(
        ctx["xyb_clerk"], case.number, "formal_check", {"formal_check_result": "accept"}
    )
    verified = {
        "request_extension": False,
        "proposed_outcome": "keep",
        "findings": "无误",
    }
    work(ctx["scj_reviewer"], case.number, "verify_by_source_department", verified)
    work(
        ctx["scj_section_chief"],
        case.number,
        "review_by_section_chief",
        {"chief_approved": True},
    )
    return Case.objects.get(pk=case.pk)


def _test_model(ctx: Ctx, name: str) -> None:
    definition_deploy(actor=ctx.world.admin, files=[model_file(f"{name}.bpmn")])


def _await_reply(ctx: Ctx, key: str) -> Any:
    _test_model(ctx, "await_reply")
    return process_start(
        actor=ctx.world.admin, process_id="await_reply", business_key=key, data={}
    )


def _incident(ctx: Ctx) -> Incident:
    registry = Registry()
    operations.operation("registry_lookup_for_tests")(registry.lookup)

    def forget() -> None:
        operations._REGISTRY.pop("registry_lookup_for_tests", None)

    ctx.cleanups.append(forget)
    reviewer = User.objects.create_user("registry-reviewer")
    reviewer.groups.add(Group.objects.get_or_create(name="reviewers")[0])
    definition_deploy(
        actor=ctx.world.admin,
        files=[model_file("registry_check.bpmn")],
        create_groups=True,
    )
    instance = process_start(
        actor=ctx.world.admin,
        process_id="registry_check",
        business_key="CASE-INCIDENT",
        data={"subject_code": "91310000X"},
    )
    task = open_task(instance.business_key, "prepare_lookup")
    with pytest.raises(StepFailedError):
        task_complete(actor=ctx.world.admin, task_id=task.pk, data={})
    registry.online = True
    return Incident.objects.get()


def _listed(ctx: Ctx) -> Case:
    for code, department, list_types in CATALOGUE:
        Measure.objects.create(
            code=code,
            name=f"惩戒措施 {code}",
            kind=Measure.Kind.MANDATORY,
            implementing_department=ctx.world.departments[department],
            list_types=Measure.encode_list_types(list_types),
            legal_basis="国办发〔2020〕49号",
        )
    return listed(ctx.world, ctx.clock)


def _staged(ctx: Ctx) -> Attachment:
    from workflows.credit.services.attachments import attachment_stage

    return attachment_stage(
        actor=ctx.rep, kind="evidence", name="a.png", content=PNG, content_type=""
    )


def _document(ctx: Ctx) -> Document:
    from workflows.credit.documents import issue_document

    case = _objection(ctx)
    with_transaction = _atomic(
        lambda: issue_document(
            "acceptance",
            case,
            department=Department.objects.get(code="XYB"),
            payload={"note": "受理"},
        )
    )
    document: Document = with_transaction()
    return document


def _atomic(call: Callable[[], Any]) -> Callable[[], Any]:
    from django.db import transaction

    def run() -> Any:
        with transaction.atomic():
            return call()

    return run


def _failed_outbox(ctx: Ctx) -> list[int]:
    person = ctx["scj_reviewer"]
    person.email = "reviewer@example.org"
    person.save(update_fields=["email"])
    UserContact.objects.create(user=person, phone="13800000000", language="zh-hans")
    _atomic(lambda: notify(recipients=[person], kind="case.accepted", title="t"))()
    rows = OutboxMessage.objects.all()
    # Test set-up: pretend the sends failed.
    rows.update(status=OutboxMessage.Status.FAILED, last_error="RuntimeError")
    return list(rows.values_list("pk", flat=True))


def _svc(dotted: str) -> Callable[..., Any]:
    module, name = dotted.rsplit(".", 1)
    imported = __import__(module, fromlist=[name])
    function: Callable[..., Any] = getattr(imported, name)
    return function


def call(dotted: str, *args: Any, **kwargs: Any) -> Call:
    """The call to measure: the enumerated function itself, by its dotted name."""
    return lambda: _svc(dotted)(*args, **kwargs)


RT = "workflows.services"
CR = "workflows.credit"


def _task_claim(c: Ctx) -> Call:
    return call(
        f"{RT}.tasks.task_claim", actor=c["xyb_clerk"], task_id=_formal_check(c).pk
    )


def _task_unclaim(c: Ctx) -> Call:
    return call(
        f"{RT}.tasks.task_unclaim", actor=c["xyb_clerk"], task_id=_claimed(c).pk
    )


def _task_delegate(c: Ctx) -> Call:
    task, colleague = _claimed(c), _colleague(c)
    return call(
        f"{RT}.tasks.task_delegate",
        actor=c["xyb_clerk"],
        task_id=task.pk,
        to_user=colleague.username,
    )


def _task_resolve(c: Ctx) -> Call:
    task, colleague = _delegated(c)
    return call(f"{RT}.tasks.task_resolve", actor=colleague, task_id=task.pk, data={})


def _task_reassign(c: Ctx) -> Call:
    task, colleague = _formal_check(c), _colleague(c)
    return call(
        f"{RT}.tasks.task_reassign",
        actor=c.world.admin,
        task_id=task.pk,
        to_user=colleague.username,
    )


def _task_complete(c: Ctx) -> Call:
    return call(
        f"{RT}.tasks.task_complete",
        actor=c["xyb_clerk"],
        task_id=_claimed(c).pk,
        data={"formal_check_result": "accept"},
    )


def _task_draft_save(c: Ctx) -> Call:
    return call(
        f"{RT}.tasks.task_draft_save",
        actor=c["xyb_clerk"],
        task_id=_claimed(c).pk,
        data={"formal_check_result": "accept"},
    )


def _definition_deploy(c: Ctx) -> Call:
    return call(
        f"{RT}.deploy.definition_deploy",
        actor=c.world.admin,
        files=[model_file("await_reply.bpmn")],
    )


def _process_start(c: Ctx) -> Call:
    _test_model(c, "await_reply")
    return call(
        f"{RT}.instances.process_start",
        actor=c.world.admin,
        process_id="await_reply",
        business_key="CASE-START",
        data={},
    )


def _instance(verb: str, *, suspended: bool = False) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        instance = _await_reply(c, f"CASE-{verb.upper()}")
        if suspended:
            _svc(f"{RT}.instances.instance_suspend")(
                actor=c.world.admin, instance_id=instance.pk, reason="check"
            )
        return call(
            f"{RT}.instances.instance_{verb}",
            actor=c.world.admin,
            instance_id=instance.pk,
            reason="audit coverage",
        )

    return prepare


def _message_deliver(c: Ctx) -> Call:
    _await_reply(c, "CASE-MESSAGE")
    return call(
        f"{RT}.messages.message_deliver",
        actor=c.world.admin,
        name="reply",
        business_key="CASE-MESSAGE",
    )


def _timers_fire_due(c: Ctx) -> Call:
    _await_reply(c, "CASE-TIMER")
    c.clock.shift(dt.timedelta(hours=3, seconds=1))
    return call(f"{RT}.timers.timers_fire_due")


def _incident_retry(c: Ctx) -> Call:
    incident = _incident(c)
    return call(
        f"{RT}.incidents.incident_retry", actor=c.world.admin, incident_id=incident.pk
    )


def _objection_file(c: Ctx) -> Call:
    data = {"record": c.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return call(f"{CR}.cases.objection.objection_file", actor=c.rep, data=data)


def _objection_appeal(c: Ctx) -> Call:
    case = _decided_objection(c)
    return call(
        f"{CR}.cases.objection.objection_appeal",
        actor=c.rep,
        case=case,
        data={"reason": "记录仍有误"},
    )


def _case_supplement(c: Ctx) -> Call:
    case = _supplement_requested(c)
    return call(
        f"{CR}.cases.common.case_supplement",
        actor=c.rep,
        case=case,
        data={"note": "已补充"},
    )


def _repair_file(c: Ctx) -> Call:
    make_repairable(c.world)
    data = {"record": c.record.pk, "reason": "罚款已缴清", "commitment": COMMITMENT}
    return call(f"{CR}.cases.repair.repair_file", actor=c.rep, data=data)


def _repair_revoke(c: Ctx) -> Call:
    from tests.credit.processes.test_repair_paths import grant

    make_repairable(c.world)
    case = file_repair(c.world)
    grant(c.world, case)
    case = Case.objects.get(pk=case.pk)
    return call(
        f"{CR}.cases.repair.repair_revoke",
        actor=c["scj_head"],
        case=case,
        data={"reason": "承诺未履行"},
    )


def _list_entry_file(c: Ctx) -> Call:
    assert c.world.subject is not None
    data = {
        "subject": c.world.subject.pk,
        "list_type": SERIOUS,
        "basis": "拒不履行法定义务",
        "evidence": ["处罚决定书"],
        "record": c.record.pk,
    }
    return call(f"{CR}.cases.lists.list_entry_file", actor=c["scj_reviewer"], data=data)


def _list_entry_statement(c: Ctx) -> Call:
    case = propose(c.world)
    return call(
        f"{CR}.cases.lists.list_entry_statement",
        actor=c.rep,
        case=case,
        data={"statement": "处罚决定已被撤销"},
    )


def _redlist_file(c: Ctx) -> Call:
    subject = clean_subject(c.world)
    data = {
        "subject": subject.code,
        "department": "SCJ",
        "grounds": "连续三年无不良记录",
    }
    return call(f"{CR}.cases.redlist.redlist_file", actor=c["scj_head"], data=data)


def _redlist_object(c: Ctx) -> Call:
    case = nominate(c.world, clean_subject(c.world))
    review(c.world, case)
    return call(
        f"{CR}.cases.redlist.redlist_object",
        actor=c.rep,
        case=case,
        data={"reason": "曾有欠税", "evidence": "税务文书"},
    )


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


def _document_render(c: Ctx) -> Call:
    document = _document(c)
    return call(
        "notifications.documents.services.document_render", document_id=document.pk
    )


def _subject_identifier_reveal(c: Ctx) -> Call:
    assert c.world.subject is not None
    return call(
        f"{CR}.services.identifiers.subject_identifier_reveal",
        actor=c["scj_reviewer"],
        subject=c.world.subject,
    )


def _calendar(name: str) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        module = "workflows.workdays.services"
        day = dt.date(2026, 10, 10)
        if name == "calendar_override_remove":
            _svc(f"{module}.calendar_override_set")(
                actor=c.world.admin, day=day, kind="holiday", name="测试"
            )
            return call(f"{module}.{name}", actor=c.world.admin, day=day)
        if name == "calendar_override_set":
            return call(
                f"{module}.{name}",
                actor=c.world.admin,
                day=day,
                kind="holiday",
                name="测试",
            )
        _svc(f"{module}.calendar_override_set")(
            actor=c.world.admin, day=dt.date(2031, 1, 1), kind="holiday", name="元旦"
        )
        return call(f"{module}.{name}", actor=c.world.admin, year=2031)

    return prepare


def _notify(c: Ctx) -> Call:
    return _atomic(
        call(
            "notifications.services.notify",
            recipients=[c["scj_reviewer"]],
            kind="case.accepted",
            title="已受理",
        )
    )


def _notify_task_event(c: Ctx) -> Call:
    return _atomic(
        call(
            "notifications.services.notify_task_event",
            kind="task.assigned",
            task_name="核实",
            case_number="YY-2026-000001",
            recipients=[c["scj_reviewer"]],
        )
    )


def _outbox_message_retry(c: Ctx) -> Call:
    ids = _failed_outbox(c)
    return call(
        "notifications.services.outbox_message_retry", actor=c.world.admin, ids=ids
    )


def _user_contact_set(c: Ctx) -> Call:
    return call(
        "notifications.contacts.user_contact_set",
        actor=c.world.admin,
        user=c["scj_reviewer"],
        phone="13800000000",
        language="zh-hans",
    )


def _channel_preference_set(c: Ctx) -> Call:
    return call(
        "notifications.contacts.channel_preference_set",
        actor=c.world.admin,
        user=c["scj_reviewer"],
        kind_pattern="task.*",
        email=True,
        sms=False,
    )


def _account_password_change(c: Ctx) -> Call:
    return call(
        "webapp.accounts.services.account_password_change",
        actor=c["scj_reviewer"],
        new_password="Another-Secret-2026!",
    )


def _api_token(verb: str) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        module = "webapp.api.tokens"
        user = c["scj_reviewer"]
        if verb == "create":
            return call(
                f"{module}.api_token_create", actor=c.world.admin, user=user, name="t"
            )
        issued = _svc(f"{module}.api_token_create")(
            actor=c.world.admin, user=user, name="t"
        )
        return call(
            f"{module}.api_token_revoke", actor=c.world.admin, token_id=issued.token.pk
        )

    return prepare


def _credit_check_run(c: Ctx) -> Call:
    assert c.world.subject is not None
    return call(
        f"{CR}.selectors.credit_check.credit_check_run",
        actor=c["scj_reviewer"],
        subject_code=c.world.subject.code,
        department=c.world.departments["SCJ"],
        purpose="行政许可审查",
    )


# The events of the engine step a service drives: the process it starts or moves
# runs service tasks, each an audited operation (tests/credit/processes).
CASE = frozenset(
    {
        "process.start",
        "case.status",
        NOTICE,
        "document.issue",
        "message.deliver",
        "list_entry.update",
        "record.change",
        "measures.withdraw",
        "redlist.objection_recorded",
    }
)

SCENARIOS: dict[str, Scenario] = {
    f"{RT}.tasks.task_claim": Scenario("task.claim", _task_claim),
    f"{RT}.tasks.task_unclaim": Scenario("task.unclaim", _task_unclaim),
    f"{RT}.tasks.task_delegate": Scenario(
        "task.delegate", _task_delegate, frozenset({NOTICE})
    ),
    f"{RT}.tasks.task_resolve": Scenario("task.resolve", _task_resolve),
    f"{RT}.tasks.task_reassign": Scenario(
        "task.reassign", _task_reassign, frozenset({NOTICE})
    ),
    f"{RT}.tasks.task_complete": Scenario("task.complete", _task_complete, CASE),
    f"{RT}.tasks.task_draft_save": Scenario("task.draft_save", _task_draft_save),
    f"{RT}.deploy.definition_deploy": Scenario("definition.deploy", _definition_deploy),
    f"{RT}.instances.process_start": Scenario("process.start", _process_start),
    f"{RT}.instances.instance_suspend": Scenario(
        "instance.suspend", _instance("suspend")
    ),
    f"{RT}.instances.instance_resume": Scenario(
        "instance.resume", _instance("resume", suspended=True)
    ),
    f"{RT}.instances.instance_terminate": Scenario(
        "instance.terminate", _instance("terminate")
    ),
    f"{RT}.messages.message_deliver": Scenario("message.deliver", _message_deliver),
    f"{RT}.timers.timers_fire_due": Scenario("timer.fire", _timers_fire_due),
    f"{RT}.incidents.incident_retry": Scenario(
        "incident.retry", _incident_retry, frozenset({"task.complete", NOTICE})
    ),
    f"{CR}.cases.objection.objection_file": Scenario(
        "case.file", _objection_file, CASE
    ),
    f"{CR}.cases.objection.objection_appeal": Scenario(
        "case.appeal", _objection_appeal, CASE | {"message.deliver", "case.file"}
    ),
    f"{CR}.cases.common.case_supplement": Scenario(
        "case.supplement", _case_supplement, CASE | {"message.deliver"}
    ),
    f"{CR}.cases.repair.repair_file": Scenario("case.file", _repair_file, CASE),
    f"{CR}.cases.repair.repair_revoke": Scenario("repair.revoke", _repair_revoke, CASE),
    f"{CR}.cases.lists.list_entry_file": Scenario("case.file", _list_entry_file, CASE),
    f"{CR}.cases.lists.list_entry_statement": Scenario(
        "case.statement", _list_entry_statement, CASE | {"message.deliver"}
    ),
    f"{CR}.cases.redlist.redlist_file": Scenario("case.file", _redlist_file, CASE),
    f"{CR}.cases.redlist.redlist_object": Scenario(
        "redlist.objection", _redlist_object, CASE | {"message.deliver"}
    ),
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
    "notifications.documents.services.document_render": Scenario(
        "document.render", _document_render
    ),
    "workflows.workdays.services.calendar_override_set": Scenario(
        "calendar_override.set", _calendar("calendar_override_set")
    ),
    "workflows.workdays.services.calendar_override_remove": Scenario(
        "calendar_override.remove", _calendar("calendar_override_remove")
    ),
    "workflows.workdays.services.calendar_year_mark_complete": Scenario(
        "calendar_year.mark_complete", _calendar("calendar_year_mark_complete")
    ),
    "notifications.services.notify": Scenario(NOTICE, _notify),
    "notifications.services.notify_task_event": Scenario(NOTICE, _notify_task_event),
    "notifications.services.outbox_message_retry": Scenario(
        "notification.retry", _outbox_message_retry
    ),
    "notifications.contacts.user_contact_set": Scenario(
        "notification_contact.set", _user_contact_set
    ),
    "notifications.contacts.channel_preference_set": Scenario(
        "notification_preference.set", _channel_preference_set
    ),
    "webapp.accounts.services.account_password_change": Scenario(
        "account.password_change", _account_password_change
    ),
    "webapp.api.tokens.api_token_create": Scenario(
        "api_token.create", _api_token("create")
    ),
    "webapp.api.tokens.api_token_revoke": Scenario(
        "api_token.revoke", _api_token("revoke")
    ),
}
