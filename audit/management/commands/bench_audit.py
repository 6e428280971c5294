"""Benchmark the audit chain (`make bench-audit`): appends and verification."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from audit.benchmarks import (
    append_latency,
    append_throughput,
    bench_user,
    load_note,
    report_lines,
    seed_chain,
    verify_speed,
)
from audit.context import bind


class Command(BaseCommand):
    help = (
        "In a throwaway copy of the configured database: seed a chain of N events "
        "and time `audit verify` over it, then time appends through record() with "
        "1 and 4 writer processes and in a transaction shaped like a task step."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--events", type=int, default=1_000_000)
        parser.add_argument("--appends", type=int, default=2000)
        parser.add_argument(
            "--writers", type=int, nargs="+", default=[1, 4], metavar="N"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            nargs="+",
            default=[1, 2],
            metavar="N",
            help="verify with these numbers of processes",
        )

    def handle(
        self,
        *args: Any,
        events: int,
        appends: int,
        writers: list[int],
        jobs: list[int],
        **options: Any,
    ) -> None:
        # Audit rows can never be deleted from a real trail: work on a test copy.
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with bind(via="cli"):
                figures = self.measure(events, appends, writers, jobs)
            for line in report_lines(figures):
                self.stdout.write(line)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def measure(
        self, events: int, appends: int, writers: list[int], jobs: list[int]
    ) -> dict[str, Any]:
        """Run each measurement in turn and return the figures."""
        figures: dict[str, Any] = {"vendor": connection.vendor, "load": load_note()}
        self.stderr.write(f"seeding {events} events ...")
        figures["seed"] = seed_chain(events, bench_user())
        figures["seed_events"] = events
        self.stderr.write("verifying ...")
        figures["verify"] = {count: verify_speed(count) for count in jobs}
        self.stderr.write("appending ...")
        figures["latency"] = append_latency(appends)
        figures["throughput"] = {
            count: append_throughput(count, max(1, appends // count))
            for count in writers
        }
        return figures
