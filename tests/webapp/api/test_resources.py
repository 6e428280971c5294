"""Subjects, records, lists, documents, audit events, definitions, staff cases:
happy paths and the refusals (404 for what one may not see, 403 for writes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.credit.factories import make_resident_id
from tests.credit.processes.conftest import World
from tests.webapp.api.conftest import ClientFor, error_of
from workflows.credit.filing import case_file
from workflows.credit.models import Case, ListEntry, Subject
from workflows.models import ProcessDefinition


@pytest.fixture
def objection(world: World) -> Case:
    assert world.rep is not None
    assert world.record is not None
    data = {"record": world.record.pk, "grounds": "record_wrong", "reason": "错"}
    return case_file(actor=world.rep, kind="objection", data=data)


def _entry(world: World, subject: Subject, list_type: str) -> ListEntry:
    today = timezone.localdate()
    return ListEntry.objects.create(
        list_type=list_type,
        subject=subject,
        deciding_department=world.departments["SCJ"],
        decision_number=f"列决〔2026〕{subject.pk}",
        basis="国办发〔2020〕49号",
        valid_from=today - dt.timedelta(days=1),
        valid_to=today + dt.timedelta(days=30),
        status=ListEntry.Status.LISTED,
    )


def test_a_subject_is_looked_up_by_staff_and_its_own_accounts_only(
    world: World, client_for: ClientFor
) -> None:
    assert world.subject is not None
    assert world.rep is not None
    url = f"/api/v1/subjects/{world.subject.code}/"
    assert client_for(world.rep).get(url).json()["name"] == world.subject.name
    assert client_for(world["scj_reviewer"]).get(url).status_code == 200
    stranger = User.objects.create_user("stranger")
    assert client_for(stranger).get(url).status_code == 404
    mine = client_for(world.rep).get("/api/v1/subjects/").json()["results"]
    assert [s["code"] for s in mine] == [world.subject.code]


def test_records_are_those_the_user_may_see(
    world: World, client_for: ClientFor
) -> None:
    assert world.record is not None
    url = f"/api/v1/records/{world.record.pk}/"
    assert client_for(world["scj_reviewer"]).get(url).status_code == 200
    refused = client_for(world["swj_reviewer"]).get(url)
    assert refused.status_code == 404
    assert error_of(refused)["code"] == "not_found"
    assert (
        client_for(world["swj_reviewer"]).get("/api/v1/records/").json()["count"] == 0
    )


def test_a_party_reads_only_their_own_cases(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    other = User.objects.create_user("other_rep")
    url = f"/api/v1/objections/{objection.number}/"
    assert client_for(other).get(url).status_code == 404
    assert client_for(other).get("/api/v1/objections/").json()["count"] == 0
    assert world.rep is not None
    as_repair = client_for(world.rep).get(f"/api/v1/repairs/{objection.number}/")
    assert as_repair.status_code == 404


def test_staff_search_cases_and_read_the_whole_timeline(
    world: World, objection: Case, client_for: ClientFor, auditor: User
) -> None:
    clerk = client_for(world["xyb_clerk"])
    found = clerk.get(f"/api/v1/cases/?q={objection.number}").json()
    assert [c["number"] for c in found["results"]] == [objection.number]
    detail = clerk.get(f"/api/v1/cases/{objection.number}/").json()
    assert "case.file" in [e["action"] for e in detail["timeline"]]
    assert [t["element_id"] for t in detail["tasks"]] == ["formal_check"]
    assert (
        client_for(auditor).get(f"/api/v1/cases/{objection.number}/").status_code == 200
    )
    subject_view = client_for(world.rep).get("/api/v1/cases/")  # type: ignore[arg-type]
    assert subject_view.status_code == 404


def test_anyone_reads_the_published_entries_of_a_list_and_staff_read_one(
    world: World, client_for: ClientFor
) -> None:
    person = Subject.objects.create(
        kind=Subject.Kind.NATURAL_PERSON, name="张三丰", code=make_resident_id(4)
    )
    entry = _entry(world, person, ListEntry.ListType.SERIOUS_DISHONESTY)
    proposed = _entry(world, world.subject, ListEntry.ListType.KEY_ATTENTION)  # type: ignore[arg-type]
    ListEntry.objects.filter(pk=proposed.pk).update(status=ListEntry.Status.PROPOSED)
    public = APIClient().get("/api/v1/lists/serious_dishonesty/entries/")
    assert public.status_code == 200
    rows = public.json()["results"]
    assert [(r["id"], r["subject"]["name"]) for r in rows] == [(entry.pk, "张**")]
    assert rows[0]["subject"]["code"] == person.masked_code
    assert APIClient().get("/api/v1/lists/key_attention/entries/").json()["count"] == 0
    url = f"/api/v1/lists/serious_dishonesty/entries/{entry.pk}/"
    assert APIClient().get(url).status_code == 401
    staff = client_for(world["scj_reviewer"]).get(url)
    assert staff.status_code == 200
    assert staff.json()["basis"] == entry.basis
    assert client_for(world["swj_reviewer"]).get(url).status_code == 404


def test_documents_of_a_case_are_listed_for_those_who_see_the_case(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    from tests.credit.processes.conftest import work

    work(
        world["xyb_clerk"],
        objection.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    rep = client_for(world.rep)  # type: ignore[arg-type]
    listed = rep.get(f"/api/v1/documents/?case={objection.number}").json()
    kinds = [d["kind"] for d in listed["results"]]
    assert kinds == ["acceptance"]
    document = listed["results"][0]["id"]
    assert rep.get(f"/api/v1/documents/{document}/").status_code == 200
    other = client_for(User.objects.create_user("other_rep"))
    assert other.get(f"/api/v1/documents/{document}/").status_code == 404
    assert other.get(f"/api/v1/documents/{document}/pdf/").status_code == 404
    assert rep.get("/api/v1/documents/").json()["count"] == 0
    unknown = APIClient().get("/api/v1/documents/verify/AAAAAAAAAAAAAAAA/")
    assert unknown.status_code == 404


def test_only_auditors_read_the_audit_trail(
    world: World, objection: Case, client_for: ClientFor, auditor: User
) -> None:
    url = f"/api/v1/audit/events/?case_number={objection.number}&action=case."
    events = client_for(auditor).get(url)
    assert events.status_code == 200
    assert [e["action"] for e in events.json()["results"]] == ["case.file"]
    refused = client_for(world["xyb_clerk"]).get(url)
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "forbidden"


def test_process_admins_list_and_deploy_models_and_others_may_not(
    world: World,
    client_for: ClientFor,
    process_admin: User,
    auditor: User,
    settings: Any,
) -> None:
    admin = client_for(process_admin)
    versions = admin.get("/api/v1/definitions/?process_id=objection").json()
    assert [d["version"] for d in versions["results"]] == [1]
    source = (settings.BPMN_DIR / "approval_chain.bpmn").read_bytes()
    form = (settings.BPMN_DIR / "forms" / "approval_level.json").read_bytes()
    files = [
        SimpleUploadedFile(
            "approval_chain.bpmn",
            source.replace(b"</bpmn:definitions>", b"<!-- v2 --></bpmn:definitions>"),
        ),
        SimpleUploadedFile("approval_level.json", form),
    ]
    deployed = admin.post(
        "/api/v1/definitions/deploy/", {"files": files}, format="multipart"
    )
    assert deployed.status_code == 200, deployed.content
    assert deployed.json()["processes"][0] == {
        "id": "approval_chain",
        "version": 2,
        "created": True,
    }
    assert ProcessDefinition.objects.filter(process_id="approval_chain").count() == 2
    reviewer = client_for(world["scj_reviewer"])
    assert reviewer.get("/api/v1/definitions/").status_code == 403
    again = [SimpleUploadedFile("approval_level.json", form)]
    refused = client_for(auditor).post(
        "/api/v1/definitions/deploy/", {"files": again}, format="multipart"
    )
    assert refused.status_code == 403


def test_me_says_who_i_am_and_api_requests_are_audited_as_api(
    world: World, objection: Case, client_for: ClientFor
) -> None:
    me = client_for(world["scj_reviewer"]).get("/api/v1/me/").json()
    assert me["username"] == "scj_reviewer"
    assert me["memberships"] == [
        {"department": "SCJ", "department_name": "市场监管局", "role": "reviewer"}
    ]
    client_for(world["xyb_clerk"]).post(
        f"/api/v1/tasks/{objection.process_instance.tasks.get().pk}/claim/"  # type: ignore[union-attr]
    )
    assert AuditEvent.objects.get(action="task.claim").via == "api"


def test_the_schema_and_the_documentation_page_are_served(
    db: None, client: Any
) -> None:
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/credit-check/{code}/" in paths
    assert "/api/v1/tasks/{id}/complete/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/objections/" in html
    assert "<script>" not in html
    assert 'style="' not in html


def test_the_browsable_api_uses_packaged_assets_only(world: World, client: Any) -> None:
    client.force_login(world["scj_reviewer"])
    page = client.get("/api/v1/records/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/rest_framework/" in html
    assert "//cdn" not in html
    assert "https://" not in html.split("<body")[0]


def test_list_pages_take_a_fixed_number_of_queries(
    world: World,
    objection: Case,
    client_for: ClientFor,
    django_assert_num_queries: Any,
    frozen: Any,
) -> None:
    assert world.rep is not None
    rep = client_for(world.rep)
    rep.get("/api/v1/me/")  # the token's first use is written once a minute
    # token and user; count; page
    with django_assert_num_queries(3):
        assert rep.get("/api/v1/records/").json()["count"] == 1
    with django_assert_num_queries(3):
        assert rep.get("/api/v1/objections/").json()["count"] == 1
    clerk = client_for(world["xyb_clerk"])
    clerk.get("/api/v1/me/")
    # token and user; the staff check; count; page
    with django_assert_num_queries(4):
        assert clerk.get("/api/v1/cases/").json()["count"] == 1


def test_the_schema_generates_without_warnings(tmp_path: Any) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/objections/" in out.read_text()
