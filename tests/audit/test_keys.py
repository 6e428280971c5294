"""audit.keys: where the digest signing key comes from, and its public half."""

from __future__ import annotations

import base64
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit import keys
from tests.audit.conftest import private_key_pem


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def test_development_generates_one_private_key_file_readable_only_by_its_owner(
    var_dir: Path,
) -> None:
    first = keys.signing_key()
    second = keys.signing_key()

    path = var_dir / "audit-signing-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _raw(first) == _raw(second)
    assert [p.name for p in var_dir.iterdir()] == ["audit-signing-key"]


def test_production_without_a_key_refuses_to_sign(var_dir: Path, settings: Any) -> None:
    settings.PRODUCTION = True

    with pytest.raises(keys.SigningKeyError, match="must be set in production"):
        keys.signing_key()
    assert not (var_dir / "audit-signing-key").exists()


@pytest.mark.parametrize("encoding", ["pem", "base64-raw", "base64-der"])
def test_the_key_is_read_from_the_environment_in_each_accepted_form(
    var_dir: Path, monkeypatch: pytest.MonkeyPatch, settings: Any, encoding: str
) -> None:
    key = Ed25519PrivateKey.generate()
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    text = {
        "pem": private_key_pem(key),
        "base64-raw": base64.b64encode(_raw(key)).decode(),
        "base64-der": base64.b64encode(der).decode(),
    }[encoding]
    settings.PRODUCTION = True
    monkeypatch.setenv("AUDIT_SIGNING_KEY", text)

    assert _raw(keys.signing_key()) == _raw(key)


def test_a_malformed_key_is_refused_without_echoing_it(settings: Any) -> None:
    settings.AUDIT_SIGNING_KEY = "bm90LWEta2V5LXNlY3JldC12YWx1ZQ=="

    with pytest.raises(keys.SigningKeyError) as info:
        keys.signing_key()
    assert "bm90" not in str(info.value)


def test_a_key_of_another_algorithm_is_refused(settings: Any) -> None:
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    settings.AUDIT_SIGNING_KEY = other.decode()

    with pytest.raises(keys.SigningKeyError, match="Ed25519"):
        keys.signing_key()


def test_the_published_public_key_checks_what_the_private_key_signs(
    signing_key: Ed25519PrivateKey,
) -> None:
    pem = keys.public_key_pem()
    published = keys.load_public_key_pem(pem.encode())

    signature = keys.sign(b"head")
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert keys.signature_valid(b"head", signature, published)
    assert not keys.signature_valid(b"other", signature, published)
    assert not keys.signature_valid(b"head", "not base64!", published)
    assert keys.key_id(published) == keys.key_id(signing_key.public_key())
