"""countersign: N of M department heads vote in parallel; the tally decides early."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from workflows.engine.parsing import SourceFile
from workflows.errors import ForbiddenError
from workflows.models import HumanTask, ProcessInstance
from workflows.services.deploy import definition_deploy
from workflows.services.instances import process_start
from workflows.services.tasks import task_claim, task_complete

pytestmark = pytest.mark.django_db
BPMN = Path(settings.BPMN_DIR) / "countersign.bpmn"
FORM = Path(settings.BPMN_DIR) / "forms" / "countersign_vote.json"
HEADS = ["AAA.head", "BBB.head", "CCC.head"]


@pytest.fixture
def people() -> dict[str, User]:
    users = {}
    for group in HEADS:
        name = group.split(".")[0].lower() + "_head"
        users[name] = User.objects.create_user(name)
        users[name].groups.add(Group.objects.get_or_create(name=group)[0])
    # The proposer heads a department too, and so sits in a voting group.
    users["proposer"] = User.objects.create_user("proposer")
    users["proposer"].groups.add(Group.objects.get(name=HEADS[0]))
    admin = User.objects.create_superuser("admin")
    files = [SourceFile(path.name, path.read_bytes()) for path in (BPMN, FORM)]
    definition_deploy(actor=admin, files=files)
    users["admin"] = admin
    return users


def _start(admin: User, required: int = 2) -> ProcessInstance:
    return process_start(
        actor=admin,
        process_id="countersign",
        business_key="CS-1",
        data={
            "countersign_groups": HEADS,
            "countersign_required": required,
            "proposer": "proposer",
        },
    )


def _vote(user: User, group: str, approved: bool) -> None:
    task = HumanTask.objects.open().get(candidate_group__name=group)
    task_claim(actor=user, task_id=task.pk)
    task_complete(
        actor=user,
        task_id=task.pk,
        data={"vote": {"approved": approved, "comment": f"{group} votes"}},
    )


def _result(instance: ProcessInstance) -> dict[str, Any]:
    instance.refresh_from_db()
    assert instance.result is not None
    return dict(instance.result)


def test_opens_one_vote_per_department_head_group_at_once(people) -> None:
    _start(people["admin"])
    groups = HumanTask.objects.open().values_list("candidate_group__name", flat=True)
    assert sorted(groups) == HEADS
    assert set(HumanTask.objects.values_list("element_id", flat=True)) == {
        "countersign_vote"
    }


def test_two_of_three_approvals_decide_and_cancel_the_third_vote(people) -> None:
    instance = _start(people["admin"])
    _vote(people["bbb_head"], "BBB.head", True)
    _vote(people["ccc_head"], "CCC.head", True)
    result = _result(instance)
    assert instance.status == "completed"
    assert result["countersign_approved"] is True
    assert [v["group"] for v in result["countersign_votes"]] == ["BBB.head", "CCC.head"]
    third = HumanTask.objects.get(candidate_group__name="AAA.head")
    assert third.status == HumanTask.Status.CANCELLED


def test_the_tally_counts_every_vote_not_only_the_last(people) -> None:
    """One refusal then two approvals: the last vote alone would say 1 approval."""
    instance = _start(people["admin"])
    _vote(people["aaa_head"], "AAA.head", False)
    _vote(people["bbb_head"], "BBB.head", True)
    instance.refresh_from_db()
    assert instance.status == "running"
    _vote(people["ccc_head"], "CCC.head", True)
    result = _result(instance)
    assert result["countersign_approved"] is True
    assert [v["approved"] for v in result["countersign_votes"]] == [False, True, True]


def test_stops_refused_once_the_required_approvals_are_out_of_reach(people) -> None:
    instance = _start(people["admin"])
    _vote(people["aaa_head"], "AAA.head", False)
    _vote(people["ccc_head"], "CCC.head", False)
    result = _result(instance)
    assert instance.status == "completed"
    assert result["countersign_approved"] is False
    assert not HumanTask.objects.open().exists()


def test_unanimity_waits_for_every_head(people) -> None:
    instance = _start(people["admin"], required=3)
    _vote(people["aaa_head"], "AAA.head", True)
    _vote(people["bbb_head"], "BBB.head", True)
    instance.refresh_from_db()
    assert instance.status == "running"
    _vote(people["ccc_head"], "CCC.head", True)
    assert _result(instance)["countersign_approved"] is True


def test_the_proposer_may_not_vote_even_in_a_voting_group(people) -> None:
    _start(people["admin"])
    task = HumanTask.objects.open().get(candidate_group__name="AAA.head")
    assert task.excluded_usernames == ["proposer"]
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_claim(actor=people["proposer"], task_id=task.pk)
