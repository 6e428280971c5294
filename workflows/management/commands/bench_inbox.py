"""Benchmark the reviewers' inbox over many tasks (`make bench-inbox`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from workflows.benchmarks.inbox import measure, report, seed


class Command(BaseCommand):
    help = (
        "Seed open and completed inbox tasks across five departments in a throwaway "
        "copy of the configured database, then time the inbox pages of a reviewer "
        "in two groups (p50 and p95 of whole requests)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--open", type=int, default=100_000, dest="n_open")
        parser.add_argument("--done", type=int, default=1_000_000, dest="n_done")
        parser.add_argument("--requests", type=int, default=200)

    def handle(
        self, *args: Any, n_open: int, n_done: int, requests: int, **options: Any
    ) -> None:
        # Never seed into a real database: the benchmark runs in a test copy that is
        # created and destroyed around it, as bench_engine does.
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            reviewer, seeded = seed(n_open, n_done)
            timings = measure(reviewer, requests)
            for line in report(connection.vendor, n_open, n_done, seeded, timings):
                self.stdout.write(line)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
