"""``Idempotency-Key`` on filing endpoints: a retried request never files twice.

The key's row and the filing commit in one transaction. A retry with the same key
and the same request gets the stored answer (header ``Idempotent-Replayed: true``);
the same key with another request or on another endpoint is refused with 422. Two
requests with one key at the same moment: the database's unique constraint makes
the second wait for the first and then replay its answer. A filing that fails
stores nothing, so the corrected request can be sent with the same key. Answers
are kept for ``API_IDEMPOTENCY_HOURS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any, Final

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from webapp.api.errors import ApiError
from webapp.models import IdempotencyRecord

HEADER: Final = "Idempotency-Key"
REPLAYED_HEADER: Final = "Idempotent-Replayed"
MAX_KEY_LENGTH: Final = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID) per filing. A retry with the same key and body "
        "returns the first answer instead of filing again; the same key with a "
        "different body is refused with 422."
    ),
)

Answer = tuple[int, Any]


def _key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if (
        not key
        or len(key) > MAX_KEY_LENGTH
        or not (key.isascii() and key.isprintable())
    ):
        raise ApiError(
            _("The Idempotency-Key header must be 1 to 255 ASCII characters."),
            code="invalid",
            status_code=status.HTTP_400_BAD_REQUEST,
            fields={HEADER: [_("1 to 255 ASCII characters")]},
        )
    return key


def request_fingerprint(endpoint: str, data: Any) -> str:
    """Return the SHA-256 of the endpoint and the request body, keys sorted."""
    if hasattr(data, "dict"):
        data = data.dict()
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(f"{endpoint}\n{body}".encode()).hexdigest()


def _replay(found: IdempotencyRecord, endpoint: str, fingerprint: str) -> Response:
    if found.endpoint != endpoint or found.request_hash != fingerprint:
        raise ApiError(
            _("This Idempotency-Key was already used for a different request."),
            code="idempotency_key_reused",
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            fields={HEADER: [_("already used for a different request")]},
        )
    return Response(
        found.response_body,
        status=found.status_code,
        headers={REPLAYED_HEADER: "true"},
    )


def run_once(request: Request, run: Callable[[], Answer]) -> Response:
    """Answer a filing request, at most once per Idempotency-Key and user."""
    key = _key_of(request)
    if key is None:
        code, body = run()
        return Response(body, status=code)
    endpoint = f"{request.method} {request.path}"
    fingerprint = request_fingerprint(endpoint, request.data)
    cutoff = timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    user_id = int(request.user.pk or 0)
    with transaction.atomic():
        IdempotencyRecord.objects.filter(
            user_id=user_id, key=key, created_at__lt=cutoff
        ).delete()
        try:
            with transaction.atomic():
                row = IdempotencyRecord.objects.create(
                    user_id=user_id,
                    key=key,
                    endpoint=endpoint,
                    request_hash=fingerprint,
                    status_code=0,
                    response_body={},
                )
        except IntegrityError:
            found = IdempotencyRecord.objects.get(user_id=user_id, key=key)
            return _replay(found, endpoint, fingerprint)
        code, body = run()
        row.status_code = code
        row.response_body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
        row.save(update_fields=["status_code", "response_body"])
    return Response(body, status=code)
