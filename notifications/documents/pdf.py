"""Lay a document out as HTML and print it to PDF with WeasyPrint.

WeasyPrint (and the Pango it loads) is imported only when a PDF is made, so the
web process and commands that never render do not need it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import segno
from django.template import Context, Engine

from notifications.documents.context import document_context, inline_svg
from workflows.credit.models import Document
from workflows.credit.verification import verification_url

TEMPLATE_DIR: Final = Path(__file__).resolve().parent / "templates"
STYLESHEET: Final = TEMPLATE_DIR / "documents" / "document.css"
# PDF/A-2b: fonts embedded, no external content; meant for archives.
PDF_VARIANT: Final = "pdf/a-2b"

# Its own engine: the templates are not the web app's and need no request context.
ENGINE: Final = Engine(
    dirs=[str(TEMPLATE_DIR)],
    autoescape=True,
    builtins=["notifications.documents.templatetags"],
)


def template_name(kind: str) -> str:
    """Return the template of a document kind: ``documents/kinds/<kind>.html``."""
    if kind not in Document.Kind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    return f"documents/kinds/{kind}.html"


def qr_svg(url: str) -> str:
    """Return an inline SVG QR code (error correction M, 4-module quiet zone)."""
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return code.svg_inline(omitsize=True, border=4, dark="#000", svgclass="qr-code")


def document_html(document: Document) -> str:
    """Render a document's HTML from its template and context."""
    qr = inline_svg(qr_svg(verification_url(document.verification_code)))
    context = document_context(document, qr_svg=qr)
    return ENGINE.get_template(template_name(document.kind)).render(
        Context(context, autoescape=True)
    )


def document_pdf(document: Document) -> bytes:
    """Print a document to PDF bytes."""
    import weasyprint  # type: ignore[import-untyped]

    html = document_html(document)
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("file",))
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    pdf: bytes = weasyprint.HTML(
        string=html, base_url=str(TEMPLATE_DIR), url_fetcher=fetcher
    ).write_pdf(
        stylesheets=[stylesheet],
        pdf_variant=PDF_VARIANT,
        pdf_identifier=document.verification_code.encode("ascii"),
    )
    return pdf
