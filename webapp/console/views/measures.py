"""The joint-punishment measures catalogue: list, add, edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from webapp.cases.http import AuthedRequest, query_without_page
from webapp.console.forms import MeasureForm
from webapp.console.queries import measure_catalogue, measure_get
from workflows.credit.models import Measure
from workflows.credit.services.measures import (
    can_edit_catalogue,
    measure_create,
    measure_update,
)
from workflows.errors import ForbiddenError, InvalidInputError

PAGE_SIZE = 25


@login_required
@require_GET
def measures(request: AuthedRequest) -> HttpResponse:
    """List the measures catalogue."""
    catalogue = measure_catalogue(request.user)
    context = {
        "page_obj": Paginator(catalogue, PAGE_SIZE).get_page(request.GET.get("page")),
        "query_without_page": query_without_page(request),
        "can_edit": can_edit_catalogue(request.user),
    }
    return render(request, "console/measures.html", context)


def _require_editor(request: AuthedRequest) -> None:
    if not can_edit_catalogue(request.user):
        raise ForbiddenError("not allowed to edit the measures catalogue")


def _initial(measure: Measure) -> dict[str, Any]:
    return {
        "code": measure.code,
        "name": measure.name,
        "kind": measure.kind,
        "implementing_department": measure.implementing_department,
        "list_types": sorted(measure.list_type_set),
        "legal_basis": measure.legal_basis,
        "active": measure.active,
    }


def _problems_to_form(form: MeasureForm, exc: InvalidInputError) -> None:
    for problem in exc.problems or [str(exc)]:
        form.add_error(None, problem)


@login_required
@require_http_methods(["GET", "POST"])
def measure_add(request: AuthedRequest) -> HttpResponse:
    """Add a measure to the catalogue."""
    _require_editor(request)
    form = MeasureForm(
        request.POST if request.method == "POST" else None, initial={"active": True}
    )
    if form.is_valid():
        try:
            measure = measure_create(actor=request.user, **form.cleaned_data)
        except InvalidInputError as exc:
            _problems_to_form(form, exc)
        else:
            messages.success(
                request, _("Measure %(code)s is added.") % {"code": measure.code}
            )
            return redirect("console:measures")
    status = 400 if form.is_bound else 200
    return render(request, "console/measure_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a measure of the catalogue (its code stays)."""
    _require_editor(request)
    measure = measure_get(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = MeasureForm(data, initial=_initial(measure), editing=True)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            measure_update(actor=request.user, measure_id=measure.pk, **fields)
        except InvalidInputError as exc:
            _problems_to_form(form, exc)
        else:
            messages.success(
                request, _("Measure %(code)s is saved.") % {"code": measure.code}
            )
            return redirect("console:measures")
    context = {"form": form, "measure": measure}
    status = 400 if form.is_bound else 200
    return render(request, "console/measure_form.html", context, status=status)
