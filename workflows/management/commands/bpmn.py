"""``manage.py bpmn <verb>``: the BPM runtime's services for scripts and operators."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.context import bind
from workflows.cli.arguments import VerbParser, add_verbs
from workflows.cli.inputs import CliError, acting_user, exit_code_for
from workflows.cli.verbs import VERBS
from workflows.errors import RuntimeServiceError


class Command(BaseCommand):
    help = (
        "Deploy models, start processes, work tasks and operate the BPM runtime. "
        "Exit codes: 0 ok, 1 unexpected error, 2 usage or invalid input, "
        "3 not found, 4 forbidden, 5 conflict, 6 incident."
    )

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # BaseCommand always builds a plain CommandParser; a missing or unknown
        # verb should be reported like every other usage error of this command.
        parser.__class__ = VerbParser
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_verbs(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with bind(via="cli"):
            try:
                actor = acting_user(options["as_user"])
                output = VERBS[options["verb"]](actor, options)
            except Exception as exc:
                if options.get("traceback"):
                    raise
                self.stderr.write(f"error: {self._message(exc)}")
                raise SystemExit(exit_code_for(exc)) from exc
        text = output.render(bool(options["as_json"]))
        if text:
            self.stdout.write(text)

    @staticmethod
    def _message(exc: Exception) -> str:
        """Return the error text; unexpected errors give one line naming their type."""
        if isinstance(exc, CliError | RuntimeServiceError):
            return str(exc)
        first_line = (str(exc).strip().splitlines() or [""])[0]
        return f"{type(exc).__name__}: {first_line} (rerun with --traceback)"
