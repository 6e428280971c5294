"""Schemathesis over the live schema, as each demo role: no 5xx, answers conform.

The demo data (``manage.py demo``) and every model are loaded in the test database
and one objection is filed and accepted, so queues, cases and documents exist.
Then, for each role with a token of its own (and anonymously), every operation of
``/api/schema/`` is called with generated requests through the project's WSGI
application, and every read once more with the path parameters of objects that
exist (so the answers of real objects are checked too). Every response must not be
a server error and must match the schema: status code, content type, body.
Generation is deterministic (derandomized) and small per operation, so the whole
run stays within a few minutes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.credit.processes.conftest import deploy_all
from webapp.api.tokens import api_token_create
from webapp.wsgi import application
from workflows.credit.filing import case_file
from workflows.credit.models import CreditRecord, Document, ListEntry
from workflows.models import HumanTask
from workflows.services.tasks import task_claim, task_complete

# One person per role of the demo city, and nobody.
ROLES = (
    "subject_b",  # subject
    "office_clerk",  # credit office clerk
    "scj_reviewer",  # reviewer
    "scj_chief",  # section chief
    "scj_head",  # department head
    "rsj_officer",  # implementing officer
    "auditor",
    "process_admin",
    "admin",  # system administrator
    "",  # anonymous
)
EXAMPLES_PER_OPERATION = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@contextlib.contextmanager
def _one_connection() -> Iterator[None]:
    """Keep the test's connection (and its transaction) across WSGI requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def demo_city(db: None) -> dict[str, dict[str, Any]]:
    """The demo city with every model, one accepted objection, and the path
    parameters of objects that exist (for a second pass over real objects)."""
    call_command("demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    deploy_all(User.objects.get(username="admin"))
    subject_b = User.objects.get(username="subject_b")
    record = CreditRecord.objects.filter(subject__accounts=subject_b).visible().first()
    assert record is not None
    case = case_file(
        actor=subject_b,
        kind="objection",
        data={"record": record.pk, "grounds": "record_wrong", "reason": "金额有误"},
    )
    formal = HumanTask.objects.open().get(case_number=case.number)
    clerk = User.objects.get(username="office_clerk")
    task_claim(actor=clerk, task_id=formal.pk)
    task_complete(
        actor=clerk, task_id=formal.pk, data={"formal_check_result": "accept"}
    )
    task = HumanTask.objects.open().get(case_number=case.number)
    document = Document.objects.get(case__number=case.number)
    entry = ListEntry.objects.get()
    return {
        "/api/v1/records/": {"id": record.pk},
        "/api/v1/objections/": {"number": case.number},
        "/api/v1/cases/": {"number": case.number},
        "/api/v1/tasks/": {"id": str(task.pk)},
        "/api/v1/documents/": {"id": document.pk, "code": document.verification_code},
        "/api/v1/subjects/": {"code": record.subject.code},
        "/api/v1/credit-check/": {"code": record.subject.code},
        "/api/v1/lists/": {"list_type": entry.list_type, "id": entry.pk},
    }


def _known(operation: Any, known: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The real path parameters of a GET operation on an existing object."""
    wanted = {p.name for p in operation.path_parameters}
    if operation.method.upper() != "GET" or not wanted:
        return None
    for prefix, values in known.items():
        if operation.path.startswith(prefix) and wanted <= set(values):
            return {name: values[name] for name in wanted}
    return None


def _headers(username: str) -> dict[str, str]:
    if not username:
        return {}
    user = User.objects.get(username=username)
    issued = api_token_create(actor=None, user=user, name="schemathesis")
    return {"Authorization": f"Bearer {issued.secret}"}


def _run(
    operation: Any, headers: dict[str, str], path: dict[str, Any] | None = None
) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path))
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


def test_every_operation_answers_within_its_schema_for_every_role(
    demo_city: dict[str, dict[str, Any]],
) -> None:
    failures: list[str] = []
    with _one_connection():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        assert len(operations) >= 40
        for username in ROLES:
            headers = _headers(username)
            for operation in operations:
                # Generated parameters, then (for reads) the objects that exist.
                real = _known(operation, demo_city)
                for path in (None, real) if real else (None,):
                    try:
                        _run(operation, headers, path)
                    except Exception as error:
                        who = username or "anonymous"
                        failures.append(f"{who} {operation.label}: {error}"[:2000])
    assert not failures, "\n\n".join(failures)
