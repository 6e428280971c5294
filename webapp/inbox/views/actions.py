"""Who holds a task: claim, unclaim, delegate, reassign (from the task page)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from webapp.inbox.claims import conflict_message, refusal_message
from webapp.inbox.forms import PersonForm
from webapp.inbox.http import InboxRequest
from webapp.inbox.workspace import TaskWorkspace
from workflows.access.actions import task_action_refusal
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError
from workflows.models import HumanTask
from workflows.selectors.tasks import task_get
from workflows.services.tasks import (
    task_claim,
    task_delegate,
    task_reassign,
    task_unclaim,
)


def _act(
    request: InboxRequest,
    task_id: uuid.UUID,
    action: Callable[[], object],
    *,
    done: str,
    to_inbox: bool = False,
) -> HttpResponse:
    """Run one service call; say what happened, or why not, back on the task page.

    Callers first refuse a role that may never do this (403, by
    ``_require_role_allows``); what is left is about this task as it is now
    (someone else holds it, it is closed), which a user acting in good faith on a
    page that went stale meets, so it is said on the task page.
    """
    try:
        action()
    except ConflictError as exc:
        messages.warning(request, conflict_message(task_id, request.user, str(exc)))
    except (ForbiddenError, InvalidInputError) as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, done)
        if to_inbox:
            return redirect("inbox:list")
    return redirect("inbox:task", task_id=task_id)


def _visible_task(request: InboxRequest, task_id: uuid.UUID, action: str) -> HumanTask:
    """Return the task if the user may see it (else 404) and their role may ever do
    ``action`` (else 403)."""
    task = task_get(request.user, task_id)
    refusal = task_action_refusal(request.user, action)
    if refusal is not None:
        raise ForbiddenError(refusal)
    return task


@login_required
@require_POST
def task_take(request: InboxRequest, task_id: uuid.UUID) -> HttpResponse:
    """Claim the task from its group queue."""
    task = _visible_task(request, task_id, "claim")
    return _act(
        request,
        task.pk,
        lambda: task_claim(actor=request.user, task_id=task.pk),
        done=_("You claimed this task."),
    )


@login_required
@require_POST
def task_release(request: InboxRequest, task_id: uuid.UUID) -> HttpResponse:
    """Put the task back into its group queue."""
    task = _visible_task(request, task_id, "unclaim")
    return _act(
        request,
        task.pk,
        lambda: task_unclaim(actor=request.user, task_id=task.pk),
        done=_("The task is back in the group queue."),
        to_inbox=True,
    )


def _to_colleague(
    request: InboxRequest,
    task_id: uuid.UUID,
    service: Callable[..., object],
    done: str,
    *,
    action: str,
) -> HttpResponse:
    task = _visible_task(request, task_id, action)
    workspace = TaskWorkspace.load(request.user, task)
    form = PersonForm(request.POST, people=workspace.colleagues)
    if not form.is_valid():
        messages.error(request, _("Choose a colleague from the list."))
        return redirect("inbox:task", task_id=task_id)
    to_user = form.cleaned_data["to_user"]
    return _act(
        request,
        task_id,
        lambda: service(actor=request.user, task_id=task_id, to_user=to_user),
        done=done % {"user": to_user},
        to_inbox=True,
    )


@login_required
@require_POST
def task_hand_over(request: InboxRequest, task_id: uuid.UUID) -> HttpResponse:
    """Delegate the task to a colleague of its group, who gives it back."""
    return _to_colleague(
        request, task_id, task_delegate, _("Delegated to %(user)s."), action="delegate"
    )


@login_required
@require_POST
def task_assign(request: InboxRequest, task_id: uuid.UUID) -> HttpResponse:
    """Give the task to a colleague (section chiefs; the service checks)."""
    return _to_colleague(
        request, task_id, task_reassign, _("Reassigned to %(user)s."), action="reassign"
    )
