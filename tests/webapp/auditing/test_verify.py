"""'Verify now' queues a chain verification, shows its progress and records it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from audit import jobs
from audit.models import AuditVerification
from audit.tasks import verify_chain
from tests.audit.support import tamper

URL = reverse("auditing:verify")


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Run queued verifications at once, as a worker would, and note each one."""
    queued: list[tuple[Any, ...]] = []

    def delay(*args: Any, **kwargs: Any) -> None:
        queued.append(args)
        verify_chain.apply(args=args, kwargs=kwargs, throw=True)

    monkeypatch.setattr(verify_chain, "delay", delay)
    return queued


def _job_id(response: Any) -> str:
    match = re.search(r"/audit/verify/([0-9a-f]{32})/", response["Location"])
    assert match is not None
    return match.group(1)


@pytest.mark.django_db
def test_verify_now_records_who_asked_and_the_result(
    auditor_client: Client,
    auditor: User,
    trail: dict[str, Any],
    worker: list[tuple[Any, ...]],
) -> None:
    response = auditor_client.post(URL, REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 303
    status = auditor_client.get(response["Location"])
    job = status.context["job"]
    assert (job.state, job.requested_by, job.percent) == ("done", "auditor_wang", 100)
    verification = AuditVerification.objects.get()
    assert verification.actor == auditor
    assert (verification.ok, verification.via, verification.ip) == (
        True,
        "worker",
        "198.51.100.4",
    )
    assert verification.covers_whole_chain
    assert status.context["chain"].latest_verification == verification


@pytest.mark.django_db
def test_a_range_can_be_verified_alone(
    auditor_client: Client, trail: dict[str, Any], worker: list[tuple[Any, ...]]
) -> None:
    auditor_client.post(URL, {"from_seq": trail["status"], "to_seq": trail["task"]})

    verification = AuditVerification.objects.get()
    assert (verification.from_seq, verification.to_seq) == (
        trail["status"],
        trail["task"],
    )
    assert verification.checked == 2


@pytest.mark.django_db
def test_a_reversed_range_is_refused_beside_the_field(
    auditor_client: Client, worker: list[tuple[Any, ...]]
) -> None:
    response = auditor_client.post(URL, {"from_seq": 5, "to_seq": 2})

    assert response.status_code == 400
    assert response.context["verify_form"].errors["to_seq"]
    assert worker == []


@pytest.mark.django_db
def test_with_htmx_the_form_is_replaced_by_a_polling_progress_block(
    auditor_client: Client, trail: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_chain, "delay", lambda *a, **k: None)

    response = auditor_client.post(URL, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'hx-trigger="every 1s"' in html
    assert "<progress" in html
    job = response.context["job"]
    assert (job.state, job.total) == ("queued", trail["task"])
    poll = auditor_client.get(
        reverse("auditing:verify_status", args=[job.job_id]), HTTP_HX_REQUEST="true"
    )
    assert "<progress" in poll.content.decode()


@pytest.mark.django_db
def test_progress_is_reported_while_the_worker_checks(
    auditor: User, trail: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("audit.verification.PROGRESS_EVERY", 1)
    monkeypatch.setattr(verify_chain, "delay", lambda *a, **k: None)
    job = jobs.verification_job_start(actor=auditor)
    seen: list[int] = []
    save = jobs._save

    def spy(state: jobs.JobState) -> jobs.JobState:
        seen.append(state.checked)
        return save(state)

    monkeypatch.setattr(jobs, "_save", spy)

    done = jobs.verification_job_run(job.job_id, auditor.pk, None, None)

    assert seen[1:-1] == list(range(1, trail["task"] + 1))
    assert (done.state, done.checked) == ("done", trail["task"])


@pytest.mark.django_db
def test_when_the_queue_is_unreachable_the_page_says_so_at_once(
    auditor_client: Client, trail: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("broker down")

    monkeypatch.setattr(verify_chain, "delay", broken)

    response = auditor_client.post(URL, follow=True)

    assert response.context["job"].state == "failed"
    assert "<progress" not in response.content.decode()
    assert not AuditVerification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_broken_chain_is_reported_with_its_first_broken_link(
    auditor_client: Client, trail: dict[str, Any], worker: list[tuple[Any, ...]]
) -> None:
    tamper(
        "UPDATE audit_auditevent SET case_number = %s WHERE seq = %s",
        ["XF-2026-000099", trail["status"]],
    )

    response = auditor_client.post(URL, follow=True)

    verification = response.context["verification"]
    assert (verification.ok, verification.broken_seq) == (False, trail["status"])
    assert 'class="badge badge-danger"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_job_is_not_found(auditor_client: Client) -> None:
    response = auditor_client.get(reverse("auditing:verify_status", args=["0" * 32]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_only_auditors_may_start_a_verification(
    client: Client, reviewer: User, worker: list[tuple[Any, ...]]
) -> None:
    client.force_login(reviewer)

    assert client.post(URL).status_code == 403
    assert worker == []
