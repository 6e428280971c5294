"""The workspace's pages: event search, a case's timeline, the public key."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from audit.keys import public_key_pem
from audit.selectors import audit_event_search, case_timeline
from webapp.auditing.access import require_auditor, workspace
from webapp.auditing.forms import AuditSearchForm, query_without_page, search_arguments
from webapp.auditing.present import timeline_items

PAGE_SIZE = 25


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the audit trail: one query for the page, one for the count."""
    require_auditor(request.user)
    form = AuditSearchForm(request.GET or None)
    filters = form.filters()
    events = audit_event_search(**search_arguments(request.user, filters))
    # Newest first on screen; exports keep chain order.
    newest_first = events.order_by("-seq")
    page_obj = Paginator(newest_first, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "query_without_page": query_without_page(request),
        "filtered": bool(filters),
        "export_formats": [
            ("csv", _("Export as CSV")),
            ("pdf", _("Export as PDF report")),
        ],
    }
    return workspace(request, "auditing/search.html", context)


@login_required
@require_GET
def case(request: HttpRequest, number: str) -> HttpResponse:
    """Show every event of a case in chain order, with what each one changed."""
    require_auditor(request.user)
    items = timeline_items(case_timeline(number.strip().upper()))
    context = {"number": number.strip().upper(), "items": items}
    return workspace(request, "auditing/case.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def public_key(request: HttpRequest) -> HttpResponse:
    """Publish the digest-signing public key (PEM), for checks outside the system."""
    return HttpResponse(public_key_pem(), content_type="text/plain; charset=us-ascii")
