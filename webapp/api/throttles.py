"""Rate limits per user and scope, counted in the shared cache.

DRF's ``SimpleRateThrottle`` keeps the time of every request inside the window in
one cache entry and rewrites that whole list on every request: at a few hundred
credit checks per minute the list, and the cost of each check, keep growing. The
throttle here counts requests per fixed window instead (one ``add`` and one
``incr``), with the same ``DEFAULT_THROTTLE_RATES`` scopes and ``Retry-After``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache as default_cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from audit.middleware import client_ip_for


class WindowRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle with a fixed-window counter: O(1) per request."""

    cache = default_cache

    def get_rate(self) -> str | None:
        # DRF binds THROTTLE_RATES at import; read the settings as they are now.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(str(self.scope))
        return str(rate) if rate is not None else None

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None or self.duration is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = f"{self.key}:{window}"
        # incr() first: one round trip on Redis (atomic there; close enough on the
        # database cache); the window's first request creates the counter.
        try:
            count = self.cache.incr(key)
        except ValueError:
            count = (
                1 if self.cache.add(key, 1, self.duration + 1) else self.cache.incr(key)
            )
        self.now = now
        return count <= self.num_requests

    def wait(self) -> float | None:
        return max(0.0, float(self.window_ends - self.now))

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            ident = str(request.user.pk)
        else:
            # The same client address the audit trail records (one trusted proxy
            # at most): a forged X-Forwarded-For does not buy a fresh allowance.
            ident = client_ip_for(request._request) or "unknown"
        return f"api-throttle:{self.scope}:{ident}"
