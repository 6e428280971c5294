"""Filing a listing proposal: who may, what it needs, and from the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.credit.processes.conftest import World
from tests.credit.processes.test_list_support import SERIOUS, entry_of, propose
from workflows.credit.filing import case_file
from workflows.credit.models import Case
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError

pytestmark = pytest.mark.usefixtures("frozen")


def test_refuses_proposals_from_outside_a_source_department(world: World) -> None:
    with pytest.raises(ForbiddenError, match="reviewer"):
        propose_as(world, "rsj_officer")
    with pytest.raises(InvalidInputError, match="choose the list"):
        propose(world, list_type="red")
    with pytest.raises(InvalidInputError, match="evidence"):
        propose(world, evidence=[])
    propose(world)
    with pytest.raises(ConflictError, match="already"):
        propose(world)


def propose_as(world: World, username: str) -> Case:
    assert world.subject is not None
    return case_file(
        actor=world[username],
        kind="list_entry",
        data={"subject": world.subject.pk, "list_type": SERIOUS, "basis": "b"},
    )


def test_files_a_listing_from_the_command_line(world: World) -> None:
    data = {
        "subject": world.subject.code if world.subject else "",
        "list_type": "key_attention",
        "basis": "多次违法",
        "evidence": ["处罚决定书"],
        "regime": "ndrc_2025_36",
    }
    out = StringIO()
    call_command(
        "case",
        "file",
        "list-entry",
        "--as",
        "scj_reviewer",
        "--data",
        json.dumps(data, ensure_ascii=False),
        "--json",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert summary["number"].startswith("LR-2026-")
    assert summary["status"] == Case.Status.UNDER_REVIEW
    assert summary["process_instance"]
    assert [d["kind"] for d in summary["deadlines"]] == ["statement_defence"]
    case = Case.objects.get(number=summary["number"])
    assert entry_of(case).list_type == "key_attention"
