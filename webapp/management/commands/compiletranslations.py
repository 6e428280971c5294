"""``manage.py compiletranslations``: merge each language's per-area .po files into .mo.

Every area keeps its own ``locale/<lang>/LC_MESSAGES/<area>.po`` so that nobody edits
another's file; Django reads one ``django.mo`` per language. This command merges them
with polib (no gettext tools needed on a fresh machine) and refuses a msgid that two
files translate differently, naming both files.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped,unused-ignore]
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

OUTPUT = "django"
HEADER = {
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "MIME-Version": "1.0",
}


@dataclass
class Merged:
    """The merged catalogue of one language and the conflicts found on the way."""

    entries: dict[tuple[str, str], tuple[polib.POEntry, Path]] = field(
        default_factory=dict
    )
    plural_forms: str = ""
    conflicts: list[str] = field(default_factory=list)


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _translation(entry: polib.POEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _usable(entry: polib.POEntry) -> bool:
    return bool(entry.msgid) and not entry.obsolete and entry.translated()


def merge(paths: Iterable[Path]) -> Merged:
    """Merge the translated entries of ``paths``, collecting conflicting msgids."""
    merged = Merged()
    for path in paths:
        catalogue = polib.pofile(str(path), encoding="utf-8")
        plural = catalogue.metadata.get("Plural-Forms", "")
        if plural and not merged.plural_forms:
            merged.plural_forms = plural
        for entry in catalogue:
            if not _usable(entry) or "fuzzy" in entry.flags:
                continue
            key = _key(entry)
            known = merged.entries.get(key)
            if known is None:
                merged.entries[key] = (entry, path)
            elif _translation(known[0]) != _translation(entry):
                merged.conflicts.append(
                    f"{entry.msgid!r} is translated differently in "
                    f"{known[1]} and {path}"
                )
    return merged


def write_mo(merged: Merged, target: Path) -> int:
    """Write the merged catalogue as a .mo file; return how many entries it has."""
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = dict(HEADER)
    if merged.plural_forms:
        catalogue.metadata["Plural-Forms"] = merged.plural_forms
    for key in sorted(merged.entries):
        entry = merged.entries[key][0]
        catalogue.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr=entry.msgstr,
                msgstr_plural=dict(entry.msgstr_plural),
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save_as_mofile(str(target))
    return len(merged.entries)


def language_dirs(roots: Iterable[Path]) -> list[Path]:
    """List every ``<root>/<lang>/LC_MESSAGES`` folder that holds .po files."""
    found = []
    for root in roots:
        for folder in sorted(root.glob("*/LC_MESSAGES")):
            if any(folder.glob("*.po")):
                found.append(folder)
    return found


def sources(folder: Path) -> list[Path]:
    """The per-area .po files of one language (``django.po`` is output, not input)."""
    return sorted(p for p in folder.glob("*.po") if p.stem != OUTPUT)


class Command(BaseCommand):
    help = "Merge locale/<lang>/LC_MESSAGES/*.po into django.mo (refuses conflicts)."
    # It runs during installation, before the project need be importable as a whole.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="only look for conflicts; write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        problems: list[str] = []
        for folder in language_dirs(roots):
            merged = merge(sources(folder))
            if merged.conflicts:
                problems.extend(merged.conflicts)
                continue
            if options["check"]:
                continue
            count = write_mo(merged, folder / f"{OUTPUT}.mo")
            if options["verbosity"] >= 1:
                self.stdout.write(f"{folder / OUTPUT}.mo: {count} messages")
        if problems:
            raise CommandError(
                "conflicting translations:\n" + "\n".join(f"- {p}" for p in problems)
            )
