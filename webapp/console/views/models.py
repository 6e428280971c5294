"""Deploy BPMN/DMN models and look at the deployed versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from webapp.cases.http import AuthedRequest, query_without_page
from webapp.console.forms import DeployForm
from webapp.console.queries import (
    definition_get,
    definitions_with_counts,
    parse_problems,
)
from workflows.errors import InvalidInputError
from workflows.policies import require_permission
from workflows.selectors.diagram import definition_diagram_xml
from workflows.services.deploy import MAX_FILE_BYTES, definition_deploy

PAGE_SIZE = 25
DEPLOY_PERMISSION = "workflows.deploy_definition"


@login_required
@require_http_methods(["GET", "POST"])
def deploy(request: AuthedRequest) -> HttpResponse:
    """Upload model files; show each problem with its file, line and element."""
    require_permission(request.user, DEPLOY_PERMISSION, "deploy models")
    bound = request.method == "POST"
    form = DeployForm(request.POST, request.FILES) if bound else DeployForm()
    context = {"form": form, "max_kib": MAX_FILE_BYTES // 1024}
    if not bound or not form.is_valid():
        return render(
            request, "console/deploy.html", context, status=400 if bound else 200
        )
    try:
        result = definition_deploy(
            actor=request.user,
            files=form.cleaned_data["model_files"],
            create_groups=form.cleaned_data["create_groups"],
        )
    except InvalidInputError as exc:
        context["problems"] = parse_problems(exc.problems or [str(exc)])
        return render(request, "console/deploy.html", context, status=400)
    messages.success(request, _("The models were deployed."))
    return render(request, "console/deploy_result.html", {"result": result})


@login_required
@require_GET
def definitions(request: AuthedRequest) -> HttpResponse:
    """List every deployed version with its active instances."""
    versions = definitions_with_counts(request.user)
    page_obj = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "query_without_page": query_without_page(request)}
    return render(request, "console/definitions.html", context)


@login_required
@require_GET
def definition(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show one version's diagram and facts."""
    version = definition_get(request.user, pk)
    return render(request, "console/definition.html", {"definition": version})


@login_required
@require_GET
def definition_xml(request: AuthedRequest, pk: int) -> HttpResponse:
    """Return a version's BPMN XML, to draw it or (``?download=1``) to save it."""
    version = definition_get(request.user, pk)
    response = HttpResponse(
        definition_diagram_xml(version), content_type="application/xml; charset=utf-8"
    )
    if request.GET.get("download"):
        name = f"{version.process_id}-v{version.version}.bpmn"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
