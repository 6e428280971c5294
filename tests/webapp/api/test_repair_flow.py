"""A credit repair driven entirely through the API, each person with their own token,
and its revocation when it was obtained by fraud."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.credit.processes.conftest import World
from tests.webapp.api.conftest import ClientFor, error_of
from tests.webapp.api.test_objection_flow import PDF, queue_task, work
from workflows.credit.models import Case, CreditRecord

COMMITMENT = "本单位承诺已纠正失信行为，今后守法诚信经营。We commit to lawful conduct."


def _repairable(world: World) -> None:
    assert world.record is not None
    CreditRecord.objects.filter(pk=world.record.pk).update(
        decision_date=dt.date(2026, 1, 5),
        published_at=dt.datetime(2026, 1, 6, 9, tzinfo=timezone.get_default_timezone()),
    )


def test_a_repair_is_checked_filed_supplemented_and_granted_through_the_chain(
    world: World, client_for: ClientFor, frozen: Any
) -> None:
    _repairable(world)
    assert world.rep is not None
    assert world.record is not None
    rep = client_for(world.rep)
    check = rep.get(f"/api/v1/records/{world.record.pk}/repair-eligibility/")
    assert check.status_code == 200
    assert check.json()["eligible"] is True
    assert check.json()["requires_commitment"] is True

    missing = rep.post(
        "/api/v1/repairs/",
        {"record": world.record.pk, "reason": "罚款已缴清"},
        format="json",
    )
    assert missing.status_code == 400
    assert "commitment" in error_of(missing)["fields"]

    proof = rep.post(
        "/api/v1/attachments/",
        {"file": SimpleUploadedFile("paid.pdf", PDF), "kind": "proof"},
        format="multipart",
    ).json()
    filed = rep.post(
        "/api/v1/repairs/",
        {
            "record": world.record.pk,
            "reason": "罚款已缴清，年报已补报 Fine paid, annual report filed",
            "commitment": COMMITMENT,
            "attachments": [proof["id"]],
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="repair-1",
    )
    assert filed.status_code == 201, filed.content
    number = filed.json()["number"]
    assert number.startswith("XF-2026-")
    assert [a["id"] for a in filed.json()["attachments"]] == [proof["id"]]
    assert rep.get("/api/v1/attachments/").json()["count"] == 0  # no longer staged

    reviewer = client_for(world["scj_reviewer"])
    work(
        reviewer,
        number,
        "accept_by_source_department",
        {"acceptance_result": "supplement", "missing_materials": ["年报截图"]},
    )
    supplied = rep.post(
        f"/api/v1/repairs/{number}/supplement/",
        {"note": "已补报年报"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="repair-1-supplement",
    )
    assert supplied.status_code == 200, supplied.content
    work(
        reviewer, number, "accept_by_source_department", {"acceptance_result": "accept"}
    )
    work(
        reviewer,
        number,
        "review_repair",
        {"review_opinion": "grant", "review_findings": "整改到位"},
    )
    chief_task = queue_task(
        client_for(world["scj_section_chief"]), number, "approve_at_level"
    )
    assert chief_task["candidate_group"] == "SCJ.section_chief"
    approval = {"approval": {"approved": True, "comment": ""}}
    work(client_for(world["scj_section_chief"]), number, "approve_at_level", approval)
    work(client_for(world["scj_head"]), number, "approve_at_level", approval)

    done = rep.get(f"/api/v1/repairs/{number}/").json()
    assert done["status"] in (Case.Status.DECIDED, Case.Status.CLOSED)
    assert "repair_decision" in {d["kind"] for d in done["documents"]}
    record = rep.get(f"/api/v1/records/{world.record.pk}/").json()
    assert record["status"] == CreditRecord.Status.PUBLICATION_STOPPED
    assert record["repair_count"] == 1
    assert [c["number"] for c in rep.get("/api/v1/repairs/").json()["results"]] == [
        number
    ]

    refused = client_for(world["scj_reviewer"]).post(
        f"/api/v1/cases/{number}/revoke-repair/", {"reason": "x"}, format="json"
    )
    assert refused.status_code == 403
    revoked = client_for(world["scj_section_chief"]).post(
        f"/api/v1/cases/{number}/revoke-repair/",
        {"reason": "缴款凭证系伪造 The receipt was forged"},
        format="json",
    )
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["decision"]["revoked"]["by"] == "scj_section_chief"
    restored = rep.get(f"/api/v1/records/{world.record.pk}/").json()
    assert restored["status"] == CreditRecord.Status.PUBLISHED
