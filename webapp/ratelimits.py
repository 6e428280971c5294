"""Rate limits for views, with the project's defaults and a clear 429 answer.

::

    @rate_limited(key="user_or_ip", rate="RATELIMIT_UPLOAD")
    def upload(request): ...

    @method_decorator(rate_limited(key="ip", rate="20/m"), name="post")
    class SignInView(LoginView): ...

``key`` is ``"ip"`` (the client address the audit log records), ``"user"`` (the
signed-in user's id; unauthenticated requests count by address),
``"user_or_ip"`` (same as ``"user"``), or any key django-ratelimit understands
(``"post:username"``, ``"header:x-api-key"``). ``rate`` is ``"<count>/<period>"``
(``"20/m"``, ``"100/h"``) or the name of a setting holding one, read on every
request so deployments and tests can change it. Only unsafe methods count unless
``methods`` says otherwise. Counters live in the default cache (Redis in
production): django-ratelimit counts with ``add`` + ``incr``, which the database
cache of the embedded default does without atomicity, so there a burst may slip a
few requests past the limit; Redis counts exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, Final, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django_ratelimit.core import is_ratelimited

from audit.middleware import client_ip_for

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
UNSAFE_METHODS: Final = ("POST", "PUT", "PATCH", "DELETE")
_RATE = re.compile(r"(\d+)/(\d*)([smhd])")
_SECONDS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_limited(
    key: str,
    rate: str,
    *,
    group: str | None = None,
    methods: Sequence[str] = UNSAFE_METHODS,
) -> Callable[[View], View]:
    """Answer 429 once a client exceeds ``rate`` for ``key`` on the view."""

    def decorator(view: View) -> View:
        name = group or f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method in methods and is_ratelimited(
                request,
                group=name,
                key=_key(key),
                rate=_rate(rate),
                method=list(methods),
                increment=True,
            ):
                return too_many_requests(request, retry_after=period_seconds(rate))
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def too_many_requests(request: HttpRequest, *, retry_after: int = 60) -> HttpResponse:
    """Return the 429 answer: JSON, an htmx fragment or a page, as the client wants."""
    message = gettext("Too many requests. Please wait a moment and try again.")
    response: HttpResponse
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"error": message}, status=429)
    else:
        partial = bool(getattr(request, "htmx", False))
        template = "errors/_message.html" if partial else "accounts/rate_limited.html"
        html = render_to_string(
            template, {"status": 429, "message": message}, request=request
        )
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def period_seconds(rate: str) -> int:
    """Return the period of a rate (or of the setting naming one) in seconds."""
    match = _RATE.fullmatch(_resolve(rate))
    if match is None:
        return 60
    return int(match.group(2) or 1) * _SECONDS[match.group(3)]


def _resolve(rate: str) -> str:
    return str(getattr(settings, rate)) if rate.isupper() else rate


def _rate(rate: str) -> str | Callable[[str, HttpRequest], str]:
    if not rate.isupper():
        return rate
    return lambda group, request: _resolve(rate)


def _client_ip(group: str, request: HttpRequest) -> str:
    return client_ip_for(request) or "unknown"


def _user_or_ip(group: str, request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{_client_ip(group, request)}"


def _key(key: str) -> str | Callable[[str, HttpRequest], str]:
    if key == "ip":
        return _client_ip
    if key in ("user", "user_or_ip"):
        return _user_or_ip
    return key
