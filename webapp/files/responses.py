"""Answers of the files area: file downloads, and JSON or htmx for uploads."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from workflows.credit.models import Attachment
from workflows.errors import NotFoundError

logger = logging.getLogger(__name__)


def open_stored(path: Path, what: str, pk: int) -> BinaryIO:
    """Open a stored file, or answer "not found" (and log it) if it is missing."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        # Ids only: the file name may be personal (a name on an ID card scan).
        logger.error("The stored file of %s %s is missing", what, pk)
        raise NotFoundError("文件已不存在 / the file is missing") from None


def download(handle: BinaryIO, *, name: str, content_type: str) -> FileResponse:
    """Send a stored file as a download that browsers never render or sniff.

    Django writes ``filename*=utf-8''…`` (RFC 5987) for names that are not ASCII.
    """
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser ever show it inline anyway: no scripts, no requests, no forms.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def wants_json(request: HttpRequest) -> bool:
    """Tell whether the client asked for JSON rather than HTML."""
    return not getattr(request, "htmx", False) and (
        "application/json" in request.headers.get("Accept", "")
        or not request.headers.get("Accept", "").startswith("text/html")
    )


def staged(request: HttpRequest, attachment: Attachment) -> HttpResponse:
    """Describe a staged upload: JSON for scripts, a list item for htmx."""
    if not wants_json(request):
        return render(request, "files/_staged.html", {"attachment": attachment})
    return JsonResponse(
        {
            "id": attachment.pk,
            "name": attachment.original_name,
            "size": attachment.size,
            "kind": attachment.kind,
            "content_type": attachment.content_type,
        },
        status=201,
    )


def upload_refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """Say why an upload was refused, in the form the client understands."""
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(
        request,
        "errors/_message.html",
        {"status": status, "message": message, "problems": []},
        status=status,
    )
