"""One-time form tokens, so a form submitted twice files one case.

Each filing form carries a token the session issued. The view claims it before
filing with an atomic ``cache.add`` (the shared cache: the database or Redis), so
two submits of the same form, even at the same moment from two tabs, cannot both
file. After filing, the token remembers the case number: a repeated submit is
answered with "already filed, here is your case". A failed filing releases the
token, so the corrected form can be sent again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

SESSION_KEY = "portal.form_tokens"
KEEP = 20  # tokens per session (open tabs); the oldest are forgotten
PENDING = "-"
TOKEN_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Claim:
    """The answer to "may this submit file?"."""

    fresh: bool
    case_number: str = ""

    @property
    def in_progress(self) -> bool:
        return not self.fresh and not self.case_number


def _key(request: HttpRequest, token: str) -> str:
    return f"portal:once:{request.user.pk}:{token}"


def form_token_issue(request: HttpRequest) -> str:
    """Issue a token for one form and remember it in the session."""
    token = secrets.token_urlsafe(18)
    tokens = [t for t in request.session.get(SESSION_KEY, []) if isinstance(t, str)]
    request.session[SESSION_KEY] = [*tokens[-(KEEP - 1) :], token]
    return token


def form_token_known(request: HttpRequest, token: str) -> bool:
    """Say whether this session issued the token."""
    return bool(token) and token in request.session.get(SESSION_KEY, [])


def form_token_claim(request: HttpRequest, token: str) -> Claim:
    """Claim the token for one filing; say if it was used already and for what."""
    key = _key(request, token)
    if cache.add(key, PENDING, TOKEN_SECONDS):
        return Claim(fresh=True)
    value = cache.get(key)
    return Claim(fresh=False, case_number="" if value in (None, PENDING) else value)


def form_token_filed(request: HttpRequest, token: str) -> str:
    """Return the number of the case this token filed, or "" if none yet."""
    if not token:
        return ""
    value = cache.get(_key(request, token))
    return "" if value in (None, PENDING) else str(value)


def form_token_done(request: HttpRequest, token: str, case_number: str) -> None:
    """Remember which case the token filed."""
    cache.set(_key(request, token), case_number, TOKEN_SECONDS)


def form_token_release(request: HttpRequest, token: str) -> None:
    """Free the token after a filing that failed, so the form can be sent again."""
    cache.delete(_key(request, token))
