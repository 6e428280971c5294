"""Template filters of the documents (built into their template engine)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SENTENCE_ENDS = ("。", "！", "？", "；", ".", "!", "?")
# A document number such as 国办发〔2020〕49号 or SCJ信列决〔2026〕1号: a line must
# not break inside it (Chinese line breaking would allow "49" / "号").
DOCUMENT_NUMBER = re.compile(r"[A-Z0-9_]{0,16}[\u4e00-\u9fff]{0,6}〔\d{4}〕\d+号")


@register.filter
def sentence(value: object) -> str:
    """End a piece of entered text with a full stop unless it already ends."""
    text = str(value or "").strip()
    if not text or text.endswith(SENTENCE_ENDS):
        return text
    return f"{text}。"


@register.filter(needs_autoescape=True)
def citations(value: object, autoescape: bool = True) -> SafeString:
    """Escape the text and keep each document number in it on one line."""
    text = str(value)
    text = conditional_escape(text) if autoescape else text
    # Safe: the text is escaped and the pattern matches no markup characters.
    return mark_safe(  # noqa: S308
        DOCUMENT_NUMBER.sub(
            lambda match: f'<span class="number">{match.group(0)}</span>', text
        )
    )
