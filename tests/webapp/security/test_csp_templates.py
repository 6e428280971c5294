"""No template may need what the Content-Security-Policy forbids.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles from our
own files only, so the browser ignores inline ``<script>`` bodies, ``on*=`` event
handler attributes, htmx ``hx-on`` attributes (evaluated as code), ``javascript:``
URLs, ``style=""`` attributes and ``<style>`` blocks. This test reads every template
under webapp/templates and names each such construct by file and line, so a page
that would silently lose its behaviour or look fails here instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "webapp" / "templates"
# JSON data blocks are not executed (json_script writes these); CSP allows them.
DATA_SCRIPT = re.compile(r"""type\s*=\s*["']?application/(ld\+)?json""", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
CHECKS_IN_TAGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("inline event handler (on*=)", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("htmx hx-on handler", re.compile(r"\s(data-)?hx-on[:\-]", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("javascript: URL", re.compile(r"""=\s*["']?\s*javascript:""", re.I)),
)
STYLE_BLOCK = re.compile(r"<style\b", re.I)


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(settings.BASE_DIR)}:{self.line}: {self.what}"


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def violations_in(path: Path) -> list[Violation]:
    """Return what in one template the Content-Security-Policy would block."""
    text = path.read_text("utf-8")
    found: list[Violation] = []
    for script in SCRIPT.finditer(text):
        attributes, body = script.group(1), script.group(2)
        if DATA_SCRIPT.search(attributes):
            continue
        if body.strip():
            found.append(
                Violation(path, _line(text, script.start()), "inline <script>")
            )
        elif "src" not in attributes.lower():
            found.append(
                Violation(path, _line(text, script.start()), "<script> without src")
            )
    for style in STYLE_BLOCK.finditer(text):
        found.append(Violation(path, _line(text, style.start()), "<style> block"))
    for tag in TAG.finditer(text):
        for what, pattern in CHECKS_IN_TAGS:
            if pattern.search(tag.group(0)):
                found.append(Violation(path, _line(text, tag.start()), what))
    return found


def all_violations(root: Path = TEMPLATES) -> list[Violation]:
    return [v for path in sorted(root.rglob("*.html")) for v in violations_in(path)]


def test_no_template_uses_inline_scripts_handlers_or_styles() -> None:
    found = all_violations()
    assert not found, "Templates the CSP would break:\n" + "\n".join(map(str, found))


def test_the_scanner_finds_each_forbidden_construct(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        "<p>ok</p>\n"
        "<script>alert(1)</script>\n"
        '<button onclick="go()">x</button>\n'
        '<div style="color: red">x</div>\n'
        "<style>p { color: red }</style>\n"
        '<a href="javascript:void(0)">x</a>\n'
        '<form hx-on:submit="x()"></form>\n'
        "<script></script>\n",
        "utf-8",
    )
    found = {(v.line, v.what) for v in violations_in(page)}
    assert found == {
        (2, "inline <script>"),
        (3, "inline event handler (on*=)"),
        (4, "style attribute"),
        (5, "<style> block"),
        (6, "javascript: URL"),
        (7, "htmx hx-on handler"),
        (8, "<script> without src"),
    }


def test_the_scanner_accepts_what_the_policy_allows(tmp_path: Path) -> None:
    page = tmp_path / "good.html"
    page.write_text(
        "{% load static %}"
        "<script src=\"{% static 'app/app.js' %}\" defer></script>\n"
        '<script id="data" type="application/json">{"a": 1}</script>\n'
        '<button data-action="go" class="button" hx-post="/x">{{ label }}</button>\n'
        '<input name="question" data-onward="1" value="{{ v }}">\n'
        '<link rel="stylesheet" href="/static/app/app.css">\n',
        "utf-8",
    )
    assert violations_in(page) == []
