"""Tell what an uploaded file is from its bytes, never from its name.

Accepted: PDF, JPEG and PNG (recognised by ``filetype`` from their signatures) and
OFD (GB/T 33190, China's fixed-layout format). An OFD file is a ZIP container, and
a ZIP signature alone says nothing (a .docx or a .jar has it too), so OFD is
accepted only when the archive's root holds an ``OFD.xml`` entry whose root element
is ``OFD`` in the OFD namespace. Everything else (executables, HTML, SVG, office
files, archives) is refused, whatever its name says.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
import zlib
from typing import Final

import filetype

from workflows.errors import InvalidInputError

PDF: Final = "application/pdf"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
OFD: Final = "application/ofd"

# media type -> the name suffixes that fit it (the first is added when none fits)
SUFFIXES: Final[dict[str, tuple[str, ...]]] = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    OFD: (".ofd",),
}
ACCEPTED_TEXT: Final = "PDF, JPEG, PNG, OFD"
REFUSED: Final = (
    "文件内容不是 PDF、JPEG、PNG 或 OFD，不能上传（只看内容，不看文件名）"
    " / the file's content is not PDF, JPEG, PNG or OFD, so it cannot be uploaded"
    " (its content counts, not its name)"
)

_NAME_MAX: Final = 255
_ZIP_SIGNATURE: Final = b"PK\x03\x04"
_OFD_ENTRY: Final = "OFD.xml"
_OFD_ENTRY_MAX: Final = 256 * 1024
_OFD_NAMESPACE: Final = "http://www.ofdspec.org/2016"
_OFD_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?OFD[\s>/]")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    RuntimeError,  # encrypted entry
    NotImplementedError,  # unknown compression method
    EOFError,
    OSError,
    ValueError,
    zlib.error,
)


def sniff_media_type(content: bytes) -> str:
    """Return the media type the bytes are, or raise InvalidInputError if refused."""
    if content.startswith(_ZIP_SIGNATURE):
        if is_ofd(content):
            return OFD
        raise InvalidInputError(REFUSED, ["file"])
    kind = filetype.guess(content)
    if kind is None or kind.mime not in SUFFIXES:
        raise InvalidInputError(REFUSED, ["file"])
    return str(kind.mime)


def is_ofd(content: bytes) -> bool:
    """Tell whether a ZIP container is an OFD document (its OFD.xml checks out)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entry = archive.getinfo(_OFD_ENTRY)
            if entry.file_size > _OFD_ENTRY_MAX:
                return False
            with archive.open(entry) as handle:
                head = handle.read(_OFD_ENTRY_MAX + 1)
    except _ZIP_ERRORS:
        return False
    text = head.decode("utf-8", errors="replace")
    # No DTDs: an OFD entry file never needs one, and entities are how XML bombs work.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        return False
    root = _OFD_ROOT.search(text)
    return root is not None and _OFD_NAMESPACE in text[root.start() :]


def name_for_type(name: str, media_type: str) -> str:
    """Return the name with a suffix that fits the media type (added if missing)."""
    suffixes = SUFFIXES[media_type]
    if os.path.splitext(name)[1].lower() in suffixes:
        return name
    return name + suffixes[0]


def clean_file_name(name: str) -> str:
    """Keep the last path component, without control characters, at most 255."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        char for char in unicodedata.normalize("NFC", base) if char.isprintable()
    ).strip()
    if cleaned in ("", ".", ".."):
        raise InvalidInputError(f"invalid file name {name!r}", ["file"])
    if len(cleaned) > _NAME_MAX:
        stem, suffix = os.path.splitext(cleaned)
        if len(suffix) > 16:
            stem, suffix = cleaned, ""
        cleaned = stem[: _NAME_MAX - len(suffix)] + suffix
    return cleaned
