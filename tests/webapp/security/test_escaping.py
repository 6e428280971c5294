"""Script payloads typed into the portal's forms come back escaped, everywhere.

Covers every text field of the portal's forms: the objection (reason, and the
hidden token), the repair request (reason), the supplement (note) and the appeal
(reason); plus the name of an uploaded file. Each payload is sent, then looked for
where it comes back: the form shown again with an error, the upload's htmx
fragment, the subject's case page and the staff case page. It must never come
back as markup, and must come back escaped.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.credit.processes import conftest as processes
from tests.credit.processes.conftest import World, work
from tests.credit.processes.test_repair import make_repairable
from workflows.credit.models import Case

world = processes.world
frozen = processes.frozen

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
SINGLE = "'><svg onload=alert(3)>"
PAYLOAD = f"{SCRIPT} {ATTRIBUTE} {SINGLE}"
# A file name keeps its last path component only, so this one has no "/".
FILE_PAYLOAD = f"{ATTRIBUTE} {SINGLE}"
# Longer than any text field allows: the form is shown again with the text in it.
TOO_LONG = (PAYLOAD + " ") * 120
DANGEROUS = ("<script>alert(1)", "<img src=x onerror", "<svg onload")


def assert_escaped(response: Any, echoed: str = SCRIPT) -> None:
    """No payload comes back as markup, and ``echoed`` comes back escaped."""
    page = response.content.decode()
    for fragment in DANGEROUS:
        assert fragment not in page, f"unescaped {fragment!r}"
    assert html.escape(echoed) in page, f"{echoed!r} is not shown escaped"


def _token(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "the form has no token"
    return match.group(1)


@pytest.fixture
def rep(world: World) -> Client:
    cache.clear()
    assert world.rep is not None
    client = Client()
    client.force_login(world.rep)
    return client


def _upload(client: Client, **extra: Any) -> Any:
    upload = SimpleUploadedFile(f"{FILE_PAYLOAD}.pdf", b"%PDF-1.7\n" + b"x" * 64)
    return client.post(
        reverse("files:upload"), {"file": upload, "kind": "evidence"}, **extra
    )


def _file_objection(rep: Client, world: World) -> Case:
    assert world.record is not None
    token = _token(rep.get(reverse("portal:objection_new")).content.decode())
    upload = _upload(rep, HTTP_ACCEPT="application/json")
    assert upload.status_code == 201
    response = rep.post(
        reverse("portal:objection_new"),
        {
            "token": token,
            "record": world.record.pk,
            "grounds": "record_wrong",
            "reason": PAYLOAD,
            "attachments": [upload.json()["id"]],
        },
    )
    assert response.status_code == 302
    return Case.objects.get()


def test_the_objection_form_shown_again_escapes_reason_and_token(
    rep: Client, world: World
) -> None:
    assert world.record is not None
    response = rep.post(
        reverse("portal:objection_new"),
        {"token": PAYLOAD, "record": world.record.pk, "reason": PAYLOAD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert_escaped(response)
    assert 'value="' + html.escape(PAYLOAD) in response.content.decode()


def test_a_filed_objection_shows_reason_and_file_name_escaped(
    rep: Client, world: World
) -> None:
    case = _file_objection(rep, world)
    assert case.reason == PAYLOAD
    assert case.attachments.get().original_name == f"{FILE_PAYLOAD}.pdf"
    mine = rep.get(reverse("portal:case_detail", args=[case.number]))
    assert mine.status_code == 200
    assert_escaped(mine)
    assert_escaped(mine, FILE_PAYLOAD)
    staff = Client()
    staff.force_login(world["xyb_clerk"])
    page = staff.get(reverse("cases:detail", args=[case.number]))
    assert page.status_code == 200
    assert_escaped(page)
    assert_escaped(page, FILE_PAYLOAD)


def test_the_upload_fragment_escapes_the_file_name(rep: Client) -> None:
    response = _upload(rep, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert_escaped(response, FILE_PAYLOAD)


def test_the_repair_form_shown_again_escapes_the_reason(
    rep: Client, world: World, frozen: Any
) -> None:
    make_repairable(world)
    assert world.record is not None
    url = reverse("portal:repair_new") + f"?record={world.record.pk}"
    token = _token(rep.get(url).content.decode())
    response = rep.post(
        reverse("portal:repair_new"),
        {"token": token, "record": world.record.pk, "reason": PAYLOAD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert_escaped(response)


def test_the_supplement_form_shown_again_escapes_the_note(
    rep: Client, world: World
) -> None:
    case = _file_objection(rep, world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "supplement", "missing_materials": ["身份证明"]},
    )
    url = reverse("portal:case_supplement", args=[case.number])
    response = rep.post(url, {"note": TOO_LONG})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert_escaped(response)


def test_the_appeal_form_shown_again_escapes_the_reason(
    rep: Client, world: World, frozen: Any
) -> None:
    case = _file_objection(rep, world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    work(
        world["scj_reviewer"],
        case.number,
        "verify_by_source_department",
        {
            "proposed_outcome": "keep",
            "findings": "记录无误",
            "corrected_content": {},
            "request_extension": False,
        },
    )
    work(
        world["scj_section_chief"],
        case.number,
        "review_by_section_chief",
        {"chief_approved": True, "chief_comment": ""},
    )
    url = reverse("portal:case_appeal", args=[case.number])
    response = rep.post(url, {"reason": TOO_LONG})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert_escaped(response)
