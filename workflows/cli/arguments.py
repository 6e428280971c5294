"""The verbs and options of ``manage.py bpmn``, as argparse subparsers."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from django.core.management.base import CommandError, CommandParser

GLOBAL_HELP = {
    "as_user": "act as this user; permissions apply as in the web app "
    "(default: the system itself, audited as system:cli)",
    "as_json": "print one JSON document on stdout",
}


class VerbParser(CommandParser):
    """Report a usage error as one ``error:`` line and exit with code 2."""

    def error(self, message: str) -> NoReturn:
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}", returncode=2)
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def add_global_options(parser: argparse.ArgumentParser, default: Any = None) -> None:
    """Add ``--as`` and ``--json``; verbs repeat them so they may follow the verb."""
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        default=default,
        help=GLOBAL_HELP["as_user"],
    )
    parser.add_argument(
        "--json",
        dest="as_json",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help=GLOBAL_HELP["as_json"],
    )


def _models(verbs: Any, common: list[argparse.ArgumentParser]) -> None:
    deploy = verbs.add_parser(
        "deploy", parents=common, help="deploy BPMN/DMN/JSON-schema files"
    )
    deploy.add_argument(
        "paths",
        nargs="+",
        metavar="FILE_OR_DIR",
        help="model files; a directory adds its *.bpmn, *.dmn and *.json files",
    )
    deploy.add_argument(
        "--create-groups",
        action="store_true",
        help="create candidate groups (lanes) that do not exist yet",
    )
    deploy.add_argument(
        "--skip-schema-check",
        action="store_true",
        help="import files that break the BPMN XSD but pass every other check",
    )
    definitions = verbs.add_parser(
        "definitions", parents=common, help="list deployed process versions"
    )
    definitions.add_argument(
        "--process", metavar="PROCESS_ID", help="only versions of this process"
    )


def _instances(verbs: Any, common: list[argparse.ArgumentParser]) -> None:
    instances = verbs.add_parser("instances", parents=common, help="list instances")
    instances.add_argument(
        "--process", metavar="PROCESS_ID", help="only instances of this process"
    )
    instances.add_argument(
        "--status",
        metavar="STATUS",
        help="running, completed, suspended, terminated or error",
    )
    show = verbs.add_parser(
        "show", parents=common, help="show an instance, its tasks, events and history"
    )
    show.add_argument("instance", metavar="INSTANCE_ID_OR_KEY")
    start = verbs.add_parser("start", parents=common, help="start a process")
    start.add_argument("process_id", metavar="PROCESS_ID")
    start.add_argument("--key", required=True, help="business key (case number)")
    start.add_argument("--data", metavar="JSON", help="start data, a JSON object")
    start.add_argument("--labels", metavar="JSON", help="case labels, a JSON object")
    start.add_argument("--version", type=int, metavar="N", help="version to start")
    for verb, text in (
        ("suspend", "pause an instance"),
        ("resume", "let a suspended instance run again"),
        ("terminate", "end an instance for good"),
    ):
        change = verbs.add_parser(verb, parents=common, help=text)
        change.add_argument("instance", metavar="INSTANCE_ID_OR_KEY")
        change.add_argument("--reason", required=True, metavar="TEXT")


def _tasks(verbs: Any, common: list[argparse.ArgumentParser]) -> None:
    tasks = verbs.add_parser("tasks", parents=common, help="list tasks")
    tasks.add_argument(
        "--instance", metavar="INSTANCE_ID_OR_KEY", help="only this instance's tasks"
    )
    tab = tasks.add_mutually_exclusive_group()
    for name, text in (
        ("mine", "open tasks assigned to me"),
        ("queue", "unclaimed tasks of my groups"),
        ("done", "tasks I completed"),
    ):
        tab.add_argument(
            f"--{name}", dest="tab", action="store_const", const=name, help=text
        )
    for verb, text in (
        ("claim", "take a task from its group queue"),
        ("unclaim", "put a claimed task back into its group queue"),
    ):
        verbs.add_parser(verb, parents=common, help=text).add_argument(
            "task", metavar="TASK_ID"
        )
    for verb, text in (
        ("delegate", "hand a task to a colleague who resolves it back"),
        ("reassign", "give a task to a named person"),
    ):
        move = verbs.add_parser(verb, parents=common, help=text)
        move.add_argument("task", metavar="TASK_ID")
        move.add_argument("--to", required=True, metavar="USERNAME")
    resolve = verbs.add_parser(
        "resolve", parents=common, help="give a delegated task back to its owner"
    )
    resolve.add_argument("task", metavar="TASK_ID")
    resolve.add_argument("--data", metavar="JSON", help="draft data, a JSON object")
    complete = verbs.add_parser("complete", parents=common, help="complete a task")
    complete.add_argument("task", metavar="TASK_ID")
    complete.add_argument("--data", required=True, metavar="JSON")


def _operations(verbs: Any, common: list[argparse.ArgumentParser]) -> None:
    message = verbs.add_parser(
        "message", parents=common, help="deliver a message from outside"
    )
    message.add_argument("name", metavar="NAME")
    message.add_argument("--key", help="business key of the instance to reach")
    message.add_argument("--data", required=True, metavar="JSON")
    verbs.add_parser("fire-timers", parents=common, help="fire every due timer")
    incidents = verbs.add_parser("incidents", parents=common, help="list incidents")
    incidents.add_argument(
        "--all", action="store_true", help="include resolved incidents"
    )
    retry = verbs.add_parser(
        "retry", parents=common, help="run an incident's failed step again"
    )
    retry.add_argument("incident", type=int, metavar="INCIDENT_ID")
    verbs.add_parser("unrouted", parents=common, help="list unrouted messages")


def add_verbs(parser: argparse.ArgumentParser) -> None:
    """Add the global options and one subparser per verb."""
    add_global_options(parser)
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common, default=argparse.SUPPRESS)
    verbs = parser.add_subparsers(
        dest="verb", required=True, metavar="VERB", parser_class=VerbParser
    )
    for add in (_models, _instances, _tasks, _operations):
        add(verbs, [common])
