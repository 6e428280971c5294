"""The published serious-dishonesty and red lists, searchable by name or code."""

from __future__ import annotations

from typing import Final

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from webapp.ratelimits import rate_limited
from workflows.credit.models import ListEntry
from workflows.credit.selectors.public import (
    normalise_query,
    public_entry,
    public_list_entries,
)

PER_PAGE: Final = 25
# A light brake on scraping: list pages and searches per client address and minute.
PUBLIC_RATE: Final = "60/m"
LISTS: Final = {
    "serious-dishonesty": (
        ListEntry.ListType.SERIOUS_DISHONESTY,
        gettext_lazy("Serious-dishonesty list"),
        gettext_lazy(
            "Subjects listed for serious dishonesty by a decision of a department, "
            "within the validity period of the listing."
        ),
    ),
    "red": (
        ListEntry.ListType.RED,
        gettext_lazy("Red list"),
        gettext_lazy(
            "Subjects confirmed as trustworthy, and nominations in their public "
            "notice period, during which anyone may object."
        ),
    ),
}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Show the public lists and what each one is."""
    lists = [
        {"slug": slug, "title": title, "text": text}
        for slug, (_type, title, text) in LISTS.items()
    ]
    return render(request, "public/index.html", {"lists": lists})


@require_GET
@rate_limited(key="ip", rate=PUBLIC_RATE, group="public-lists", methods=("GET",))
def list_entries(request: HttpRequest, list_slug: str) -> HttpResponse:
    """Show one published list, searched by name or code, 25 entries a page."""
    if list_slug not in LISTS:
        raise Http404
    list_type, title, text = LISTS[list_slug]
    query = normalise_query(request.GET.get("q", ""))
    paginator = Paginator(public_list_entries(list_type, query), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {
        "list_slug": list_slug,
        "title": title,
        "text": text,
        "query": query,
        "page_obj": page_obj,
        "entries": [public_entry(entry) for entry in page_obj.object_list],
        "query_without_page": _query_without_page(request),
    }
    partial = bool(getattr(request, "htmx", False))
    template = "public/_results.html" if partial else "public/list.html"
    return render(request, template, context)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
