"""The task form: shown from the task's JSON Schema, completed, or kept as a draft."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from webapp.inbox.claims import conflict_message, refusal_message, task_label
from webapp.inbox.forms import PersonForm
from webapp.inbox.http import InboxRequest
from webapp.inbox.schema_form import TaskDataForm, problems_from
from webapp.inbox.workspace import TaskWorkspace
from workflows.credit.services.attachments import attachment_attach_staged
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError
from workflows.models import HumanTask
from workflows.selectors.tasks import task_get
from workflows.services.tasks import task_complete, task_draft_save, task_resolve

Submit = Callable[[HumanTask, dict[str, Any]], object]


def render_task(
    request: InboxRequest,
    workspace: TaskWorkspace,
    form: TaskDataForm,
    *,
    alert: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render the task page: the form, the case beside it, what the user may do."""
    context = {
        "task": workspace.task,
        "ws": workspace,
        "form": form,
        "alert": alert,
        "person_form": PersonForm(people=workspace.colleagues),
        "label": task_label(workspace.task),
    }
    return render(request, "inbox/task.html", context, status=status)


def _submit(
    request: InboxRequest,
    task_id: uuid.UUID,
    submit: Submit,
    *,
    done: str,
    back_to_task: bool = False,
    attach: bool = False,
) -> HttpResponse:
    """Post the task form through a service; keep the input and explain any refusal."""
    workspace = TaskWorkspace.load(request.user, task_get(request.user, task_id))
    form = workspace.form(request.POST)
    if not form.is_valid():
        return render_task(request, workspace, form, status=400)
    try:
        submit(workspace.task, form.process_data())
    except InvalidInputError as exc:
        form.add_problems(problems_from(exc.problems) or {"form": str(exc)})
        return render_task(request, workspace, form, status=400)
    except ConflictError as exc:
        alert = conflict_message(task_id, request.user, str(exc))
        return render_task(request, workspace, form, alert=alert, status=409)
    except ForbiddenError as exc:
        return render_task(
            request, workspace, form, alert=refusal_message(exc), status=403
        )
    messages.success(request, done)
    if attach:
        _attach_uploads(request, workspace)
    if back_to_task:
        return redirect("inbox:task", task_id=task_id)
    return redirect("inbox:list")


def _attach_uploads(request: InboxRequest, workspace: TaskWorkspace) -> None:
    """Attach the files uploaded with the form (staged by files:upload) to the case."""
    ids = request.POST.getlist("attachments")
    case = workspace.summary.case
    if not ids or case is None:
        return
    try:
        attached = attachment_attach_staged(actor=request.user, case=case, ids=ids)
    except (InvalidInputError, ConflictError, ForbiddenError) as exc:
        messages.warning(request, refusal_message(exc))
    else:
        messages.info(
            request,
            ngettext(
                "%(n)s file attached to the case.",
                "%(n)s files attached to the case.",
                len(attached),
            )
            % {"n": len(attached)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def task_page(request: InboxRequest, task_id: uuid.UUID) -> HttpResponse:
    """Show a task's form beside its case (GET), or complete the task (POST)."""
    if request.method == "POST":

        def complete(task: HumanTask, data: dict[str, Any]) -> object:
            return task_complete(actor=request.user, task_id=task.pk, data=data)

        return _submit(
            request, task_id, complete, done=_("Task completed."), attach=True
        )
    workspace = TaskWorkspace.load(request.user, task_get(request.user, task_id))
    return render_task(request, workspace, workspace.form())


@login_required
@require_POST
def task_draft(request: InboxRequest, task_id: uuid.UUID) -> HttpResponse:
    """Keep the form's input as the task's draft."""

    def save(task: HumanTask, data: dict[str, Any]) -> object:
        return task_draft_save(actor=request.user, task_id=task.pk, data=data)

    return _submit(request, task_id, save, done=_("Draft saved."), back_to_task=True)


@login_required
@require_POST
def task_give_back(request: InboxRequest, task_id: uuid.UUID) -> HttpResponse:
    """Resolve a delegated task: give it back to its owner with the input as draft."""

    def resolve(task: HumanTask, data: dict[str, Any]) -> object:
        return task_resolve(actor=request.user, task_id=task.pk, data=data)

    return _submit(request, task_id, resolve, done=_("Task given back to its owner."))
