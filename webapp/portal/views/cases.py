"""My cases: the list, one case, and what I can do on it (supplement, appeal)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext

from webapp.portal.forms import AppealForm, SupplementForm
from webapp.portal.present import (
    case_context,
    case_rows,
    in_reader_language,
    is_party,
    supplement_context,
)
from webapp.portal.views.auth import portal_user
from webapp.portal.views.common import paginate, staged_files
from webapp.portal.views.filing import FILING_RATE
from webapp.ratelimits import rate_limited
from workflows.credit.filing import case_act
from workflows.credit.models import Case
from workflows.credit.selectors.portal import (
    appeal_window,
    portal_case_get,
    portal_case_list,
)
from workflows.errors import ConflictError, RuntimeServiceError


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """List my cases, newest first, with each one's next deadline."""
    context = paginate(request, portal_case_list(portal_user(request)))
    context.update(rows=case_rows(context["page_obj"]), section="cases")
    return render(request, "portal/cases.html", context)


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Show one of my cases: stage, deadlines, documents, files and timeline."""
    user = portal_user(request)
    case = portal_case_get(user, number)
    context = {**case_context(user, case), "section": "cases"}
    return render(request, "portal/case_detail.html", context)


def _back_to_case(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.info(request, message)
    return redirect("portal:case_detail", number=case.number)


@login_required
@rate_limited(key="user", rate=FILING_RATE)
def case_supplement(request: HttpRequest, number: str) -> HttpResponse:
    """Send the materials a supplement request asked for."""
    user = portal_user(request)
    case = portal_case_get(user, number)
    if case.status != Case.Status.SUPPLEMENT_REQUESTED or not is_party(user, case):
        return _back_to_case(
            request, case, pgettext("portal", "This case is not waiting for materials.")
        )
    form = SupplementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {
            "note": form.cleaned_data["note"],
            "attachments": form.cleaned_data["attachments"],
        }
        try:
            case_act(actor=user, name="supplement", number=case.number, data=data)
        except ConflictError:
            return _back_to_case(
                request, case, pgettext("portal", "These materials were already sent.")
            )
        except RuntimeServiceError as error:
            form.add_error(None, in_reader_language(str(error).splitlines()[0]))
        else:
            messages.success(
                request,
                pgettext("portal", "Sent. The credit office checks your case again."),
            )
            return redirect("portal:case_detail", number=case.number)
    context = {
        **supplement_context(case),
        "form": form,
        "staged_files": staged_files(request, user),
        "section": "cases",
    }
    return render(request, "portal/case_supplement.html", context)


@login_required
@rate_limited(key="user", rate=FILING_RATE)
def case_appeal(request: HttpRequest, number: str) -> HttpResponse:
    """Appeal a decided objection once (复核), while the window is open."""
    user = portal_user(request)
    case = portal_case_get(user, number)
    window = appeal_window(case) if is_party(user, case) else None
    if window is None:
        return _back_to_case(
            request, case, pgettext("portal", "This decision cannot be appealed now.")
        )
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {"reason": form.cleaned_data["reason"]}
        try:
            appeal = case_act(actor=user, name="appeal", number=case.number, data=data)
        except RuntimeServiceError as error:
            form.add_error(None, in_reader_language(str(error).splitlines()[0]))
        else:
            messages.success(
                request,
                pgettext("portal", "Appeal filed. Your appeal number is %(number)s.")
                % {"number": appeal.number},
            )
            return redirect("portal:case_detail", number=appeal.number)
    context = {"case": case, "window": window, "form": form, "section": "cases"}
    return render(request, "portal/case_appeal.html", context)
