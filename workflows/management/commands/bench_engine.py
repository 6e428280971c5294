"""Benchmark task completions through the service layer (`make bench-engine`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from audit.context import bind
from workflows.benchmarks.engine import complete_all, report, seed


class Command(BaseCommand):
    help = (
        "Seed N instances of a five-user-task process in a throwaway copy of the "
        "configured database and complete every task through the services."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instances", type=int, default=200)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, instances: int, workers: int, **options: Any) -> None:
        # Audit rows are append-only: a benchmark must never write into a real trail,
        # so it runs in a test database created and destroyed around it.
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with bind(via="cli"):
                user, starts = seed(instances)
                timings, wall = complete_all(user, workers)
            for line in report(
                connection.vendor, instances, workers, starts, timings, wall
            ):
                self.stdout.write(line)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
