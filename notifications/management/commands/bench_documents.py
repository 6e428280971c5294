"""Benchmark printing official documents to PDF (`make bench-documents`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from audit.benchmarks import load_note
from notifications.benchmarks import render_kind, report_lines, samples
from workflows.credit.models import Document


class Command(BaseCommand):
    help = (
        "In a throwaway copy of the configured database, print N documents of each "
        "kind to PDF and report the mean and 95th-percentile seconds and the pages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=10, help="documents per kind")
        parser.add_argument(
            "--kind",
            action="append",
            choices=Document.Kind.values,
            help="only these kinds (repeatable; default all)",
        )

    def handle(
        self, *args: Any, count: int, kind: list[str] | None, **options: Any
    ) -> None:
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            rows = samples()
            # The first rendering loads fonts and caches: not part of the figures.
            render_kind(rows, Document.Kind.ACCEPTANCE, 1)
            figures = []
            for name in kind or Document.Kind.values:
                self.stderr.write(f"rendering {count} x {name} ...")
                figures.append(render_kind(rows, name, count))
            for line in report_lines(figures, load_note()):
                self.stdout.write(line)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
