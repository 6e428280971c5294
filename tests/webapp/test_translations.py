"""Every string a person sees has a Chinese translation, and the catalogue compiles.

The msgids are extracted the way ``makemessages`` would: templates go through Django's
own ``templatize`` (which turns ``{% translate %}``, ``{% blocktranslate %}`` and
``_("…")`` into gettext calls), Python files through ``ast``; the calls' literal
arguments are the msgids. The translations are read from every
``locale/zh_Hans/LC_MESSAGES/*.po`` (merged as ``compiletranslations`` merges them).
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib  # type: ignore[import-untyped,unused-ignore]
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from django.utils.translation.template import templatize

from webapp.management.commands.compiletranslations import merge, sources

ROOT = Path(settings.BASE_DIR)
WEBAPP = ROOT / "webapp"
ZH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"

# function name -> (index of msgctxt or None, index of msgid, index of msgid_plural)
GETTEXT: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
CALL = re.compile(r"\b(" + "|".join(map(re.escape, GETTEXT)) + r")\(")

# (msgctxt, msgid, msgid_plural or "") plus where it was found
Message = tuple[str, str, str]


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def messages_of_call(call: ast.Call) -> Message | None:
    """Return the message a gettext-like call with literal arguments names."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name not in GETTEXT:
        return None
    context_at, msgid_at, plural_at = GETTEXT[name]
    args = [_literal(arg) for arg in call.args]
    needed = max(i for i in (context_at, msgid_at, plural_at) if i is not None)
    if len(args) <= needed:
        return None
    msgid = args[msgid_at]
    context = args[context_at] if context_at is not None else ""
    plural = args[plural_at] if plural_at is not None else ""
    if msgid is None or context is None or plural is None:
        return None  # a variable, not a literal: nothing to extract
    return (context, msgid, plural)


def python_messages(source: str) -> Iterator[Message]:
    """Yield the messages of the gettext calls in Python source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and (found := messages_of_call(node)):
            yield found


def _balanced_call(text: str, start: int) -> str | None:
    """Return the call starting at ``start`` up to its closing parenthesis."""
    depth, quote, index = 0, "", start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
        index += 1
    return None


def template_messages(source: str) -> Iterator[Message]:
    """Yield the messages of a Django template (via Django's templatize)."""
    text = templatize(source)
    for match in CALL.finditer(text):
        call_text = _balanced_call(text, match.start())
        if call_text is None:
            continue
        try:
            tree = ast.parse(call_text, mode="eval")
        except SyntaxError:
            continue
        if isinstance(tree.body, ast.Call) and (found := messages_of_call(tree.body)):
            yield found


def used_messages() -> dict[Message, list[str]]:
    """Map every message used under webapp/ to the files that use it."""
    used: dict[Message, list[str]] = {}
    for path in sorted(WEBAPP.rglob("*")):
        if "static" in path.parts or "migrations" in path.parts:
            continue
        if path.suffix == ".html":
            found = template_messages(path.read_text(encoding="utf-8"))
        elif path.suffix == ".py":
            found = python_messages(path.read_text(encoding="utf-8"))
        else:
            continue
        for message in found:
            used.setdefault(message, []).append(str(path.relative_to(ROOT)))
    return used


def translated_messages() -> dict[tuple[str, str], polib.POEntry]:
    """Every translated zh_Hans entry, keyed by (msgctxt, msgid)."""
    merged = merge(sources(ZH))
    return {key: entry for key, (entry, _path) in merged.entries.items()}


def test_extraction_finds_translate_blocktranslate_and_python_calls() -> None:
    """The extractor sees each form of marking a string (so the check can fail)."""
    template = (
        '{% load i18n %}{% translate "One" %}{% translate "Two" context "menu" %}'
        "{% blocktranslate trimmed with n=x %}\n  Three {{ n }}\n"
        "{% endblocktranslate %}"
        "{% blocktranslate count c=k %}{{ c }} item{% plural %}{{ c }} items"
        '{% endblocktranslate %}{% include "x.html" with title=_("Four") %}'
    )
    python = (
        "from django.utils.translation import gettext_lazy as _, pgettext\n"
        "A = _('Five')\nB = pgettext('verb', 'Six')\nC = _(variable)\n"
    )
    assert set(template_messages(template)) == {
        ("", "One", ""),
        ("menu", "Two", ""),
        ("", "Three %(n)s", ""),
        ("", "%(c)s item", "%(c)s items"),
        ("", "Four", ""),
    }
    assert set(python_messages(python)) == {("", "Five", ""), ("verb", "Six", "")}


def test_every_string_of_the_web_app_has_a_chinese_translation() -> None:
    """Templates and Python code of webapp/ use no msgid missing from zh_Hans .po."""
    translated = translated_messages()
    missing = []
    for (context, msgid, plural), files in sorted(used_messages().items()):
        entry = translated.get((context, msgid))
        if entry is None or (plural and not entry.msgid_plural):
            where = ", ".join(sorted(set(files)))
            label = f"{context}|{msgid}" if context else msgid
            missing.append(f"{label!r} (used in {where})")
    assert not missing, (
        f"{len(missing)} msgids have no zh_Hans translation in "
        f"locale/zh_Hans/LC_MESSAGES/<area>.po:\n" + "\n".join(missing)
    )


def test_the_per_area_catalogues_do_not_contradict_each_other() -> None:
    """No msgid is translated two different ways by two areas' .po files."""
    assert merge(sources(ZH)).conflicts == []


@pytest.fixture
def locale_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of locale/ that compiletranslations may write into."""
    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo"))
    with override_settings(LOCALE_PATHS=[copy]):
        yield copy


def test_compiletranslations_builds_one_catalogue_django_reads(
    locale_copy: Path,
) -> None:
    """The merged django.mo translates strings from the per-area files."""
    call_command("compiletranslations", verbosity=0)
    assert (locale_copy / "zh_Hans" / "LC_MESSAGES" / "django.mo").is_file()
    # Changing LOCALE_PATHS makes Django drop its loaded catalogues (test signal).
    with override_settings(LOCALE_PATHS=[locale_copy]), translation.override("zh-hans"):
        assert translation.gettext("Credit services") == "信用服务"
        assert translation.ngettext("%(counter)s unread", "%(counter)s unread", 3) == (
            "%(counter)s 条未读"
        )
    with translation.override("en"):
        assert translation.gettext("Credit services") == "Credit services"


def test_compiletranslations_refuses_conflicting_translations(
    locale_copy: Path,
) -> None:
    """A msgid translated differently by two files stops the build, naming both."""
    folder = locale_copy / "zh_Hans" / "LC_MESSAGES"
    (folder / "zz_conflict.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Credit services"\nmsgstr "别的译法"\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        call_command("compiletranslations", verbosity=0)
    assert "base.po" in str(raised.value)
    assert "zz_conflict.po" in str(raised.value)
    assert not (folder / "django.mo").exists()
