"""The PDF report of an audit-trail export, for the auditors' workspace.

It states what was exported and what it proves: the sequence range, the hash of
the range's last event, the result of verifying the range when the report was
made, the chain head, the last recorded verification and the last signed digest,
then lists the events. :func:`audit.exports.report_context` gathers those facts;
this module only lays them out (only ``notifications/`` imports WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.template import Context

from notifications.documents.pdf import ENGINE, TEMPLATE_DIR

TEMPLATE: Final = "documents/audit_report.html"
STYLESHEET: Final = TEMPLATE_DIR / "documents" / "audit_report.css"
# A PDF is read by people: beyond this many events, export CSV or narrow the search.
MAX_ROWS: Final = 2000


def audit_report_html(context: Mapping[str, Any]) -> str:
    """Render the report's HTML from :func:`audit.exports.report_context` and extras."""
    values = {
        **context,
        "events": list(context["events"].iterator(chunk_size=MAX_ROWS)),
    }
    return ENGINE.get_template(TEMPLATE).render(Context(values, autoescape=True))


def audit_report_pdf(context: Mapping[str, Any]) -> bytes:
    """Print the report to PDF bytes (PDF/A-2b, fonts embedded)."""
    import weasyprint  # type: ignore[import-untyped]

    html = audit_report_html(context)
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("file",))
    stylesheet = weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    generated: dt.datetime = context["generated_at"]
    pdf: bytes = weasyprint.HTML(
        string=html, base_url=str(TEMPLATE_DIR), url_fetcher=fetcher
    ).write_pdf(
        stylesheets=[stylesheet],
        pdf_variant="pdf/a-2b",
        pdf_identifier=f"audit-{generated:%Y%m%dT%H%M%S%f}".encode("ascii"),
    )
    return pdf


def report_file_name(context: Mapping[str, Any]) -> str:
    """Return the download name: the range and the time the report was made."""
    generated: dt.datetime = context["generated_at"]
    first, last = context["first_seq"] or 0, context["last_seq"] or 0
    return f"audit-report-{first}-{last}-{generated:%Y%m%d%H%M%S}.pdf"
