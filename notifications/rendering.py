"""Render the e-mail and SMS text of a notification in the recipient's language.

Templates live at ``notifications/<kind>.<language>.txt`` in any app's ``templates``
folder: the first line is the subject, the rest the body. A kind without a template
of its own uses ``notifications/default.<language>.txt``; a language without one
falls back to the site language. The text is plain, so nothing is HTML-escaped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, Engine

from notifications.models import Language

_SAFE_KIND = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
SMS_MAX_CHARACTERS = 300


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    subject: str
    body: str

    @property
    def sms_text(self) -> str:
        """The subject alone: a text message says what happened, the app says more."""
        return self.subject[:SMS_MAX_CHARACTERS]


@functools.cache
def _engine() -> Engine:
    return Engine(app_dirs=True, autoescape=False)


def language_for(code: str | None) -> str:
    """Return a supported language code, the site language when unknown."""
    if code in Language.values:
        return str(code)
    site = str(settings.LANGUAGE_CODE).lower()
    return site if site in Language.values else Language.ZH_HANS.value


def template_names(kind: str, language: str) -> list[str]:
    """List the templates tried for a kind and language, best first."""
    language, fallback = language_for(language), language_for(None)
    languages = [language] if language == fallback else [language, fallback]
    kinds = [kind, "default"] if _SAFE_KIND.fullmatch(kind) else ["default"]
    return [f"notifications/{name}.{code}.txt" for code in languages for name in kinds]


def render_message(
    *, kind: str, language: str, context: Mapping[str, Any]
) -> RenderedMessage:
    """Render the subject line and body of one message."""
    template = _engine().select_template(template_names(kind, language))
    text = template.render(Context(dict(context), autoescape=False)).strip()
    # Optional parts of a template leave runs of blank lines: keep one.
    text = _BLANK_LINES.sub("\n\n", text)
    subject, _, body = text.partition("\n")
    # A header may not contain line breaks; the subject is one line anyway.
    return RenderedMessage(subject=" ".join(subject.split())[:255], body=body.strip())
