"""Uploads are accepted by what their bytes are (PDF, JPEG, PNG, OFD), never by name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from workflows.credit.models import Attachment
from workflows.credit.services.attachments import attachment_stage
from workflows.credit.services.file_types import is_ofd, sniff_media_type
from workflows.errors import InvalidInputError

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
OFD_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1" DocType="OFD">'
    b"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>"
    b"</ofd:OFD>"
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OFD = _zip({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (OFD, "application/ofd"),
    ],
)
def test_recognises_the_accepted_types_from_their_bytes(content, expected):
    assert sniff_media_type(content) == expected


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(ELF, id="elf-executable"),
        pytest.param(PE, id="windows-executable"),
        pytest.param(HTML, id="html"),
        pytest.param(b"<svg onload='alert(1)'/>", id="svg"),
        pytest.param(b"just some text", id="text"),
        pytest.param(_zip({"a.txt": b"hello"}), id="plain-zip"),
        pytest.param(_zip({"word/document.xml": b"<w/>"}), id="office-zip"),
        pytest.param(b"PK\x03\x04 not really a zip", id="broken-zip"),
    ],
)
def test_refuses_everything_else_with_a_bilingual_message(content):
    with pytest.raises(InvalidInputError) as raised:
        sniff_media_type(content)
    message = str(raised.value)
    assert "不是 PDF、JPEG、PNG 或 OFD" in message
    assert "is not PDF, JPEG, PNG or OFD" in message


def test_an_ofd_needs_its_entry_file_in_the_ofd_namespace():
    assert is_ofd(OFD)
    assert not is_ofd(_zip({"Doc_0/OFD.xml": OFD_XML}))  # not at the root
    assert not is_ofd(_zip({"OFD.xml": b"<OFD/>"}))  # no namespace
    assert not is_ofd(_zip({"OFD.xml": b"<ofd:Other xmlns:ofd='http://x'/>"}))


def test_an_ofd_entry_file_with_a_dtd_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        + OFD_XML.split(b"\n", 1)[1]
    )
    assert not is_ofd(_zip({"OFD.xml": bomb}))


def test_an_oversized_ofd_entry_file_is_refused_without_reading_it_all():
    huge = OFD_XML + b" " * (300 * 1024)
    assert not is_ofd(_zip({"OFD.xml": huge}))


@pytest.mark.django_db
class TestStaging:
    @pytest.fixture(autouse=True)
    def media_root(self, settings, tmp_path: Path) -> Path:
        settings.MEDIA_ROOT = tmp_path / "media"
        return tmp_path / "media"

    @pytest.fixture
    def uploader(self, django_user_model):
        return django_user_model.objects.create_user("uploader-li")

    @pytest.mark.parametrize(
        ("content", "name"),
        [(ELF, "发票.pdf"), (PE, "scan.pdf"), (HTML, "证据.pdf"), (HTML, "x.png")],
    )
    def test_a_disguised_file_is_refused_and_nothing_is_stored(
        self, uploader, media_root, content, name
    ):
        with pytest.raises(InvalidInputError, match="OFD"):
            attachment_stage(
                actor=uploader,
                kind="evidence",
                name=name,
                content=content,
                content_type="application/pdf",
            )
        assert not Attachment.objects.exists()
        assert not any(path.is_file() for path in media_root.rglob("*"))

    def test_the_stored_type_is_the_sniffed_one_and_the_name_gets_a_fitting_suffix(
        self, uploader
    ):
        attachment = attachment_stage(
            actor=uploader,
            kind="evidence",
            name="现场照片.pdf",
            content=PNG,
            content_type="application/pdf",
        )
        assert attachment.content_type == "image/png"
        assert attachment.original_name == "现场照片.pdf.png"

    def test_a_fitting_suffix_is_kept_whatever_its_case(self, uploader):
        attachment = attachment_stage(
            actor=uploader,
            kind="evidence",
            name="IMG_1.JPEG",
            content=JPEG,
            content_type="",
        )
        assert attachment.original_name == "IMG_1.JPEG"

    def test_an_ofd_document_is_accepted(self, uploader):
        attachment = attachment_stage(
            actor=uploader,
            kind="proof",
            name="完税证明.ofd",
            content=OFD,
            content_type="application/octet-stream",
        )
        assert attachment.content_type == "application/ofd"
