"""Filing an objection or a credit repair request, each exactly once."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from webapp.portal.forms import ObjectionForm, RepairForm
from webapp.portal.once import form_token_issue
from webapp.portal.present import commitment_text, in_reader_language, record_row
from webapp.portal.views.auth import portal_user
from webapp.portal.views.common import (
    already_filed,
    file_once,
    paginate,
    staged_files,
)
from webapp.ratelimits import rate_limited
from workflows.credit.eligibility import repair_precheck
from workflows.credit.filing import case_file
from workflows.credit.models import CreditRecord
from workflows.credit.models.records import CreditRecordQuerySet
from workflows.credit.policies import RepairRules
from workflows.credit.selectors.portal import portal_record_get, portal_record_list
from workflows.errors import NotFoundError

# Filings (POSTs) per user; a person files a handful a day, a script thousands.
FILING_RATE = "30/h"


def _wanted_record(request: HttpRequest) -> int | None:
    raw = request.POST.get("record") or request.GET.get("record") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFoundError("no such credit record")
    return int(raw)


@login_required
@rate_limited(key="user", rate=FILING_RATE)
def objection_new(request: HttpRequest) -> HttpResponse:
    """File an objection to one of my published records."""
    user = portal_user(request)
    records = portal_record_list(user).filter(status__in=CreditRecord.VISIBLE_STATUSES)
    if request.method == "POST":
        form = ObjectionForm(request.POST, records=records)
        if form.is_valid():
            data = form.service_data()
            done = file_once(
                request,
                form,
                lambda: case_file(actor=user, kind="objection", data=data),
            )
            if done is not None:
                return done
    else:
        wanted = request.GET.get("record", "")
        initial = {"token": form_token_issue(request)}
        if wanted.isdigit():
            initial["record"] = wanted
        form = ObjectionForm(initial=initial, records=records)
    context = {
        "form": form,
        "has_records": records.exists(),
        "staged_files": staged_files(request, user),
    }
    return render(request, "portal/objection_new.html", context)


def _repair_choice(request: HttpRequest, records: CreditRecordQuerySet) -> HttpResponse:
    context = paginate(request, records)
    context["rows"] = [record_row(r) for r in context["page_obj"]]
    return render(request, "portal/repair_choose.html", context)


def _repair_form(
    request: HttpRequest,
    records: CreditRecordQuerySet,
    record: CreditRecord,
    rules: RepairRules,
) -> RepairForm:
    if request.method == "POST":
        data, initial = request.POST, None
    else:
        data, initial = None, {"token": form_token_issue(request), "record": record.pk}
    return RepairForm(
        data,
        initial=initial,
        records=records,
        commitment_required=rules.requires_commitment,
        commitment_text=commitment_text(record),
    )


@login_required
@rate_limited(key="user", rate=FILING_RATE)
def repair_new(request: HttpRequest) -> HttpResponse:
    """Check a record's repair eligibility, then file a repair request for it."""
    user = portal_user(request)
    records = (
        portal_record_list(user)
        .filter(status__in=CreditRecord.VISIBLE_STATUSES)
        .exclude(category=CreditRecord.Category.ADMINISTRATIVE_LICENCE)
    )
    repeated = already_filed(request)
    if repeated is not None:
        return repeated
    record_id = _wanted_record(request)
    if record_id is None:
        return _repair_choice(request, records)
    record = portal_record_get(user, record_id)
    eligibility = repair_precheck(record)
    context = {
        "record": record,
        "row": record_row(record),
        "eligibility": eligibility,
        "reasons": [in_reader_language(r) for r in eligibility.reasons],
    }
    if not eligibility.eligible or eligibility.rules is None:
        return render(request, "portal/repair_ineligible.html", context)
    form = _repair_form(request, records, record, eligibility.rules)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        done = file_once(
            request, form, lambda: case_file(actor=user, kind="repair", data=data)
        )
        if done is not None:
            return done
    context.update(
        form=form, rules=eligibility.rules, staged_files=staged_files(request, user)
    )
    return render(request, "portal/repair_new.html", context)
