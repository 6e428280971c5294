"""Benchmark credit checks over HTTP (`make bench-api`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from audit.benchmarks import load_note
from audit.context import bind
from webapp.api.bench_seed import seed
from webapp.api.benchmarks import (
    drive,
    free_port,
    report,
    start_server,
    stop_server,
)


def _database_url() -> str:
    """The URL of the benchmark copy, for the server processes."""
    values = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{values['NAME']}"
    user = values.get("USER") or ""
    password = f":{values['PASSWORD']}" if values.get("PASSWORD") else ""
    host = values.get("HOST") or "127.0.0.1"
    port = values.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{values['NAME']}"


class Command(BaseCommand):
    help = (
        "In a throwaway copy of the configured database, seed subjects, lists and "
        "officers, serve the project with gunicorn and time credit checks from "
        "concurrent clients."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=20.0)
        parser.add_argument("--warmup", type=float, default=10.0)
        parser.add_argument("--clients", type=int, default=4)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--subjects", type=int, default=3000)

    def handle(self, *args: Any, **options: Any) -> None:
        # Audit rows can never be deleted from a real trail: work on a test copy,
        # under a name of its own so a test run on the same database is untouched.
        old_name = connection.settings_dict["NAME"]
        test = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test["NAME"] = str(Path(settings.VAR_DIR) / "bench-api.sqlite3")
        else:
            test["NAME"] = f"bench_api_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            self._run(options)
        finally:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _run(self, options: dict[str, Any]) -> None:
        self.stderr.write(f"seeding {options['subjects']} subjects ...")
        with bind(via="cli"):
            seeded = seed(options["subjects"], options["clients"])
        connection.close()
        port = free_port()
        server = start_server(_database_url(), port, options["workers"])
        try:
            self.stderr.write(f"gunicorn on port {port}; checking ...")
            runs, cpu = drive(
                port, seeded, options["seconds"], options["warmup"], server.pid
            )
        finally:
            stop_server(server)
        meta = {
            "vendor": connection.vendor,
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "workers": options["workers"],
            "subjects": options["subjects"],
            "warmup": options["warmup"],
            "load": load_note(),
        }
        for line in report(runs, options["seconds"], cpu, meta):
            self.stdout.write(line)
