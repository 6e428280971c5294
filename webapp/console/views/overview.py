"""The console's start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from webapp.cases.http import AuthedRequest
from webapp.console.queries import console_overview


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """Show how many processes are deployed, instances running, incidents open."""
    overview = console_overview(request.user)
    return render(request, "console/home.html", {"overview": overview})
