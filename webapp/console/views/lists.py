"""Search list entries and look at one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from webapp.cases.http import AuthedRequest, query_without_page
from webapp.console.forms import ListEntrySearchForm
from webapp.console.queries import filter_list_entries
from workflows.credit.selectors.lists import list_entry_get, list_entry_list_for_user
from workflows.selectors.instances import require_operator_view

PAGE_SIZE = 25


@login_required
@require_GET
def lists(request: AuthedRequest) -> HttpResponse:
    """Search the list entries the user may see."""
    require_operator_view(request.user)
    form = ListEntrySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = filter_list_entries(list_entry_list_for_user(request.user), **filters)
    context = {
        "form": form,
        "page_obj": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
        "query_without_page": query_without_page(request),
        "filtered": any(filters.values()),
    }
    return render(request, "console/lists.html", context)


@login_required
@require_GET
def list_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show one list entry: subject, basis, validity, its cases and measures."""
    require_operator_view(request.user)
    entry = list_entry_get(request.user, pk)
    return render(request, "console/list_entry.html", {"entry": entry})
