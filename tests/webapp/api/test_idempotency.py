"""Idempotency keys: a retried filing never files twice."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from tests.credit.processes.conftest import World
from tests.webapp.api.conftest import ClientFor, error_of, token_client
from webapp.models import IdempotencyRecord
from workflows.credit.models import Case


@pytest.fixture
def body(world: World) -> dict[str, Any]:
    assert world.record is not None
    return {"record": world.record.pk, "grounds": "record_wrong", "reason": "金额错误"}


def _file(client: Any, body: dict[str, Any], key: str) -> Any:
    return client.post(
        "/api/v1/objections/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_retry_with_the_same_key_returns_the_first_answer_and_files_once(
    world: World, client_for: ClientFor, body: dict[str, Any]
) -> None:
    client = client_for(world.rep)  # type: ignore[arg-type]
    first = _file(client, body, "key-1")
    again = _file(client, body, "key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_422(
    world: World, client_for: ClientFor, body: dict[str, Any]
) -> None:
    client = client_for(world.rep)  # type: ignore[arg-type]
    assert _file(client, body, "key-1").status_code == 201
    changed = _file(client, {**body, "reason": "另一个理由"}, "key-1")
    assert changed.status_code == 422
    assert error_of(changed)["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in error_of(changed)["fields"]
    elsewhere = client.post(
        "/api/v1/repairs/",
        {"record": body["record"], "reason": "x", "commitment": "y"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )
    assert elsewhere.status_code == 422


def test_a_failed_filing_stores_nothing_so_the_key_can_be_used_again(
    world: World, client_for: ClientFor, body: dict[str, Any]
) -> None:
    client = client_for(world.rep)  # type: ignore[arg-type]
    refused = _file(client, {**body, "record": 999999}, "key-1")
    assert refused.status_code == 404
    assert not IdempotencyRecord.objects.exists()
    assert _file(client, body, "key-1").status_code == 201


def test_keys_are_per_user_and_expire(
    world: World, client_for: ClientFor, body: dict[str, Any], settings: Any
) -> None:
    client = client_for(world.rep)  # type: ignore[arg-type]
    assert _file(client, body, "key-1").status_code == 201
    stranger = client_for(world["swj_reviewer"])
    assert _file(stranger, body, "key-1").status_code == 404  # not their record
    IdempotencyRecord.objects.update(
        created_at=timezone.now()
        - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1)
    )
    # An expired key files again: here the open objection refuses a second one.
    assert _file(client, body, "key-1").status_code == 409


def test_a_key_must_be_short_ascii(
    world: World, client_for: ClientFor, body: dict[str, Any]
) -> None:
    client = client_for(world.rep)  # type: ignore[arg-type]
    response = _file(client, body, "k" * 300)
    assert response.status_code == 400
    assert "Idempotency-Key" in error_of(response)["fields"]
    assert not Case.objects.exists()


@pytest.mark.postgres
# serialized_rollback: the role groups the migrations create survive earlier flushes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_with_one_key_at_the_same_moment_file_once(
    world: World, body: dict[str, Any]
) -> None:
    assert world.rep is not None
    clients = [token_client(world.rep) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers: list[Any] = []

    def send(client: Any) -> None:
        try:
            barrier.wait()
            answers.append(_file(client, body, "same-moment"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert len({a.json()["number"] for a in answers}) == 1
    assert Case.objects.count() == 1
