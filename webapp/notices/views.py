"""A person's notifications: read them, mark them read, and the header's badge."""

from __future__ import annotations

from typing import Final

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications.models import NotificationQuerySet
from notifications.selectors import notification_list_for_user, unread_count
from notifications.services import notification_mark_all_read, notification_mark_read
from webapp.notices.links import case_link
from workflows.errors import NotFoundError

PER_PAGE: Final = 25
# htmx stops polling when it gets this status (the session ended: no more badge).
STOP_POLLING: Final = 286


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required ran
    return request.user


def _unread_first(notifications: NotificationQuerySet) -> NotificationQuerySet:
    read_later = Case(
        When(read_at__isnull=True, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return notifications.order_by(read_later, "-created_at", "-pk")


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """List the user's notifications, unread first, 25 a page."""
    user = _user(request)
    unread_only = request.GET.get("show") == "unread"
    notifications = _unread_first(notification_list_for_user(user, unread_only))
    page_obj = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(n, case_link(request, n.case_number)) for n in page_obj.object_list]
    context = {
        "page_obj": page_obj,
        "rows": rows,
        "unread_only": unread_only,
        "query_without_page": "show=unread" if unread_only else "",
    }
    return render(request, "notices/list.html", context)


@require_POST
@login_required
def read_one(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read."""
    user = _user(request)
    notification_mark_read(actor=user, ids=[pk])
    if not _is_htmx(request):
        return redirect(request.POST.get("next") or "notices:list")
    found = notification_list_for_user(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError(_("This notification no longer exists."))
    context = {
        "notification": found,
        "link": case_link(request, found.case_number),
        "count": unread_count(user),
        "oob": True,
    }
    return render(request, "notices/_row.html", context)


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark all of the user's notifications read."""
    changed = notification_mark_all_read(actor=_user(request))
    messages.success(
        request,
        _("Marked %(count)d notifications as read.") % {"count": changed}
        if changed
        else _("There were no unread notifications."),
    )
    return redirect("notices:list")


@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """Return the header's unread badge (polled by htmx while the person is active)."""
    if not request.user.is_authenticated:
        if _is_htmx(request):
            return HttpResponse(status=STOP_POLLING)
        return redirect_to_login(request.get_full_path())
    context = {"count": unread_count(request.user), "badge_url": request.path}
    return render(request, "components/notice_badge.html", context)
