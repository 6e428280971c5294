"""Who-is-asking context for audit events: request id, client IP and channel.

The web middleware binds it per request; management commands and Celery tasks bind it
themselves with :func:`bind`. Context variables keep concurrent requests (threads or
asyncio tasks) from seeing each other's values.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.ipv6 import clean_ipv6_address

REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9-]{1,64}")
VIA_VALUES = frozenset({"web", "cli", "worker", "beat", "api", "test"})


@dataclass(frozen=True, slots=True)
class AuditContext:
    request_id: str = ""
    ip: str | None = None
    via: str = ""


# A frozen dataclass: sharing one instance as the default is safe.
_UNBOUND = AuditContext()
_current: ContextVar[AuditContext] = ContextVar("audit_context", default=_UNBOUND)


def current() -> AuditContext:
    """Return the context bound for the code running now (blank when unbound)."""
    return _current.get()


def new_request_id() -> str:
    """Return a fresh request id (uuid4 hex)."""
    return uuid.uuid4().hex


def is_valid_request_id(value: str) -> bool:
    """Tell whether a request id is safe to store and echo back."""
    return REQUEST_ID_PATTERN.fullmatch(value) is not None


def normalise_ip(value: str | None) -> str | None:
    """Return an IP address in the form the database gives back, or None if invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    if address.scope_id:
        # PostgreSQL's inet has no zone index; storing it would fail the insert.
        return None
    try:
        # Django's own normalisation, so the stored value equals the hashed one.
        return clean_ipv6_address(value)
    except ValidationError:
        return None


@contextmanager
def bind(
    *,
    via: str | None = None,
    request_id: str | None = None,
    ip: str | None = None,
) -> Iterator[AuditContext]:
    """Bind audit context for the enclosed block; unspecified values are inherited.

    A block that is not nested inside another binding gets a fresh request id, so
    every event of one command run or one task execution shares an id.
    """
    outer = _current.get()
    if via is not None and via not in VIA_VALUES:
        raise ValueError(f"via must be one of {sorted(VIA_VALUES)}.")
    if request_id is not None and not is_valid_request_id(request_id):
        raise ValueError("request_id must match [A-Za-z0-9-]{1,64}.")
    context = AuditContext(
        request_id=request_id or outer.request_id or new_request_id(),
        ip=normalise_ip(ip) if ip is not None else outer.ip,
        via=via if via is not None else outer.via,
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
