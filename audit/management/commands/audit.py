"""``manage.py audit verify``: check the audit hash chain."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.verification import chain_verify


class Command(BaseCommand):
    help = "Audit log tools. 'verify' recomputes the hash chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify}"
        )
        verify = subcommands.add_parser(
            "verify",
            help="Recompute the hash chain and name the first broken link.",
        )
        verify.add_argument(
            "--from", dest="from_seq", type=int, help="First sequence number to check."
        )
        verify.add_argument(
            "--to", dest="to_seq", type=int, help="Last sequence number to check."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Only one subcommand today; the dispatch keeps room for export later.
        if options["subcommand"] == "verify":
            self.verify(from_seq=options["from_seq"], to_seq=options["to_seq"])

    def verify(self, *, from_seq: int | None, to_seq: int | None) -> None:
        """Print the chain's state; raise CommandError at the first broken link."""
        result = chain_verify(from_seq=from_seq, to_seq=to_seq)
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at seq {result.broken_seq}: {result.reason}. "
                f"Expected {result.expected}, found {result.found}. "
                f"Events verified before it: {result.checked}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {result.checked} events checked, "
                f"head seq {result.head_seq}, head hash {result.head_hash}"
            )
        )
