"""The digest-signing public key is published at a public address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from audit.keys import public_key_pem

pytestmark = pytest.mark.django_db
URL = reverse("auditing:public_key")


def test_anyone_may_fetch_the_public_key_as_plain_pem(
    settings: Any, tmp_path: Any
) -> None:
    settings.VAR_DIR = tmp_path

    response = Client().get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode("ascii")
    assert body == public_key_pem()
    assert body.startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in body


def test_the_public_key_takes_no_posts(db: None) -> None:
    assert Client().post(URL).status_code == 405
