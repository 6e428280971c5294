"""One error shape for every API answer that is not a success.

``{"code": "conflict", "message": "...", "fields": {"reason": ["..."]}}``: ``code``
is stable and meant for programs, ``message`` for people (in the request's
language where Django or DRF translate it), ``fields`` names each field that is
wrong (empty when the error is not about a field). The services' errors map to
HTTP as in the web app (``webapp/errors.py``): not found 404, forbidden 403,
conflict 409, invalid input 400.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    RuntimeServiceError,
    StepFailedError,
)

logger = logging.getLogger(__name__)
NON_FIELD = "non_field_errors"
# A problem such as "reason: must not be blank" or "approval.comment: too long".
_FIELD_PROBLEM = re.compile(r"^(?P<field>[A-Za-z_][\w.\[\]]*): (?P<message>.+)$", re.S)
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")

_DOMAIN: tuple[tuple[type[RuntimeServiceError], int], ...] = (
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (ForbiddenError, status.HTTP_403_FORBIDDEN),
    (ConflictError, status.HTTP_409_CONFLICT),
    (InvalidInputError, status.HTTP_400_BAD_REQUEST),
)
# DRF's own exceptions, by class, to the stable codes of this API.
_DRF_CODES: tuple[tuple[type[exceptions.APIException], str], ...] = (
    (exceptions.ValidationError, "invalid"),
    (exceptions.ParseError, "parse_error"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
)


class ApiError(exceptions.APIException):
    """An error of the API itself with its own status and stable code."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int,
        fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.fields = dict(fields or {})


def error_body(
    code: str, message: str, fields: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """Build the one error shape."""
    return {"code": code, "message": message, "fields": dict(fields or {})}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested ``detail`` into {"a.b": ["message", ...]}."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = NON_FIELD if key in (NON_FIELD, "detail") and not prefix else key
            if isinstance(key, int):  # an item of a list: "answers[1]"
                path = f"{prefix}[{key}]"
            else:
                path = f"{prefix}.{name}" if prefix else str(name)
            for where, messages in _flatten(value, path).items():
                found.setdefault(where, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, Mapping | list) for item in detail):
            found[prefix or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for where, messages in _flatten(item, f"{prefix}[{index}]").items():
                    found.setdefault(where, []).extend(messages)
    else:
        found[prefix or NON_FIELD] = [str(detail)]
    return found


def problem_fields(
    message: str, problems: Iterable[str], *, prefix: str = ""
) -> dict[str, list[str]]:
    """Map a service's problems to fields.

    "field: message" names its field; a bare field name gets the error's message;
    anything else is a problem of the request as a whole.
    """
    fields: dict[str, list[str]] = {}
    for problem in problems:
        match = _FIELD_PROBLEM.match(problem)
        if match and match["field"] != "form":
            fields.setdefault(prefix + match["field"], []).append(match["message"])
        elif _IDENTIFIER.match(problem):
            fields.setdefault(prefix + problem, []).append(message)
        else:
            fields.setdefault(NON_FIELD, []).append(problem)
    return fields


def _domain_response(
    error: RuntimeServiceError, context: Mapping[str, Any]
) -> Response:
    message = str(error).splitlines()[0] if str(error) else error.code
    if isinstance(error, StepFailedError):
        logger.error("API step failed: incident %s", error.incident_id)
        body = error_body("incident", message)
        body["incident"] = error.incident_id
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    status_code = next(
        (code for kind, code in _DOMAIN if isinstance(error, kind)),
        status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    fields: dict[str, list[str]] = {}
    if isinstance(error, InvalidInputError):
        view = context.get("view")
        prefix = str(getattr(view, "problem_prefix", ""))
        fields = problem_fields(message, error.problems, prefix=prefix)
    return Response(error_body(error.code, message, fields), status=status_code)


def _drf_response(exc: exceptions.APIException) -> Response:
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(getattr(exc, "auth_header", ""))
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(max(1, int(wait)))
    if isinstance(exc, ApiError):
        body = error_body(exc.error_code, str(exc.detail), exc.fields)
    elif isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("The request has errors."), _flatten(exc.detail))
    else:
        code = next((c for kind, c in _DRF_CODES if isinstance(exc, kind)), "error")
        body = error_body(code, str(exc.detail))
    return Response(body, status=exc.status_code, headers=headers)


def api_exception_handler(
    exc: Exception, context: Mapping[str, Any]
) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error in the one shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, RuntimeServiceError):
        set_rollback()
        return _domain_response(exc, context)
    if isinstance(exc, exceptions.APIException):
        set_rollback()
        return _drf_response(exc)
    return None


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Answer an unknown address under /api/ in the error shape, not as a page."""
    body = error_body("not_found", _("There is nothing at this address."))
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
