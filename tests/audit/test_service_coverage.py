"""Every mutating service writes exactly one audit event, in its own transaction.

The services are found by introspection: every public function defined in the
service modules below. Each one is either run by a scenario (one module per area,
``tests/audit/scenarios_*.py``, gathered in ``service_scenarios.py``) or listed in
``NOT_SERVICES`` with the reason it writes no event of its own. A new function
fails the first test until it is put in one of the two, so nothing new slips past
the audit trail.

Each scenario's event must be the only one of its action among the events the
call wrote, and every event must be inserted inside an atomic block the call
opened (the test watches the nesting depth at each audit INSERT): the change and
its record commit or roll back together. The other events must be the declared
events of what the service calls in turn.

Modules outside this list that call ``record()`` are listed in
``OTHER_RECORDING_MODULES`` with where their events are tested.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.verification import chain_verify
from tests.audit.service_scenarios import SCENARIOS, Ctx
from tests.credit.processes.conftest import World

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = (
    "workflows.services",
    "workflows.credit.services",
    "workflows.credit.cases",
)
SERVICE_MODULES = (
    "workflows.workdays.services",
    "workflows.credit.documents",
    "workflows.credit.selectors.credit_check",
    "notifications.services",
    "notifications.contacts",
    "notifications.documents.services",
    "webapp.accounts.services",
    "webapp.api.tokens",
)

# function -> why it writes no audit event of its own.
STEP_PART = "a part of the engine step that calls it, inside that step's transaction"
READ = "reads only"
PURE = "computes a value; touches no data"
NOT_SERVICES: dict[str, str] = {
    "workflows.services.decisions.save_decision_versions": (
        "a part of definition_deploy, which records definition.deploy"
    ),
    "workflows.services.decisions.decide": "evaluates a DMN table; " + READ,
    "workflows.services.instances.definition_for_start": READ,
    "workflows.services.projection.persist": STEP_PART,
    "workflows.services.projection.announce_new_tasks": (
        STEP_PART + "; the notices it sends are notify()'s events"
    ),
    "workflows.services.routing.correlates": PURE,
    "workflows.services.routing.route_message": STEP_PART,
    "workflows.services.routing.route_thrown": STEP_PART,
    "workflows.services.steps.lock_instance": STEP_PART,
    "workflows.services.steps.advance": STEP_PART,
    "workflows.services.steps.start_instance": STEP_PART,
    "workflows.services.steps.guarded": (
        "the transaction wrapper of every step; a failure is recorded as "
        "incident.open in a transaction of its own (tests/workflows/services)"
    ),
    "workflows.services.task_data.clean_task_data": PURE,
    "workflows.services.task_data.task_form": READ,
    "workflows.services.task_data.check_task_form": "validates form input; " + READ,
    "workflows.services.tasks.complete_locked": (
        "the body of task_complete and incident_retry, inside their transaction"
    ),
    "workflows.credit.services.corrections.record_change": (
        "a part of the operation that corrects a record, inside its step; it "
        "records record.change there (tests/credit/processes)"
    ),
    "workflows.credit.services.file_types.sniff_media_type": PURE,
    "workflows.credit.services.file_types.is_ofd": PURE,
    "workflows.credit.services.file_types.name_for_type": PURE,
    "workflows.credit.services.file_types.clean_file_name": PURE,
    "workflows.credit.services.identifiers.subject_for_reveal": READ,
    "workflows.credit.services.list_exit.listing_case_of": READ,
    "workflows.credit.services.list_expiry.list_entries_expire_due": (
        "a daily batch: calls list_exit_open (covered) once per due entry, each "
        "in its own transaction"
    ),
    "workflows.credit.services.measures.catalogue_measures": READ,
    "workflows.credit.services.measures.measure_applications_pending_for": READ,
    "workflows.credit.services.measures.departments_to_lift": READ,
    "workflows.credit.services.measures.measure_feedback_summary": READ,
    "workflows.credit.services.measures.department_people": READ,
    "workflows.credit.services.measures.can_edit_catalogue": READ,
    "workflows.credit.services.records.add_months": PURE,
    "workflows.credit.services.records.record_list_for_subject": READ,
    "workflows.credit.services.records.red_entry_end": (
        "a part of the red-list operations, inside their step; records "
        "list_entry.end there (tests/credit/processes)"
    ),
    "workflows.credit.services.records.redlist_dishonesty_recorded": (
        "a part of credit_record_publish, inside its transaction"
    ),
    "workflows.credit.cases.common.record_for_party": READ,
    "workflows.credit.cases.common.require_party": "a permission check; " + READ,
    "workflows.credit.cases.redlist.dishonesty_on_record": READ,
    "workflows.credit.documents.document_number": (
        "takes the next document number inside issue_document's transaction"
    ),
    "workflows.credit.documents.issue_document": (
        "a part of the operations and of document_supersede, inside their "
        "transaction; records document.issue there"
    ),
    "workflows.credit.selectors.credit_check.checked_code": PURE,
    "workflows.credit.selectors.credit_check.credit_check": (
        "the unrecorded read behind credit_check_run, which records credit.check"
    ),
    "workflows.credit.selectors.credit_check.credit_check_department": READ,
    "workflows.workdays.services.check_year_entered": READ,
    "notifications.services.notification_mark_read": (
        "a recipient marks their own notices read: personal inbox state, not an "
        "act on any case or record"
    ),
    "notifications.services.notification_mark_all_read": (
        "a recipient marks their own notices read: personal inbox state, not an "
        "act on any case or record"
    ),
    "notifications.documents.services.document_file_name": PURE,
    "notifications.documents.services.document_render_failed": (
        "notes a rendering error on the row; the document itself is unchanged"
    ),
    "notifications.documents.services.documents_awaiting_render": READ,
    "webapp.api.tokens.token_hash": PURE,
    "webapp.api.tokens.api_token_list_for_user": READ,
    "webapp.api.tokens.api_token_authenticate": (
        "runs on every API request; notes last use on the token row, and the "
        "request's own changes are audited by the services it calls"
    ),
}

# Modules that call record() but hold no services; where their events are tested.
OTHER_RECORDING_MODULES: dict[str, str] = {
    "workflows/operations.py": "process.note of model notes (tests/workflows)",
    "workflows/credit/operations/common.py": "case.status (tests/credit/processes)",
    "workflows/credit/operations/lists.py": "list_entry.* (tests/credit/processes)",
    "workflows/credit/operations/measures.py": "list_entry.feedback (processes)",
    "workflows/credit/operations/redlist.py": "red-list steps (processes)",
    "workflows/credit/operations/repair.py": "repair steps (processes)",
    "workflows/credit/management/commands/demo.py": "demo data (test_demo_command)",
    "notifications/delivery.py": "outbox send outcomes (tests/notifications)",
    "webapp/accounts/signals.py": "sign-in, sign-out, failures (tests/webapp)",
}


def _modules() -> Iterator[str]:
    for package in SERVICE_PACKAGES:
        path = importlib.import_module(package).__path__
        for info in pkgutil.iter_modules(path):
            yield f"{package}.{info.name}"
    yield from SERVICE_MODULES


def enumerated_functions() -> list[str]:
    """Every public function defined (not imported) in the service modules."""
    found = []
    for name in _modules():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if attribute.startswith("_") or not inspect.isfunction(value):
                continue
            if inspect.unwrap(value).__module__ == name:
                found.append(f"{name}.{attribute}")
    return sorted(found)


def _calls_record(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "audit.services"
        and any(alias.name == "record" for alias in node.names)
        for node in ast.walk(tree)
    )


def test_every_service_is_run_by_a_scenario_or_excluded_with_a_reason() -> None:
    functions = enumerated_functions()
    unlisted = [f for f in functions if f not in SCENARIOS and f not in NOT_SERVICES]

    assert not unlisted, (
        "New functions in the service modules. Give each a scenario in "
        "tests/audit/scenarios_<area>.py (the call and the event it "
        "must write once) or, if it writes nothing of its own, an entry with the "
        "reason in NOT_SERVICES of tests/audit/test_service_coverage.py:\n  "
        + "\n  ".join(unlisted)
    )


def test_no_entry_names_a_function_that_is_gone_or_is_listed_twice() -> None:
    functions = set(enumerated_functions())

    assert sorted(set(SCENARIOS) - functions) == []
    assert sorted(set(NOT_SERVICES) - functions) == []
    assert sorted(set(SCENARIOS) & set(NOT_SERVICES)) == []


def test_every_module_that_records_events_is_covered_here() -> None:
    covered = {name.replace(".", "/") + ".py" for name in _modules()}
    recording = {
        path.relative_to(ROOT).as_posix()
        for package in ("webapp", "workflows", "notifications")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and _calls_record(path)
    }

    missing = sorted(recording - covered - set(OTHER_RECORDING_MODULES))
    stale = sorted(set(OTHER_RECORDING_MODULES) - recording)
    assert missing == [], (
        "These modules write audit events but are neither service modules of this "
        "test nor in OTHER_RECORDING_MODULES: " + ", ".join(missing)
    )
    assert stale == []


def _head() -> int:
    return (
        AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    )


@pytest.fixture
def ctx(world: World, frozen: Any, settings: Any, tmp_path: Path) -> Iterator[Ctx]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    context = Ctx(world=world, clock=frozen)
    yield context
    for cleanup in context.cleanups:
        cleanup()


def _own_transaction_spy(depths: list[int]) -> Any:
    """Note how deeply nested in atomic blocks each audit event is inserted."""
    table = AuditEvent._meta.db_table

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT") and table in sql:
            depths.append(len(connection.savepoint_ids))
        return execute(sql, params, many, context)

    return spy


@pytest.mark.django_db
@pytest.mark.parametrize("service", sorted(SCENARIOS))
def test_the_service_writes_exactly_one_event_of_its_own(
    service: str, ctx: Ctx
) -> None:
    scenario = SCENARIOS[service]
    invoke = scenario.prepare(ctx)
    before = _head()
    outside = len(connection.savepoint_ids)
    depths: list[int] = []

    with connection.execute_wrapper(_own_transaction_spy(depths)):
        invoke()

    actions = Counter(
        AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True)
    )
    assert actions[scenario.action] == 1, (
        f"{service} wrote {actions[scenario.action]} {scenario.action} events; "
        f"all events of the call: {dict(actions)}"
    )
    others = set(actions) - {scenario.action} - scenario.also
    assert not others, f"{service} also wrote undeclared events: {sorted(others)}"
    # Each event was written inside an atomic block the call opened itself.
    assert depths
    assert min(depths) > outside, f"{service} records outside its own transaction"
    assert chain_verify(from_seq=before + 1).ok
