"""The public page that tells whether an official document is authentic and current."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from workflows.credit.verification import document_verification_get


@never_cache
@require_GET
def verify_document(request: HttpRequest, code: str) -> HttpResponse:
    """Show a document's public facts by its verification code; 404 if unknown."""
    verification = document_verification_get(code)
    if verification is None:
        response = render(request, "verify/not_found.html", status=404)
    else:
        response = render(request, "verify/document.html", {"v": verification})
    # The code in the address is the key to the page: keep it out of referrers
    # and search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
