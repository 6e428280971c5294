# ruff: noqa: E501 (the matrix is a table, one URL per line)
"""The permission matrix: every URL of the web app and the API, asked by every role.

Each row names a URL (by its resolver name), the method, the objects its arguments
point at (``number=case.number``: the world's objection of subject A, which has an
open task at SCJ), and the status each role gets, in the column order of
``COLUMNS``. "Other" columns are the same object seen from another subject
(``subject_other``) or another department (``reviewer_other``), so the three object
relations (own, other department, other subject) are all in each row. Every request
runs in a savepoint that is rolled back, so one role's POST never changes what the
next role meets.

A URL name in the resolver without a row fails ``test_every_url_has_a_row``. To
see what the code answers now (for writing a new row), run
``MATRIX_PRINT=1 pytest tests/webapp/test_permission_matrix.py -s -k print``
(``MATRIX_PRINT=inbox:,api:task`` prints only the names starting so).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import WARNING, get_messages
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.webapp.matrix_world import ROLE_USERS, MatrixWorld, build_world

COLUMNS = tuple(ROLE_USERS)
# A status with "e" (302e) is a redirect back with an error or warning message: the
# page answered by redirecting, and the action was refused.


@dataclass(frozen=True)
class Row:
    method: str
    expected: str
    args: str = ""

    def codes(self) -> dict[str, str]:
        values = self.expected.split()
        assert len(values) == len(COLUMNS), f"{len(values)} codes for {len(COLUMNS)}"
        return dict(zip(COLUMNS, values, strict=True))


# fmt: off
MATRIX: dict[str, Row] = {
    #                                              anon subj othr agnt clrk revw revO chef head offc audt padm admn
    # --- root ---
    "home":                           Row("GET",  "302  302  302  302  302  302  302  302  302  302  302  302  302", ""),
    # no worker or beat heartbeat in tests
    "healthz":                        Row("GET",  "503  503  503  503  503  503  503  503  503  503  503  503  503", ""),
    "set_language":                   Row("POST", "302  302  302  302  302  302  302  302  302  302  302  302  302", ""),
    "verify_document":                Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", "code=document.verification_code"),
    # --- accounts ---
    "accounts:sign_in":               Row("GET",  "200  302  302  302  302  302  302  302  302  302  302  302  302", ""),
    "accounts:sign_out":              Row("POST", "302  302  302  302  302  302  302  302  302  302  302  302  302", ""),
    "accounts:password_change":       Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    # --- notices ---
    "notices:list":                   Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "notices:badge":                  Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "notices:read_all":               Row("POST", "302  302  302  302  302  302  302  302  302  302  302  302  302", ""),
    # marks only the asker's own notices; others' ids change nothing
    "notices:read":                   Row("POST", "302  302  302  302  302  302  302  302  302  302  302  302  302", "pk=notification.pk"),
    # --- portal ---
    "portal:home":                    Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "portal:records":                 Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "portal:record_detail":           Row("GET",  "302  200  404  404  404  404  404  404  404  404  404  404  404", "pk=record_a.pk"),
    "portal:objection_new":           Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "portal:repair_new":              Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "portal:cases":                   Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "portal:case_detail":             Row("GET",  "302  200  404  200  404  404  404  404  404  404  404  404  404", "number=case.number"),
    "portal:case_supplement":         Row("POST", "302  302  404  302  404  404  404  404  404  404  404  404  404", "number=case.number"),
    "portal:case_appeal":             Row("POST", "302  302  404  302  404  404  404  404  404  404  404  404  404", "number=case.number"),
    # --- inbox ---
    "inbox:list":                     Row("GET",  "302  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    # nothing selected: redirected back with a warning
    "inbox:bulk_claim":               Row("POST", "302  302e 302e 302e 302e 302e 302e 302e 302e 302e 302e 302e 302e", ""),
    "inbox:task":                     Row("GET",  "302  404  404  404  404  200  404  200  200  404  200  404  200", "task_id=task.pk"),
    "inbox:draft":                    Row("POST", "302  404  404  404  404  403  404  403  403  404  403  404  302", "task_id=task.pk"),
    "inbox:resolve":                  Row("POST", "302  404  404  404  404  400  404  400  400  404  400  404  400", "task_id=task.pk"),
    # 403: a role that never acts on tasks (auditor). 302e: refused for this task as
    # it is now (the chief and head are not its candidates; nobody holds it to
    # unclaim), said on the task page, as a user on a stale page meets it
    "inbox:claim":                    Row("POST", "302  404  404  404  404  302  404  302e 302e 404  403  404  302", "task_id=task.pk"),
    "inbox:unclaim":                  Row("POST", "302  404  404  404  404  302e 404  302e 302e 404  403  404  302", "task_id=task.pk"),
    # 302e: no colleague chosen (a form error said on the task page)
    "inbox:delegate":                 Row("POST", "302  404  404  404  404  302e 404  302e 302e 404  403  404  302e", "task_id=task.pk"),
    "inbox:reassign":                 Row("POST", "302  404  404  404  404  403  404  302e 302e 404  403  404  302e", "task_id=task.pk"),
    # --- cases ---
    "cases:list":                     Row("GET",  "302  404  404  404  200  200  200  200  200  200  200  404  200", ""),
    "cases:detail":                   Row("GET",  "302  404  404  404  200  200  404  200  200  404  200  404  200", "number=case.number"),
    "cases:documents":                Row("GET",  "302  404  404  404  200  200  404  200  200  404  200  404  200", "number=case.number"),
    "cases:diagram_xml":              Row("GET",  "302  404  404  404  200  200  404  200  200  404  200  404  200", "number=case.number"),
    # --- console ---
    "console:home":                   Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", ""),
    "console:deploy":                 Row("GET",  "302  403  403  403  403  403  403  403  403  403  403  200  200", ""),
    "console:definitions":            Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", ""),
    "console:definition":             Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", "pk=definition.pk"),
    "console:definition_xml":         Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", "pk=definition.pk"),
    "console:incidents":              Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", ""),
    "console:incident_retry":         Row("POST", "302  403  403  403  403  403  403  403  403  403  403  404  404", "pk='999999'"),
    "console:instance":               Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", "pk=instance.pk"),
    "console:instance_action":        Row("POST", "302  403  403  403  403  403  403  403  403  403  403  400  400", "pk=instance.pk action='suspend'"),
    "console:calendar":               Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", ""),
    # no such override: 404 to those who may edit the calendar, 403 to the rest
    "console:calendar_remove":        Row("POST", "302  403  403  403  403  403  403  403  403  403  403  404  404", ""),
    "console:measures":               Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", ""),
    "console:measure_add":            Row("GET",  "302  403  403  403  403  403  403  403  403  403  403  200  200", ""),
    "console:measure_edit":           Row("GET",  "302  403  403  403  403  403  403  403  403  403  403  200  200", "pk=measure.pk"),
    "console:lists":                  Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", ""),
    "console:list_entry":             Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  200  200", "pk=entry_b.pk"),
    # --- auditing ---
    "auditing:search":                Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  403  200", ""),
    "auditing:case":                  Row("GET",  "302  403  403  403  403  403  403  403  403  403  200  403  200", "number=case.number"),
    "auditing:export_csv":            Row("POST", "302  403  403  403  403  403  403  403  403  403  200  403  200", ""),
    "auditing:export_pdf":            Row("POST", "302  403  403  403  403  403  403  403  403  403  200  403  200", ""),
    "auditing:verify":                Row("POST", "302  403  403  403  403  403  403  403  403  403  303  403  303", ""),
    "auditing:verify_status":         Row("GET",  "302  403  403  403  403  403  403  403  403  403  404  403  404", "job_id='unknown-job'"),
    "auditing:public_key":            Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    # --- public ---
    "public:index":                   Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "public:list":                    Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", "list_slug='serious-dishonesty'"),
    # --- dashboard ---
    "dashboard:index":                Row("GET",  "302  403  403  403  200  403  403  403  403  403  200  403  200", ""),
    # --- files ---
    "files:upload":                   Row("POST", "302  400  400  400  400  400  400  400  400  400  400  400  400", ""),
    # only staged uploads can be discarded: 400 for a filed attachment
    "files:discard":                  Row("POST", "302  400  400  400  400  400  400  400  400  400  400  400  400", "pk=attachment.pk"),
    "files:attachment":               Row("GET",  "302  200  404  200  200  200  404  200  200  404  200  404  200", "pk=attachment.pk"),
    "files:document":                 Row("GET",  "302  202  404  202  202  202  404  202  202  404  202  404  202", "pk=document.pk"),
    "files:reveal_identifier":        Row("POST", "302  404  404  404  200  200  404  200  200  404  200  404  200", "pk=subject_a.pk"),
    # --- api ---
    "api:schema":                     Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:docs":                       Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:api-root":                   Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:not_found":                  Row("GET",  "404  404  404  404  404  404  404  404  404  404  404  404  404", ""),
    "api:me":                         Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:credit-check":               Row("GET",  "401  403  403  403  200  200  200  200  200  200  403  403  403", "code=subject_b.code ?purpose=procurement"),
    "api:subject-list":               Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:subject-detail":             Row("GET",  "401  200  404  404  200  200  200  200  200  200  200  404  200", "code=subject_a.code"),
    "api:record-list":                Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:record-detail":              Row("GET",  "401  200  404  404  200  200  404  200  200  404  200  404  200", "pk=record_a.pk"),
    "api:record-repair-eligibility":  Row("GET",  "401  200  404  404  200  200  404  200  200  404  200  404  200", "pk=record_a.pk"),
    "api:objection-list":             Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:objection-detail":           Row("GET",  "401  200  404  200  404  404  404  404  404  404  404  404  404", "number=case.number"),
    "api:objection-appeal":           Row("POST", "401  400  404  400  404  404  404  404  404  404  403  404  404", "number=case.number"),
    "api:objection-supplement":       Row("POST", "401  400  404  400  404  404  404  404  404  404  403  404  404", "number=case.number"),
    "api:repair-list":                Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:repair-detail":              Row("GET",  "401  404  404  404  404  404  404  404  404  404  404  404  404", "number=case.number"),
    "api:repair-supplement":          Row("POST", "401  404  404  404  404  404  404  404  404  404  403  404  404", "number=case.number"),
    "api:attachment-list":            Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:attachment-detail":          Row("GET",  "401  200  404  200  200  200  404  200  200  404  200  404  200", "pk=attachment.pk"),
    "api:attachment-content":         Row("GET",  "401  200  404  200  200  200  404  200  200  404  200  404  200", "pk=attachment.pk"),
    "api:case-list":                  Row("GET",  "401  404  404  404  200  200  200  200  200  200  200  404  200", ""),
    "api:case-revoke-repair":         Row("POST", "401  404  404  404  400  400  404  400  400  404  403  404  400", "number=case.number"),
    "api:case-detail":                Row("GET",  "401  404  404  404  200  200  404  200  200  404  200  404  200", "number=case.number"),
    "api:task-list":                  Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:task-detail":                Row("GET",  "401  404  404  404  404  200  404  200  200  404  200  404  200", "pk=task.pk"),
    "api:task-claim":                 Row("POST", "401  404  404  404  404  200  404  403  403  404  403  404  200", "pk=task.pk"),
    "api:task-complete":              Row("POST", "401  404  404  404  404  400  404  403  403  404  403  404  400", "pk=task.pk"),
    # not visible 404, role never may 403, then the empty body 400
    "api:task-delegate":              Row("POST", "401  404  404  404  404  400  404  400  400  404  403  404  400", "pk=task.pk"),
    "api:task-draft":                 Row("POST", "401  404  404  404  404  403  404  403  403  404  403  404  200", "pk=task.pk"),
    "api:task-reassign":              Row("POST", "401  404  404  404  404  403  404  400  400  404  403  404  400", "pk=task.pk"),
    "api:task-resolve":               Row("POST", "401  404  404  404  404  400  404  400  400  404  403  404  400", "pk=task.pk"),
    "api:task-unclaim":               Row("POST", "401  404  404  404  404  403  404  403  403  404  403  404  200", "pk=task.pk"),
    "api:list-entry-list":            Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", "list_type='serious_dishonesty'"),
    "api:list-entry-detail":          Row("GET",  "401  404  200  404  404  404  200  404  404  404  200  200  200", "list_type='serious_dishonesty' pk=entry_b.pk"),
    "api:measure-application-list":   Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    # only staff of an implementing department (SCJ and SWJ implement measures too)
    # report; then the empty body is 400
    "api:measure-application-report": Row("POST", "401  403  403  403  403  400  400  400  400  400  403  403  403", ""),
    "api:document-list":              Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:document-verify":            Row("GET",  "200  200  200  200  200  200  200  200  200  200  200  200  200", "code=document.verification_code"),
    "api:document-detail":            Row("GET",  "401  200  404  200  200  200  404  200  200  404  200  404  200", "pk=document.pk"),
    "api:document-pdf":               Row("GET",  "401  409  404  409  409  409  404  409  409  404  409  404  409", "pk=document.pk"),
    "api:audit-event-list":           Row("GET",  "401  403  403  403  403  403  403  403  403  403  200  403  200", ""),
    "api:definition-list":            Row("GET",  "401  403  403  403  403  403  403  403  403  403  200  200  200", ""),
    "api:definition-deploy":          Row("POST", "401  403  403  403  403  403  403  403  403  403  403  400  400", ""),
    "api:token-list":                 Row("GET",  "401  200  200  200  200  200  200  200  200  200  200  200  200", ""),
    "api:token-detail":               Row("GET",  "401  405  405  405  405  405  405  405  405  405  405  405  405", "pk=token.pk"),
}
# fmt: on


class _Rollback(Exception):
    pass


def url_names() -> set[str]:
    """Every named URL outside the Django admin, with its namespace."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = pattern.namespace or ""
                joined = (
                    f"{namespace}:{inner}"
                    if namespace and inner
                    else inner or namespace
                )
                walk(pattern.url_patterns, joined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def _value(world: MatrixWorld, spec: str) -> Any:
    if spec.startswith("'"):
        return spec.strip("'")
    key, _dot, attr = spec.partition(".")
    value = world[key]
    for part in attr.split(".") if attr else []:
        value = getattr(value, part)
    return value


def url_of(world: MatrixWorld, name: str, row: Row) -> str:
    kwargs, query = {}, ""
    for pair in row.args.split():
        if pair.startswith("?"):
            query = pair
            continue
        arg, _eq, spec = pair.partition("=")
        kwargs[arg] = _value(world, spec)
    if name == "api:not_found":
        return "/api/nothing-here/"
    return reverse(name, kwargs=kwargs) + query


def _refused(response: Any) -> bool:
    if not 300 <= response.status_code < 400:
        return False
    sent = get_messages(response.wsgi_request)
    return any(message.level >= WARNING for message in sent)


def status_of(world: MatrixWorld, role: str, method: str, url: str) -> str:
    """Ask as one role; everything the request writes is rolled back."""
    status = ""
    cache.clear()  # rate limits and throttles count per test run, not per role
    try:
        with transaction.atomic():
            client = Client()
            user = world.users[role]
            if user is not None:
                client.force_login(user)
            response = getattr(client, method.lower())(url)
            status = f"{response.status_code}{'e' if _refused(response) else ''}"
            raise _Rollback
    except _Rollback:
        pass
    return status


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[MatrixWorld]:
    """Build the world once for the module, inside a transaction rolled back after."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield build_world()
                raise _Rollback
        except _Rollback:
            pass


def test_every_url_has_a_row() -> None:
    missing = sorted(url_names() - set(MATRIX))
    assert not missing, "URLs without a row in the permission matrix: " + ", ".join(
        missing
    )


def test_no_row_names_a_url_that_is_gone() -> None:
    assert sorted(set(MATRIX) - url_names()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_status(world: MatrixWorld, name: str) -> None:
    row = MATRIX[name]
    url = url_of(world, name, row)
    got = {role: status_of(world, role, row.method, url) for role in COLUMNS}
    assert got == row.codes(), f"{row.method} {url}"


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("MATRIX_PRINT"), reason="MATRIX_PRINT not set")
def test_print_the_observed_matrix(world: MatrixWorld) -> None:
    """Print every URL's observed row (new URLs with a guessed GET), for review."""
    wanted = os.environ.get("MATRIX_PRINT", "1")
    prefixes = ("",) if wanted == "1" else tuple(wanted.split(","))
    for name in sorted(n for n in url_names() if n.startswith(prefixes)):
        row = MATRIX.get(name, Row("GET", ""))
        try:
            url = url_of(world, name, row)
        except Exception as exc:
            print(f"    # {name}: cannot reverse ({exc})")
            continue
        got = [str(status_of(world, role, row.method, url)) for role in COLUMNS]
        codes = " ".join(code.ljust(4) for code in got).rstrip()
        print(f'    "{name}": Row("{row.method}", "{codes}", "{row.args}"),')


def _client(world: MatrixWorld, role: str) -> Client:
    client = Client()
    user = world.users[role]
    assert user is not None
    client.force_login(user)
    return client


VERIFY_FORM = {
    "request_extension": "false",
    "proposed_outcome": "keep",
    "findings": "维持",
}


@pytest.mark.django_db
def test_a_subject_asking_for_another_subjects_case_number_gets_not_found(
    world: MatrixWorld,
) -> None:
    number = world["case"].number
    client = _client(world, "subject_other")
    for name in ("portal:case_detail", "cases:detail", "api:case-detail"):
        response = client.get(reverse(name, kwargs={"number": number}))
        assert response.status_code == 404, name
    assert client.get(reverse("api:objection-detail", args=[number])).status_code == 404


@pytest.mark.django_db
def test_a_reviewer_opening_another_departments_task_gets_not_found(
    world: MatrixWorld,
) -> None:
    task = world["task"]
    assert task.candidate_group.name == "SCJ.reviewer"
    client = _client(world, "reviewer_other")

    assert client.get(reverse("inbox:task", args=[task.pk])).status_code == 404
    assert client.get(reverse("api:task-detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("api:task-claim", args=[task.pk])).status_code == 404
    own = _client(world, "reviewer")
    assert own.get(reverse("inbox:task", args=[task.pk])).status_code == 200


@pytest.mark.django_db
def test_an_auditor_completing_a_task_is_forbidden_on_the_web_and_the_api(
    world: MatrixWorld,
) -> None:
    task = world["task"]
    client = _client(world, "auditor")
    assert client.get(reverse("inbox:task", args=[task.pk])).status_code == 200

    web = client.post(reverse("inbox:task", args=[task.pk]), VERIFY_FORM)
    api = client.post(
        reverse("api:task-complete", args=[task.pk]),
        {"data": {"request_extension": False, "proposed_outcome": "keep"}},
        content_type="application/json",
    )

    assert (web.status_code, api.status_code) == (403, 403)
    task.refresh_from_db()
    assert task.is_open
    # The department's own reviewer may (the refusal is about the role).
    reviewer = _client(world, "reviewer")
    assert reviewer.post(reverse("api:task-claim", args=[task.pk])).status_code == 200
