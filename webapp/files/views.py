"""Upload files ahead of a filing, download case files, reveal full ID numbers."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from webapp.files import responses
from webapp.files.forms import UploadForm
from webapp.ratelimits import rate_limited
from workflows.credit.models.documents import MAX_ATTACHMENT_SIZE
from workflows.credit.selectors.files import attachment_get, document_get
from workflows.credit.services.attachments import attachment_discard, attachment_stage
from workflows.credit.services.downloads import attachment_download, document_download
from workflows.credit.services.identifiers import (
    subject_for_reveal,
    subject_identifier_reveal,
)
from workflows.errors import ConflictError, InvalidInputError

DOCUMENT_RETRY_SECONDS = 30


@login_required
@require_POST
@rate_limited(key="user", rate="RATELIMIT_UPLOAD", group="files.upload")
def upload(request: HttpRequest) -> HttpResponse:
    """Stage one uploaded file for a filing; answer its id, name and size."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return responses.upload_refused(request, " ".join(problems), 400)
    file = form.cleaned_data["file"]
    if file.size > MAX_ATTACHMENT_SIZE:
        message = _("The file is larger than 20 MB.")
        return responses.upload_refused(request, message, 413)
    try:
        attachment = attachment_stage(
            actor=cast(User, request.user),
            kind=form.cleaned_data["kind"],
            name=file.name or "",
            content=file.read(),
            content_type=file.content_type or "",
        )
    except InvalidInputError as error:
        return responses.upload_refused(request, str(error), 400)
    except ConflictError as error:
        return responses.upload_refused(request, str(error), 409)
    return responses.staged(request, attachment)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of your own uploads that no filing has attached yet."""
    attachment_discard(actor=cast(User, request.user), attachment_id=pk)
    return HttpResponse(status=204)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Download an attachment the user may see (audited)."""
    user = cast(User, request.user)
    item = attachment_get(user, pk)
    handle = responses.open_stored(item.path, "attachment", item.pk)
    attachment_download(actor=user, attachment=item)
    return responses.download(
        handle, name=item.original_name, content_type=item.content_type
    )


@login_required
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download a document's PDF (audited), or say it is still being prepared."""
    user = cast(User, request.user)
    item = document_get(user, pk)
    if item.path is None:
        response = render(
            request, "files/document_pending.html", {"document": item}, status=202
        )
        response["Retry-After"] = str(DOCUMENT_RETRY_SECONDS)
        return response
    handle = responses.open_stored(item.path, "document", item.pk)
    document_download(actor=user, document=item)
    name = f"{item.number or item.kind}.pdf"
    return responses.download(handle, name=name, content_type="application/pdf")


@login_required
@require_POST
@rate_limited(key="user", rate="60/h", group="files.reveal_identifier")
def reveal_identifier(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a subject's full ID number to staff allowed to see it (audited)."""
    user = cast(User, request.user)
    subject = subject_for_reveal(user, pk)
    code = subject_identifier_reveal(actor=user, subject=subject)
    partial = bool(getattr(request, "htmx", False))
    template = "files/_identifier.html" if partial else "files/identifier.html"
    return render(request, template, {"subject": subject, "code": code})
