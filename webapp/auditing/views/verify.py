"""'Verify now': queue a chain verification and follow its progress.

A worker runs it (audit.jobs) because a million events take seconds to tens of
seconds; the page polls the job with htmx every second, or refreshes itself
without JavaScript. The outcome is recorded like every check: who, when, result.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.jobs import job_get, verification_job_start
from webapp.auditing.access import require_auditor, workspace
from webapp.auditing.forms import VerifyForm
from workflows.errors import NotFoundError

POLL_SECONDS = 1


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Queue a verification of the chain (or of a range of it)."""
    user = require_auditor(request.user)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request, "auditing/_verify_form.html", {"verify_form": form}, status=400
            )
        return workspace(
            request, "auditing/verify_job.html", {"verify_form": form}, status=400
        )
    job = verification_job_start(
        actor=user,
        from_seq=form.cleaned_data["from_seq"],
        to_seq=form.cleaned_data["to_seq"],
    )
    if job.state == "failed":
        messages.error(
            request,
            _("The verification could not be queued. Try again in a moment."),
        )
    if request.htmx:  # type: ignore[attr-defined]
        context = _job_context(job.job_id, _return_url(request))
        return render(request, "auditing/_verify_job.html", context)
    url = reverse("auditing:verify_status", args=[job.job_id])
    return HttpResponseRedirect(url, status=303)


def _return_url(request: HttpRequest) -> str:
    """The page the verify button was on (htmx tells), else the search page."""
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return current
    return reverse("auditing:search")


def _job_context(job_id: str, return_url: str) -> dict[str, object]:
    job = job_get(job_id)
    if job is None:
        raise NotFoundError(_("No such verification job (they are kept for a day)."))
    return {
        "job": job,
        "verification": job.verification() if job.finished else None,
        "poll_seconds": POLL_SECONDS,
        "return_url": return_url,
    }


@login_required
@require_GET
def verify_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """Show how far a queued verification got, and its result when done."""
    require_auditor(request.user)
    context = _job_context(job_id, _return_url(request))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "auditing/_verify_job.html", context)
    return workspace(request, "auditing/verify_job.html", context)
