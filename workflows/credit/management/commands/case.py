"""``manage.py case``: file cases and act on them through the domain services."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from audit.context import bind
from workflows.cli.inputs import CliError, acting_user, exit_code_for, json_option
from workflows.credit.filing import case_act, case_file
from workflows.credit.models import Case
from workflows.errors import RuntimeServiceError


def _summary(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "case_type": case.case_type,
        "status": case.status,
        "process_instance": str(case.process_instance_id or ""),
        "deadlines": [
            {"kind": d.kind, "due_at": d.due_at, "provisional": d.provisional}
            for d in case.deadlines.filter(met_at__isnull=True)
        ],
    }


class Command(BaseCommand):
    help = (
        "File a case (objection, repair, list-entry, redlist) or take an action on "
        "one (e.g. supplement, appeal) as a user. Exit codes as for 'manage.py bpmn'."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        # --as and --json belong to each verb so they may follow it on the line.
        common = ArgumentParser(add_help=False)
        common.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        common.add_argument("--json", dest="as_json", action="store_true")
        verbs = parser.add_subparsers(dest="verb", required=True)
        file = verbs.add_parser("file", help="file a new case", parents=[common])
        file.add_argument("kind", help="objection, repair, list-entry or redlist")
        file.add_argument("--data", default="{}", help="the case as a JSON object")
        act = verbs.add_parser("act", help="act on an open case", parents=[common])
        act.add_argument("action", help="e.g. supplement or appeal")
        act.add_argument("number", help="the case number, e.g. YY-2026-000001")
        act.add_argument("--data", default="{}", help="the action's data as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        with bind(via="cli"):
            try:
                case = self._run(options)
            except Exception as exc:
                if options.get("traceback") or not isinstance(
                    exc, CliError | RuntimeServiceError
                ):
                    raise
                self.stderr.write(f"error: {exc}")
                raise SystemExit(exit_code_for(exc)) from exc
        summary = _summary(case)
        if options["as_json"]:
            self.stdout.write(
                json.dumps(summary, cls=DjangoJSONEncoder, ensure_ascii=False)
            )
        else:
            self.stdout.write(
                f"{summary['number']} {case.get_status_display()} "
                f"(instance {summary['process_instance']})"
            )

    @staticmethod
    def _run(options: dict[str, Any]) -> Case:
        actor = acting_user(options["as_user"])
        if actor is None:
            raise CliError("--as must name a user")
        data = json_option(options["data"], "--data") or {}
        if options["verb"] == "file":
            kind = options["kind"].replace("-", "_")
            return case_file(actor=actor, kind=kind, data=data)
        return case_act(
            actor=actor, name=options["action"], number=options["number"], data=data
        )
