"""The staff case list and case page (subjects use the portal's case page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from webapp.cases.detail import case_documents as documents_of
from webapp.cases.detail import case_page, filter_cases, require_staff
from webapp.cases.forms import CaseSearchForm
from webapp.cases.http import AuthedRequest, query_without_page
from workflows.credit.selectors.cases import case_get, case_list_for_user
from workflows.errors import NotFoundError
from workflows.selectors.diagram import definition_diagram_xml, diagram_instance

PAGE_SIZE = 25


@login_required
@require_GET
def case_list(request: AuthedRequest) -> HttpResponse:
    """Search the cases the user may see."""
    require_staff(request.user)
    form = CaseSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = filter_cases(case_list_for_user(request.user), **filters)
    page_obj = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "query_without_page": query_without_page(request),
        "filtered": any(filters.values()),
    }
    return render(request, "cases/list.html", context)


@login_required
@require_GET
def case_detail(request: AuthedRequest, number: str) -> HttpResponse:
    """Show a case: facts, timeline, tasks, deadlines, files and its diagram."""
    require_staff(request.user)
    case = case_get(request.user, number)
    page = case_page(request.user, case)
    return render(request, "cases/detail.html", {"case": page.case, "page": page})


@login_required
@require_GET
def case_documents(request: AuthedRequest, number: str) -> HttpResponse:
    """Return the documents block again (htmx polls it while one is prepared)."""
    require_staff(request.user)
    case = case_get(request.user, number)
    documents = documents_of(request.user, case)
    context = {
        "case": case,
        "documents": documents,
        "documents_pending": any(d.is_being_prepared for d in documents),
    }
    return render(request, "cases/_documents.html", context)


@login_required
@require_GET
def case_diagram_xml(request: AuthedRequest, number: str) -> HttpResponse:
    """Return the BPMN XML of the process version the case runs on."""
    require_staff(request.user)
    case = case_get(request.user, number)
    if case.process_instance_id is None:
        raise NotFoundError(f"case {number} has no process")
    instance = diagram_instance(case.process_instance_id)
    response = HttpResponse(
        definition_diagram_xml(instance.definition),
        content_type="application/xml; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
