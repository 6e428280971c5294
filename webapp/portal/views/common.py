"""What several portal views share: pagination and the one-time filing flow."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import pgettext

from webapp.portal.forms import FilingForm
from webapp.portal.once import (
    form_token_claim,
    form_token_done,
    form_token_filed,
    form_token_issue,
    form_token_known,
    form_token_release,
)
from workflows.credit.models import Attachment, Case
from workflows.credit.selectors.portal import staged_uploads
from workflows.errors import RuntimeServiceError

PER_PAGE = 25


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int = PER_PAGE
) -> dict[str, Any]:
    """Return the page the request asks for and the query string without its page."""
    page_obj = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page_obj, "query_without_page": query.urlencode()}


def already_filed(request: HttpRequest) -> HttpResponse | None:
    """Answer a repeated submit of a form that filed a case: show that case."""
    if request.method != "POST":
        return None
    number = form_token_filed(request, request.POST.get("token", ""))
    if not number:
        return None
    messages.info(request, pgettext("portal", "Already filed: this is your case."))
    return redirect("portal:case_detail", number=number)


def file_once(
    request: HttpRequest, form: FilingForm, filing: Callable[[], Case]
) -> HttpResponse | None:
    """File the case of a valid form once; on a repeat, show the case filed first.

    Returns the redirect to the case, or None when the form now carries errors.
    """
    token = form.cleaned_data["token"]
    if not form_token_known(request, token):
        data = request.POST.copy()
        data["token"] = form_token_issue(request)
        form.data = data
        form.add_error(
            None,
            pgettext(
                "portal", "This form has expired. Please check it and send it again."
            ),
        )
        return None
    claim = form_token_claim(request, token)
    if claim.case_number:
        messages.info(request, pgettext("portal", "Already filed: this is your case."))
        return redirect("portal:case_detail", number=claim.case_number)
    if claim.in_progress:
        messages.info(
            request,
            pgettext(
                "portal",
                "Your form is being filed. It will appear in your cases in a moment.",
            ),
        )
        return redirect("portal:cases")
    try:
        case = filing()
    except RuntimeServiceError as error:
        form_token_release(request, token)
        form.add_service_error(error)
        return None
    except BaseException:
        form_token_release(request, token)
        raise
    form_token_done(request, token, case.number)
    messages.success(
        request,
        pgettext("portal", "Filed. Your case number is %(number)s.")
        % {"number": case.number},
    )
    return redirect("portal:case_detail", number=case.number)


def staged_files(request: HttpRequest, user: User) -> list[Attachment]:
    """Return the uploads a re-shown form carries, so they are not lost."""
    if request.method != "POST":
        return []
    ids = [int(v) for v in request.POST.getlist("attachments") if v.isdigit()]
    return staged_uploads(user, ids)
