"""django-axes' lockout check, for sign-ins that come from a client.

``AxesStandaloneBackend`` refuses any ``authenticate()`` call without a request,
because it locks out by username *and client address*. Calls without a request do
not come from a client: the test client's ``login()``, management commands and
scripts running in-process. There is no address to lock and nobody to brute-force
through them, so they are passed on to the next backend instead of failing. Every
way in over HTTP passes its request (the sign-in page and the admin through
``AuthenticationForm``, the API through DRF), so each of them is still checked; the
tests in ``tests/webapp/accounts/test_lockout.py`` prove it for each.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class SignInLockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuse locked-out credentials from clients; ignore request-less calls."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None
