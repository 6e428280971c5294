"""The Ed25519 key that signs audit digests, and its published public half.

The private key comes from ``AUDIT_SIGNING_KEY`` (a Django setting, else the
environment variable of that name): a PEM-encoded PKCS#8 Ed25519 private key, or
base64 of either the 32-byte raw seed or the DER PKCS#8 encoding. In development a
missing key is generated once into ``VAR_DIR/audit-signing-key`` (mode 0600), like
the secret key; in production (``PRODUCTION`` true) a missing key is an error.

The key never leaves this module except as the public half, which anyone may hold:
whoever keeps a copy of it and of the digest files can check the chain without
trusting this system.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING = "AUDIT_SIGNING_KEY"
KEY_FILE_NAME = "audit-signing-key"


class SigningKeyError(ImproperlyConfigured):
    """The audit signing key is missing or is not an Ed25519 private key."""


def signing_key() -> Ed25519PrivateKey:
    """Return the configured private key, generating one in development if unset."""
    configured = getattr(settings, SETTING, None) or os.environ.get(SETTING, "")
    if configured:
        return parse_private_key(configured)
    if getattr(settings, "PRODUCTION", False):
        raise SigningKeyError(f"{SETTING} must be set in production.")
    return _development_key(Path(settings.VAR_DIR) / KEY_FILE_NAME)


def parse_private_key(text: str) -> Ed25519PrivateKey:
    """Read an Ed25519 private key given as PEM or as base64 (raw seed or DER)."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), None)
        else:
            raw = base64.b64decode(text, validate=True)
            if len(raw) == 32:
                return Ed25519PrivateKey.from_private_bytes(raw)
            key = serialization.load_der_private_key(raw, None)
    except (ValueError, TypeError, binascii.Error, UnicodeEncodeError) as error:
        # The message must not echo the key material.
        raise SigningKeyError(f"{SETTING} is not a readable private key.") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{SETTING} must be an Ed25519 key.")
    return key


def _development_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Written whole to a private (0600) temporary file, then linked into place:
        # a racing process never reads a half-written key, and the first one wins.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return parse_private_key(path.read_text(encoding="ascii"))


def public_key(private_key: Ed25519PrivateKey | None = None) -> Ed25519PublicKey:
    """Return the public half of the signing key (the configured one by default)."""
    return (private_key or signing_key()).public_key()


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    """Return the public key as PEM (SubjectPublicKeyInfo), for publication."""
    return (
        (key or public_key())
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode("ascii")
    )


def load_public_key_pem(pem: bytes) -> Ed25519PublicKey:
    """Read a published public key; refuse anything but Ed25519."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("The public key is not an Ed25519 key.")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """Return a short, stable name for a public key: sha256 of its raw bytes, 16 hex."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(message: bytes, private_key: Ed25519PrivateKey | None = None) -> str:
    """Sign a message with the signing key; return the signature as base64."""
    signature = (private_key or signing_key()).sign(message)
    return base64.b64encode(signature).decode("ascii")


def signature_valid(message: bytes, signature: str, key: Ed25519PublicKey) -> bool:
    """Tell whether a base64 signature over the message verifies with the key."""
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
