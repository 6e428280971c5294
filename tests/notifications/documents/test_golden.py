"""A golden image of one page guards the layout of the documents.

Regenerate after an intended layout change with ``UPDATE_GOLDEN=1`` and look at
the new image before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
import time_machine
from PIL import Image, ImageChops, ImageStat

from notifications.documents.services import document_render
from tests.credit.factories import CaseFactory, CreditRecordFactory, SubjectFactory
from tests.notifications.documents.support import SUBMITTED, World, have
from workflows.credit.documents import issue_document
from workflows.credit.models import Case, Document

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not have("pdftoppm"), reason="needs poppler-utils"),
]

GOLDEN = Path(__file__).parent / "golden" / "objection_decision-page1.png"
ISSUED = dt.datetime(2026, 5, 18, 10, 0, tzinfo=dt.UTC)
DPI = 50
# Anti-aliasing may differ by a shade; a moved line or a missing glyph differs by far
# more than this share of clearly different pixels.
MAX_CHANGED_SHARE = 0.002


def _objection_decision(departments: World) -> Document:
    subject = SubjectFactory.create(name="示例科技有限公司", code="91350100M000100Y43")
    record = CreditRecordFactory.create(
        subject=subject,
        source_department=departments.source,
        decision_number="示市监罚〔2026〕13号",
    )
    case = CaseFactory.create(
        case_type=Case.Type.OBJECTION,
        number="YY-2026-000017",
        subject=subject,
        target_record=record,
        status=Case.Status.SUBMITTED,
        submitted_at=SUBMITTED,
        grounds=Case.Grounds.RECORD_WRONG,
    )
    with time_machine.travel(ISSUED, tick=False):
        document = issue_document(
            Document.Kind.OBJECTION_DECISION,
            case,
            department=departments.office,
            payload={
                "outcome": "correct",
                "findings": "该行政处罚信息中罚款金额录入有误，应为5000元",
                "appeal_until": "2026-05-25T23:59:59+08:00",
            },
        )
    Document.objects.filter(pk=document.pk).update(verification_code="GOLDENPAGEAAAAAA")
    return document


def _page_one(pdf: Path, folder: Path) -> Image.Image:
    stem = folder / "page"
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", "1", "-l", "1", pdf, stem],
        check=True,
    )
    (image,) = folder.glob("page-*.png")
    return Image.open(image).convert("L")


def test_page_one_of_an_objection_decision_matches_the_golden_image(
    departments: World, tmp_path: Path
) -> None:
    document = document_render(document_id=_objection_decision(departments).pk)
    assert document.path is not None
    page = _page_one(document.path, tmp_path)

    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        page.save(GOLDEN, optimize=True)
    golden = Image.open(GOLDEN).convert("L")

    assert page.size == golden.size
    difference = ImageChops.difference(page, golden).point(
        lambda value: 255 if value > 64 else 0
    )
    changed = ImageStat.Stat(difference).mean[0] / 255
    assert changed <= MAX_CHANGED_SHARE, f"{changed:.2%} of page 1 changed"
