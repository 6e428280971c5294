"""Where a notification about a case leads: the portal for parties, else the case."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from webapp.context_processors import CASE_READERS, PARTIES, header_for


def case_link(request: HttpRequest, case_number: str) -> str:
    """Return the page of ``case_number`` for this user, or "" if there is none."""
    if not case_number:
        return ""
    roles = header_for(request).role_keys
    names: list[str] = []
    if roles & PARTIES:
        names.append("portal:case_detail")
    if roles & CASE_READERS:
        names.append("cases:detail")
    for name in names:
        try:
            return reverse(name, args=[case_number])
        except NoReverseMatch:
            continue
    return ""
