"""What the service scenarios share: the context, the world's set-ups, ``call``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from notifications.models import OutboxMessage, UserContact
from notifications.services import notify
from tests.credit.processes.conftest import World, open_task, work
from tests.credit.processes.test_list_support import (
    CATALOGUE,
    listed,
)
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
