"""Incidents and instances: retry what failed; suspend, resume or terminate."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from webapp.cases.http import AuthedRequest, query_without_page
from webapp.console.forms import ReasonForm
from webapp.console.queries import incidents_for, instance_page
from workflows.errors import ConflictError, StepFailedError
from workflows.models import Incident, ProcessInstance
from workflows.policies import require_permission
from workflows.services.incidents import incident_retry
from workflows.services.instances import (
    instance_resume,
    instance_suspend,
    instance_terminate,
)

PAGE_SIZE = 25
INCIDENT_FILTERS = {
    "open": Incident.Status.OPEN,
    "resolved": Incident.Status.RESOLVED,
    "all": "",
}
ChangeStatus = Callable[..., ProcessInstance]
# action -> (service, page title, message after it worked)
INSTANCE_ACTIONS: dict[str, tuple[ChangeStatus, Promise, Promise]] = {
    "suspend": (
        instance_suspend,
        gettext_lazy("Suspend the instance"),
        gettext_lazy("The instance is suspended."),
    ),
    "resume": (
        instance_resume,
        gettext_lazy("Resume the instance"),
        gettext_lazy("The instance runs again."),
    ),
    "terminate": (
        instance_terminate,
        gettext_lazy("Terminate the instance"),
        gettext_lazy("The instance is terminated; its open tasks are cancelled."),
    ),
}


@login_required
@require_GET
def incidents(request: AuthedRequest) -> HttpResponse:
    """List incidents (open ones unless asked otherwise), newest first."""
    shown = request.GET.get("status", "open")
    if shown not in INCIDENT_FILTERS:
        shown = "open"
    found = incidents_for(request.user, INCIDENT_FILTERS[shown])
    page_obj = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "query_without_page": query_without_page(request),
        "shown": shown,
        "can_retry": request.user.has_perm("workflows.retry_incident"),
    }
    return render(request, "console/incidents.html", context)


@login_required
@require_POST
def incident_retry_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Run an incident's failed operation again."""
    try:
        incident_retry(actor=request.user, incident_id=pk)
    except (ConflictError, StepFailedError) as exc:
        messages.error(
            request,
            _("The retry did not succeed: %(reason)s")
            % {"reason": str(exc).splitlines()[0]},
        )
    else:
        messages.success(request, _("Incident %(id)s is resolved.") % {"id": pk})
    return redirect("console:incidents")


@login_required
@require_GET
def instance(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    """Show an instance: status, open tasks, waits, incidents, recent history."""
    page = instance_page(request.user, pk)
    context = {
        "page": page,
        "can_manage": request.user.has_perm("workflows.manage_instance"),
    }
    return render(request, "console/instance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instance_action(request: AuthedRequest, pk: uuid.UUID, action: str) -> HttpResponse:
    """Ask for a reason and confirmation, then suspend, resume or terminate."""
    if action not in INSTANCE_ACTIONS:
        raise Http404
    service, title, done = INSTANCE_ACTIONS[action]
    require_permission(request.user, "workflows.manage_instance", "manage instances")
    page = instance_page(request.user, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            service(
                actor=request.user, instance_id=pk, reason=form.cleaned_data["reason"]
            )
        except ConflictError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, str(done))
        return redirect("console:instance", pk=pk)
    context = {"page": page, "form": form, "action": action, "title": title}
    status = 400 if form.is_bound else 200
    return render(request, "console/instance_action.html", context, status=status)
