"""GET /healthz: database, broker, worker and beat health as JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from webapp.celery import app as celery_app
from webapp.health import broker_check
from webapp.models import Heartbeat

pytestmark = pytest.mark.django_db


def _beat(name: str, seconds_ago: float) -> None:
    Heartbeat.objects.create(
        name=name, beat_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_answers_503_without_heartbeats(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"]["status"] == "ok"
    assert body["broker"]["status"] == "ok"
    assert body["worker"] == {
        "status": "unhealthy",
        "heartbeat_age_seconds": None,
        "max_age_seconds": 60,
        "workers_alive": 0,
    }
    assert body["beat"] == {
        "status": "unhealthy",
        "heartbeat_age_seconds": None,
        "max_age_seconds": 60,
    }


def test_answers_200_with_fresh_heartbeats(client: Client) -> None:
    _beat("worker:celery@host-a", seconds_ago=3)
    _beat(Heartbeat.BEAT, seconds_ago=4)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert set(body) == {"status", "database", "broker", "worker", "beat"}
    assert body["status"] == "ok"
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["broker"]["transport"] in {"filesystem", "redis"}
    assert body["worker"]["status"] == "ok"
    assert 3 <= body["worker"]["heartbeat_age_seconds"] < 10
    assert body["worker"]["workers_alive"] == 1
    assert body["beat"]["status"] == "ok"
    assert 4 <= body["beat"]["heartbeat_age_seconds"] < 10


def test_judges_the_newest_worker_heartbeat(client: Client) -> None:
    _beat("worker:celery@gone", seconds_ago=3600)
    _beat("worker:celery@alive", seconds_ago=2)
    _beat(Heartbeat.BEAT, seconds_ago=2)

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["worker"]["workers_alive"] == 1
    assert body["worker"]["heartbeat_age_seconds"] < 10


def test_stale_heartbeats_answer_503(client: Client, settings) -> None:
    settings.HEARTBEAT_MAX_AGE_SECONDS = 30
    _beat("worker:celery@host-a", seconds_ago=31)
    _beat(Heartbeat.BEAT, seconds_ago=2)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["worker"]["status"] == "unhealthy"
    assert body["worker"]["max_age_seconds"] == 30
    assert body["beat"]["status"] == "ok"


def test_names_no_host_or_process(client: Client) -> None:
    _beat("worker:celery@secret-host", seconds_ago=1)

    assert b"secret-host" not in client.get("/healthz").content


def test_refuses_post(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_filesystem_broker_missing_folder_is_unhealthy(
    settings, monkeypatch, tmp_path
) -> None:
    settings.CELERY_BROKER_IS_FILESYSTEM = True
    options = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "control_folder": str(tmp_path / "control"),
    }
    (tmp_path / "queue").mkdir()
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", options)

    check = broker_check()

    assert check == {
        "status": "unhealthy",
        "transport": "filesystem",
        "error": "folder missing or not writable: control_folder",
    }
    (tmp_path / "control").mkdir()
    assert broker_check() == {"status": "ok", "transport": "filesystem"}


def test_unreachable_broker_server_is_unhealthy(settings, monkeypatch) -> None:
    settings.CELERY_BROKER_IS_FILESYSTEM = False
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    monkeypatch.setitem(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")

    check = broker_check()

    assert check["status"] == "unhealthy"
    assert check["transport"] == "redis"
    assert check["error"] == "OperationalError"
