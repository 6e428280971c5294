"""An objection from filing to decision, in a real browser, through every page.

The company clerk (``subject_b`` of the demo city) objects to a market supervision
penalty and uploads evidence with the progress bar; the credit office clerk accepts
it in the task inbox; the SCJ reviewer claims and verifies it; the SCJ section chief
approves; the clerk of the company then reads the decision and downloads it.

Documents are rendered by a Celery worker in production. Here the test calls the
render service (``notifications.documents.services.document_render``) itself, as a
worker would, instead of starting one.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from playwright.sync_api import FilePayload, Page, expect

from notifications.documents.services import document_render
from tests.browser.conftest import DEMO_PASSWORD, sign_in
from workflows.credit.models import Attachment, Case, CreditRecord, Document
from workflows.models import HumanTask

RECORD = "张市监罚〔2026〕101号"  # SCJ's general-grade penalty on company B
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NUMBER = re.compile(r"YY-\d{4}-\d{6}")


def _as(page: Page, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username, DEMO_PASSWORD)


def _file_objection(page: Page, live_server: Any) -> str:
    """File the objection through the portal, with one uploaded file."""
    record = CreditRecord.objects.get(decision_number=RECORD)
    page.goto(live_server.url + reverse("portal:records"))
    page.get_by_role("link", name=re.compile(re.escape(RECORD))).click()
    page.locator(f"a[href$='?record={record.pk}']").first.click()
    expect(page.locator("select[name=record]")).to_have_value(str(record.pk))
    page.check("input[name=grounds][value=record_wrong]")
    page.fill("textarea[name=reason]", "罚款金额登记为5000元，实际为500元。")
    evidence: FilePayload = {
        "name": "缴款凭证.pdf",
        "mimeType": "application/pdf",
        "buffer": PDF,
    }
    page.set_input_files("[data-upload-input]", files=[evidence])
    expect(page.locator("[data-upload-list] input[name=attachments]")).to_have_count(1)
    page.locator("button[data-once]").click()
    page.wait_for_url(re.compile(r"/portal/cases/YY-"))
    found = NUMBER.search(page.url)
    assert found is not None
    expect(page.locator("main")).to_contain_text("缴款凭证.pdf")
    return found.group(0)


def _work_task(page: Page, live_server: Any, number: str, fields: dict[str, str]):
    """Open the case's task from the inbox queue, claim it, fill it, complete it."""
    page.goto(live_server.url + reverse("inbox:list") + "?tab=queue")
    row = page.locator("tr", has_text=number)
    expect(row).to_have_count(1)
    row.locator("th a").click()
    claim = page.locator("form[action$='/claim/'] button[type=submit]")
    if claim.count():
        claim.click()
        page.wait_for_load_state()
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.first.get_attribute("type") == "radio":
            page.check(f"input[name={name}][value={value}]")
        else:
            field.fill(value)
    page.locator("#complete-task").click()
    page.wait_for_load_state()


def _open_step(number: str) -> str:
    return HumanTask.objects.open().get(case_number=number).element_id


def _render_documents(number: str) -> None:
    for document in Document.objects.filter(case__number=number, rendered_at=None):
        document_render(document_id=document.pk)


def test_a_company_objects_staff_decide_and_the_company_downloads_the_decision(
    page: Page, live_server: Any, demo: None
) -> None:
    _as(page, live_server, "subject_b")
    number = _file_objection(page, live_server)
    assert Attachment.objects.filter(case__number=number).count() == 1

    _as(page, live_server, "office_clerk")
    _work_task(page, live_server, number, {"formal_check_result": "accept"})
    assert _open_step(number) == "verify_by_source_department"

    _as(page, live_server, "scj_reviewer")
    _work_task(
        page,
        live_server,
        number,
        {
            "request_extension": "false",
            "proposed_outcome": "stop_publication",
            "findings": "经核实，该记录应停止公示。",
        },
    )

    assert _open_step(number) == "review_by_section_chief"

    _as(page, live_server, "scj_chief")
    _work_task(page, live_server, number, {"chief_approved": "true"})
    assert Case.objects.get(number=number).status == Case.Status.DECIDED

    _render_documents(number)
    _as(page, live_server, "subject_b")
    page.goto(live_server.url + reverse("portal:case_detail", args=[number]))
    main = page.locator("main")
    expect(main).to_contain_text("已决定")
    expect(main).to_contain_text("停止公示该记录")
    expect(main).not_to_contain_text("scj_reviewer")
    decision = Document.objects.get(case__number=number, kind="objection_decision")
    link = page.locator(f"a[href='{reverse('files:document', args=[decision.pk])}']")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert path.read_bytes().startswith(b"%PDF")
