"""Exports of a search result: CSV (streamed) and a PDF report. Each is audited.

Both are POSTs: an export writes an ``audit.export`` event, so a link or an
image on another site must not be able to trigger one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.exports import csv_chunks, export_begin, report_context
from audit.keys import key_id, public_key
from audit.selectors import audit_event_search
from notifications.documents.audit_report import (
    MAX_ROWS,
    audit_report_pdf,
    report_file_name,
)
from webapp.auditing.access import require_auditor
from webapp.auditing.forms import AuditSearchForm, search_arguments
from workflows.errors import InvalidInputError


def _valid_form(request: HttpRequest) -> AuditSearchForm:
    form = AuditSearchForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        ]
        raise InvalidInputError(_("The search filters are not valid."), problems)
    return form


def _search_url(filters: dict[str, Any]) -> str:
    query = urlencode({name: str(value) for name, value in filters.items()})
    url = reverse("auditing:search")
    return f"{url}?{query}" if query else url


@login_required
@require_POST
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Stream the events of a search as CSV, after auditing the export."""
    user = require_auditor(request.user)
    filters = _valid_form(request).filters()
    events = audit_event_search(**search_arguments(user, filters))
    pinned = export_begin(events, actor=user, export_format="csv", filters=filters)
    response = StreamingHttpResponse(
        csv_chunks(pinned.events), content_type="text/csv; charset=utf-8"
    )
    name = f"audit-events-{pinned.first_seq or 0}-{pinned.last_seq or 0}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def export_pdf(request: HttpRequest) -> HttpResponse:
    """Print a search's events as a PDF report with the range's verification."""
    user = require_auditor(request.user)
    form = _valid_form(request)
    filters = form.filters()
    events = audit_event_search(**search_arguments(user, filters))
    if events.count() > MAX_ROWS:
        messages.error(
            request,
            _(
                "A PDF report holds at most %(max)s events. Narrow the search or "
                "export it as CSV."
            )
            % {"max": MAX_ROWS},
        )
        return HttpResponseRedirect(_search_url(filters))
    pinned = export_begin(events, actor=user, export_format="pdf", filters=filters)
    key = public_key()
    context = {
        **report_context(pinned.events),
        "generated_at": timezone.now(),
        "generated_by": user.get_username(),
        "filters": form.applied(),
        "key_id": key_id(key),
        # The address printed on paper must be the public one, not this request's.
        "public_key_url": settings.PUBLIC_BASE_URL.rstrip("/")
        + reverse("auditing:public_key"),
    }
    response = HttpResponse(audit_report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report_file_name(context)}"'
    )
    return response
