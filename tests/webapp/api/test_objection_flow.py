"""An objection driven entirely through the API, each person with their own token."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from notifications.documents.services import document_render
from tests.credit.processes.conftest import World
from tests.webapp.api.conftest import ClientFor, error_of
from workflows.credit.models import Case, CreditRecord

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def queue_task(client: APIClient, number: str, element: str) -> dict[str, Any]:
    """Find a case's task in my groups' queue, as a reviewer's script would."""
    listing = client.get(f"/api/v1/tasks/?tab=queue&case_number={number}")
    assert listing.status_code == 200, listing.content
    tasks = [t for t in listing.json()["results"] if t["element_id"] == element]
    assert len(tasks) == 1, listing.json()
    return dict(tasks[0])


def work(client: APIClient, number: str, element: str, data: dict[str, Any]) -> None:
    """Claim a queued task, read its form, complete it."""
    task = queue_task(client, number, element)
    claimed = client.post(f"/api/v1/tasks/{task['id']}/claim/")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["status"] == "claimed"
    assert claimed.json()["form"]["type"] == "object"
    done = client.post(
        f"/api/v1/tasks/{task['id']}/complete/", {"data": data}, format="json"
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed"


def test_an_objection_is_filed_supplemented_verified_decided_and_appealed(
    world: World, client_for: ClientFor, frozen: Any
) -> None:
    assert world.rep is not None
    assert world.record is not None
    rep = client_for(world.rep)
    records = rep.get("/api/v1/records/").json()["results"]
    assert [r["id"] for r in records] == [world.record.pk]

    filed = rep.post(
        "/api/v1/objections/",
        {
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": "罚款金额登记错误 The amount is wrong",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="objection-1",
    )
    assert filed.status_code == 201, filed.content
    number = filed.json()["number"]
    assert filed.json()["status"] == "submitted"
    assert [d["kind"] for d in filed.json()["deadlines"]] == ["formal_check"]

    clerk = client_for(world["xyb_clerk"])
    work(
        clerk,
        number,
        "formal_check",
        {"formal_check_result": "supplement", "missing_materials": ["缴款凭证"]},
    )
    waiting = rep.get(f"/api/v1/objections/{number}/").json()
    assert waiting["status"] == "supplement_requested"
    assert waiting["actions"] == ["supplement"]
    assert waiting["supplement_request"]["missing"] == ["缴款凭证"]

    upload = rep.post(
        "/api/v1/attachments/",
        {"file": SimpleUploadedFile("receipt.pdf", PDF), "kind": "proof"},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    supplied = rep.post(
        f"/api/v1/objections/{number}/supplement/",
        {"note": "已补充缴款凭证", "attachments": [upload.json()["id"]]},
        format="json",
    )
    assert supplied.status_code == 200, supplied.content
    assert supplied.json()["status"] == "submitted"

    work(clerk, number, "formal_check", {"formal_check_result": "accept"})
    record = rep.get(f"/api/v1/records/{world.record.pk}/").json()
    assert record["status"] == CreditRecord.Status.UNDER_OBJECTION
    work(
        client_for(world["scj_reviewer"]),
        number,
        "verify_by_source_department",
        {
            "proposed_outcome": "correct",
            "findings": "核实后更正 corrected after checking",
            "corrected_content": {"amount": 500},
            "request_extension": False,
        },
    )
    work(
        client_for(world["scj_section_chief"]),
        number,
        "review_by_section_chief",
        {"chief_approved": True, "chief_comment": ""},
    )

    decided = rep.get(f"/api/v1/objections/{number}/").json()
    assert decided["status"] == Case.Status.DECIDED
    assert decided["actions"] == ["appeal"]
    assert {"case.file", "case.supplement"} <= {
        i["action"] for i in decided["timeline"]
    }
    decision = next(
        d for d in decided["documents"] if d["kind"] == "objection_decision"
    )
    assert decision["pdf_ready"] is False
    pending = rep.get(f"/api/v1/documents/{decision['id']}/pdf/")
    assert pending.status_code == 409
    assert error_of(pending)["code"] == "conflict"
    document_render(document_id=decision["id"])
    pdf = rep.get(
        f"/api/v1/documents/{decision['id']}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    verified = APIClient().get(
        f"/api/v1/documents/verify/{decision['verification_code']}/"
    )
    assert verified.status_code == 200
    assert verified.json()["number"] == decision["number"]

    corrected = rep.get(f"/api/v1/records/{world.record.pk}/").json()
    assert corrected["status"] == CreditRecord.Status.CORRECTED
    assert corrected["content"]["amount"] == 500
    assert [c["case"] for c in corrected["corrections"]] == [number, number]

    appeal = rep.post(
        f"/api/v1/objections/{number}/appeal/",
        {"reason": "更正后金额仍有误 The corrected amount is still wrong"},
        format="json",
    )
    assert appeal.status_code == 201, appeal.content
    assert appeal.json()["case_type"] == "appeal"
    assert appeal.json()["appeal_of"] == number
    mine = rep.get("/api/v1/objections/").json()
    assert {c["number"] for c in mine["results"]} == {number, appeal.json()["number"]}
