"""The working-day calendar's overrides: list, add (or replace), remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from webapp.cases.http import AuthedRequest, query_without_page
from webapp.console.forms import CalendarFilterForm, CalendarOverrideForm
from webapp.console.queries import calendar_overrides
from workflows.errors import ForbiddenError, InvalidInputError, NotFoundError
from workflows.workdays.services import calendar_override_remove, calendar_override_set

PAGE_SIZE = 50
EDIT_PERMISSION = "workdays.change_calendaroverride"


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: AuthedRequest) -> HttpResponse:
    """List overrides by date; add one (replacing that day's earlier one)."""
    filters = CalendarFilterForm(request.GET)
    year = filters.cleaned_data.get("year") if filters.is_valid() else None
    overrides = calendar_overrides(request.user, year)
    form = CalendarOverrideForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar_override_set(
                actor=request.user,
                day=data["day"],
                kind=data["kind"],
                name=data["name"],
                jurisdiction=data["jurisdiction"].strip(),
            )
        except InvalidInputError as exc:
            form.add_error(None, str(exc).splitlines()[0])
        else:
            messages.success(
                request, _("%(day)s is saved in the calendar.") % {"day": data["day"]}
            )
            return redirect(request.get_full_path())
    context = {
        "filters": filters,
        "form": form,
        "page_obj": Paginator(overrides, PAGE_SIZE).get_page(request.GET.get("page")),
        "query_without_page": query_without_page(request),
        "can_edit": request.user.has_perm(EDIT_PERMISSION),
    }
    return render(
        request, "console/calendar.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def calendar_remove(request: AuthedRequest) -> HttpResponse:
    """Delete one day's override, so the package or weekday rule decides it again."""
    if not request.user.has_perm(EDIT_PERMISSION):  # who may, before which day
        raise ForbiddenError(_("Only process administrators edit the calendar."))
    day = parse_date(request.POST.get("day", "") or "")
    if day is None:
        raise NotFoundError("no such calendar override")
    calendar_override_remove(
        actor=request.user,
        day=day,
        jurisdiction=request.POST.get("jurisdiction", "").strip(),
    )
    messages.success(request, _("The override on %(day)s is removed.") % {"day": day})
    return redirect("console:calendar")
