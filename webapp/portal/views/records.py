"""My credit records: the list, and one record with what I can do about it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from webapp.portal import labels
from webapp.portal.present import record_row
from webapp.portal.views.auth import portal_user
from webapp.portal.views.common import paginate
from workflows.credit.eligibility import Eligibility, repair_precheck
from workflows.credit.models import CreditRecord
from workflows.credit.selectors.portal import (
    portal_record_get,
    portal_record_list,
    record_open_cases,
)
from workflows.errors import RuntimeServiceError


@login_required
def records(request: HttpRequest) -> HttpResponse:
    """List the credit records of the subjects I act for."""
    context = paginate(request, portal_record_list(portal_user(request)))
    context.update(rows=[record_row(r) for r in context["page_obj"]], section="records")
    return render(request, "portal/records.html", context)


def precheck_or_none(record: CreditRecord) -> Eligibility | None:
    """Run the repair pre-check, or None when the policies cannot answer now."""
    if record.category == CreditRecord.Category.ADMINISTRATIVE_LICENCE:
        return None
    try:
        return repair_precheck(record)
    except RuntimeServiceError:
        return None


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one record: grade, dates, status, repair eligibility and open cases."""
    record = portal_record_get(portal_user(request), pk)
    open_cases = list(record_open_cases(record))
    context = {
        "row": record_row(record),
        "record": record,
        "section": "records",
        "eligibility": precheck_or_none(record),
        "open_cases": open_cases,
        "can_object": record.is_visible
        and not any(c.case_type == "objection" for c in open_cases),
        "facts": [
            (labels.label(labels.RECORD_FACT, str(key)), value)
            for key, value in sorted((record.content or {}).items())
        ],
    }
    return render(request, "portal/record_detail.html", context)
