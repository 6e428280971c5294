"""The portal's start page: my subjects, my open cases, what is due next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.selectors import notification_list_for_user
from webapp.portal.views.auth import portal_user
from workflows.credit.selectors.portal import portal_overview

LATEST_NOTICES = 3


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the subjects I act for, my open cases and my next deadline."""
    user = portal_user(request)
    overview = portal_overview(user)
    notices = list(notification_list_for_user(user)[:LATEST_NOTICES])
    context = {"overview": overview, "notices": notices, "section": "home"}
    return render(request, "portal/home.html", context)
