"""The task inbox: tabs with counts, filters, order, pages, and the bulk claim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from webapp.inbox.claims import claim_each
from webapp.inbox.forms import FILTER_FIELDS, BulkClaimForm, InboxFilterForm
from webapp.inbox.http import RESULTS_ID, InboxRequest, wants_results_fragment
from workflows.credit.models import Case
from workflows.models import HumanTask
from workflows.selectors.inbox import InboxPage, inbox_page

_LEVELS = {"claimed": messages.SUCCESS, "taken": messages.WARNING}


@dataclass(frozen=True)
class InboxRow:
    """A task as the inbox table shows it."""

    task: HumanTask
    state: str
    case_type: str
    done: bool


def _rows(inbox: InboxPage) -> list[InboxRow]:
    types = dict(Case.Type.choices)
    return [
        InboxRow(
            task=task,
            state=inbox.clock.state(task.due_at) if task.is_open else "done",
            case_type=str(types.get(task.case_type, task.case_type)),
            done=not task.is_open,
        )
        for task in inbox.rows
    ]


def _query(form: InboxFilterForm, inbox: InboxPage) -> dict[str, str]:
    """The query strings the page's links need (tabs, order, pages, going back)."""
    kept = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        if value := form.value(name):
            kept[name] = value
    if chosen := form.value("sort"):
        kept["sort"] = chosen
    filters = kept.urlencode()
    kept["tab"] = inbox.tab
    without_page = kept.urlencode()
    kept["sort"] = "due" if inbox.sort == "-due" else "-due"
    toggled = kept.urlencode()
    kept["sort"] = inbox.sort
    kept["page"] = str(inbox.page.number)
    return {
        "filters": filters,
        "without_page": without_page,
        "sort_toggle": toggled,
        "back": kept.urlencode(),
    }


def render_inbox(request: InboxRequest, query: QueryDict) -> HttpResponse:
    """Render the inbox for a query: the whole page, or the results for htmx."""
    form = InboxFilterForm(query)
    inbox = inbox_page(
        request.user,
        tab=form.value("tab") or "mine",
        filters=form.filters(),
        sort=form.value("sort"),
        page=query.get("page") or 1,
    )
    links = _query(form, inbox)
    context: dict[str, Any] = {
        "form": form,
        "inbox": inbox,
        "rows": _rows(inbox),
        "tabs": [{"key": t, "count": inbox.counts[t]} for t in inbox.tabs],
        "links": links,
        "query_without_page": links["without_page"],
        "page_obj": inbox.page,
        "results_id": RESULTS_ID,
    }
    fragment = wants_results_fragment(request)
    template = "inbox/_results.html" if fragment else "inbox/list.html"
    response = render(request, template, {**context, "fragment": fragment})
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def inbox_list(request: InboxRequest) -> HttpResponse:
    """Show one tab of the inbox, filtered, sorted and paged."""
    return render_inbox(request, request.GET)


@login_required
@require_POST
def inbox_bulk_claim(request: InboxRequest) -> HttpResponse:
    """Claim every ticked task, each on its own, and report each one's outcome."""
    form = BulkClaimForm(request.POST)
    if form.is_valid():
        for outcome in claim_each(request.user, form.cleaned_data["task"]):
            level = _LEVELS.get(outcome.result, messages.ERROR)
            messages.add_message(request, level, f"{outcome.label}: {outcome.message}")
    else:
        for error in form.errors.get("task", []):
            messages.error(request, str(error))
    back = QueryDict(str(form.data.get("back", "")))
    if wants_results_fragment(request):
        return render_inbox(request, back)
    return redirect(f"{reverse('inbox:list')}?{back.urlencode()}")
