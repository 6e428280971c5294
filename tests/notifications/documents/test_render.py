"""Every kind of document renders to a real PDF with its number, title and QR code."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from notifications.documents.pdf import document_html, document_pdf
from notifications.documents.services import (
    DocumentAlreadyRenderedError,
    document_render,
)
from tests.notifications.documents.support import (
    PERSON_ID,
    PERSON_NAME,
    World,
    have,
    issued_today,
    pdf_fonts,
    pdf_text,
    sample_document,
)
from workflows.credit.models import Document
from workflows.credit.verification import verification_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not have("pdftotext"), reason="needs poppler-utils"),
]

TITLES: dict[str, str] = {
    Document.Kind.ACCEPTANCE: "受理通知书",
    Document.Kind.NON_ACCEPTANCE: "不予受理通知书",
    Document.Kind.SUPPLEMENT_REQUEST: "补正材料通知书",
    Document.Kind.OBJECTION_DECISION: "异议处理决定书",
    Document.Kind.REPAIR_DECISION: "信用修复决定书",
    Document.Kind.PRIOR_NOTICE: "拟列入严重失信主体名单事先告知书",
    Document.Kind.LISTING_DECISION: "列入严重失信主体名单决定书",
    Document.Kind.EXIT_DECISION: "移出严重失信主体名单决定书",
    Document.Kind.REPAIR_NOTICE: "信用修复告知书",
    Document.Kind.MEASURES_NOTICE: "联合惩戒措施告知书",
}
# What each kind must say besides number, title, department and date.
SAYS: dict[str, list[str]] = {
    Document.Kind.ACCEPTANCE: ["决定予以受理", "2026年5月20日前", "暂停"],
    Document.Kind.NON_ACCEPTANCE: ["不予受理", "尚未缴清罚款", "重新申请"],
    Document.Kind.SUPPLEMENT_REQUEST: ["营业执照复印件", "2026年5月20日前"],
    Document.Kind.OBJECTION_DECISION: ["异议成立", "应为5000元", "复核"],
    Document.Kind.REPAIR_DECISION: ["准予信用修复", "信用中国网站"],
    Document.Kind.PRIOR_NOTICE: ["陈述、申辩", "2026年5月20日前", "催告书送达回证"],
    Document.Kind.LISTING_DECISION: ["2027年5月6日", "限制参与政府采购活动"],
    Document.Kind.EXIT_DECISION: ["信用修复", "移出严重失信主体名单"],
    Document.Kind.REPAIR_NOTICE: ["2026年8月7日", "信用承诺书"],
    Document.Kind.MEASURES_NOTICE: ["示例市税务局", "反馈", "限制参与政府采购"],
}
REMEDY_KINDS = {
    Document.Kind.NON_ACCEPTANCE,
    Document.Kind.OBJECTION_DECISION,
    Document.Kind.REPAIR_DECISION,
    Document.Kind.LISTING_DECISION,
    Document.Kind.EXIT_DECISION,
}


def _flat(text: str) -> str:
    """Join the lines pdftotext breaks, so phrases can be searched whole."""
    return "".join(text.split())


@pytest.mark.parametrize("kind", Document.Kind.values)
def test_each_kind_renders_a_pdf_with_number_title_and_facts(
    kind: str, departments: World
) -> None:
    document = document_render(document_id=sample_document(kind, departments).pk)

    assert document.path is not None
    content = document.path.read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(content) > 5 * 1024
    assert hashlib.sha256(content).hexdigest() == document.sha256
    text = _flat(pdf_text(document.path))
    assert document.number is not None
    assert document.number in text
    assert TITLES[kind] in text
    assert document.issuing_department.name in text
    assert issued_today() in text
    assert document.case.subject.name in text or kind == Document.Kind.MEASURES_NOTICE
    for phrase in SAYS[kind]:
        assert phrase in text, phrase
    if kind in REMEDY_KINDS:
        assert "60日内依法申请行政复议" in text
        assert "6个月内依法向人民法院提起行政诉讼" in text
    assert document.verification_code in text


@pytest.mark.skipif(not have("pdffonts"), reason="needs poppler-utils")
def test_chinese_glyphs_come_from_an_embedded_noto_cjk_font(
    departments: World,
) -> None:
    document = document_render(
        document_id=sample_document(Document.Kind.OBJECTION_DECISION, departments).pk
    )

    assert document.path is not None
    fonts = [
        line.split()
        for line in pdf_fonts(document.path).splitlines()[2:]
        if line.strip()
    ]
    cjk = [row for row in fonts if "CJK" in row[0]]
    assert any("Noto-Serif-CJK-SC" in row[0] for row in cjk)
    # Columns: name, type..., encoding, emb, sub, uni: every font embedded.
    assert all(row[-5] == "yes" for row in fonts), fonts


def test_a_persons_id_number_is_masked_on_the_document(departments: World) -> None:
    document = sample_document(Document.Kind.PRIOR_NOTICE, departments, person=True)
    document = document_render(document_id=document.pk)

    assert document.path is not None
    text = _flat(pdf_text(document.path))
    assert PERSON_NAME in text  # the document is addressed to the person
    assert PERSON_ID not in text
    assert f"{PERSON_ID[:6]}********{PERSON_ID[14:]}" in text


@pytest.mark.skipif(
    not (have("zbarimg") and have("pdftoppm")), reason="needs zbar-tools, poppler"
)
def test_the_qr_code_points_to_the_verification_page(
    departments: World, tmp_path: Path
) -> None:
    document = document_render(
        document_id=sample_document(Document.Kind.ACCEPTANCE, departments).pk
    )
    assert document.path is not None

    pages = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(document.path), str(pages)], check=True
    )
    found = set()
    for image in sorted(tmp_path.glob("page-*.png")):
        scan = subprocess.run(
            ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True
        )
        found.update(scan.stdout.split())

    assert found == {verification_url(document.verification_code)}


def test_rendering_again_refuses_to_change_a_rendered_document(
    departments: World,
) -> None:
    document = document_render(
        document_id=sample_document(Document.Kind.EXIT_DECISION, departments).pk
    )
    assert document.path is not None
    before = document.path.read_bytes()

    with pytest.raises(DocumentAlreadyRenderedError):
        document_render(document_id=document.pk)

    again = Document.objects.get(pk=document.pk)
    assert (again.sha256, again.rendered_at) == (document.sha256, document.rendered_at)
    assert document.path.read_bytes() == before


def test_the_same_document_prints_the_same_bytes(departments: World) -> None:
    document = sample_document(Document.Kind.REPAIR_NOTICE, departments)

    assert document_pdf(document) == document_pdf(document)


def test_the_file_is_named_after_the_number(departments: World) -> None:
    document = document_render(
        document_id=sample_document(Document.Kind.LISTING_DECISION, departments).pk
    )

    year = document.issued_at.year if document.issued_at else 0
    assert document.file_name == f"{year}/SCJ-listing_decision-000001.pdf"


def test_entered_text_is_escaped_and_document_numbers_kept_whole(
    departments: World,
) -> None:
    document = sample_document(Document.Kind.NON_ACCEPTANCE, departments)
    document.payload["reason"] = "<b>材料</b>不符合，见ABC发〔2025〕7号"

    html = document_html(document)

    assert "<b>材料</b>" not in html
    assert "&lt;b&gt;材料&lt;/b&gt;" in html
    assert '见<span class="number">ABC发〔2025〕7号</span>' in html
