"""Service scenarios of the runtime (workflows/services)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.audit.scenario_support import (
    CASE,
    NOTICE,
    RT,
    Call,
    Ctx,
    Scenario,
    _await_reply,
    _claimed,
    _colleague,
    _delegated,
    _formal_check,
    _incident,
    _svc,
    _test_model,
    call,
)
from tests.workflows.services.conftest import model_file


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


RUNTIME: dict[str, Scenario] = {
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
}
