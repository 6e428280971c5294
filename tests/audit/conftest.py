"""Fixtures for the audit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth import get_user_model

from audit.context import bind
from tests.credit.processes.conftest import frozen, world

# The credit world, for test_service_coverage.py's scenarios.
__all__ = ["frozen", "world"]


@pytest.fixture(autouse=True)
def _audit_context() -> Iterator[None]:
    with bind(via="test", request_id="test-request", ip="192.0.2.10"):
        yield


@pytest.fixture
def user(db: None) -> Any:
    return get_user_model().objects.create_user(username="reviewer-li")


def private_key_pem(key: Ed25519PrivateKey) -> str:
    """Encode a private key as the PEM text AUDIT_SIGNING_KEY accepts."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point VAR_DIR at a fresh folder, with no signing key configured anywhere."""
    monkeypatch.delenv("AUDIT_SIGNING_KEY", raising=False)
    settings.AUDIT_SIGNING_KEY = None
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def signing_key(settings: Any, var_dir: Path) -> Ed25519PrivateKey:
    """Configure a fresh Ed25519 signing key, as AUDIT_SIGNING_KEY would."""
    key = Ed25519PrivateKey.generate()
    settings.AUDIT_SIGNING_KEY = private_key_pem(key)
    return key
