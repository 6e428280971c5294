"""Claiming from the inbox (one, or many at once) and handing tasks on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from tests.credit.processes.conftest import World, work
from tests.credit.processes.test_redlist_support import clean_subject, nominate
from tests.webapp.inbox.conftest import file_objection, new_record, signed_in
from workflows.credit.services.departments import membership_grant
from workflows.models import HumanTask
from workflows.services.tasks import task_claim, task_delegate

BULK = reverse("inbox:bulk_claim")


def formal_check(world: World) -> HumanTask:
    case = file_objection(world, new_record(world))
    return HumanTask.objects.get(case_number=case.number, element_id="formal_check")


def fresh(task: HumanTask) -> HumanTask:
    return HumanTask.objects.select_related("assignee", "owner").get(pk=task.pk)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_bulk_claim_claims_each_task_on_its_own_and_says_what_became_of_each(
    world: World, frozen: Any
) -> None:
    """scj_head also clerks for the credit office, but nominated the red-list case,
    so separation of duties keeps that one from them; a colleague came first on two."""
    head = world["scj_head"]
    membership_grant(
        actor=None, user=head, department=world.departments["XYB"], role="clerk"
    )
    head = User.objects.get(pk=head.pk)
    free, taken, done = (formal_check(world) for _ in range(3))
    nomination = nominate(world, clean_subject(world))
    own = HumanTask.objects.get(
        case_number=nomination.number, element_id="review_nomination"
    )
    colleague = world["xyb_clerk"]
    task_claim(actor=colleague, task_id=taken.pk)
    work(colleague, done.case_number, "formal_check", {"formal_check_result": "accept"})

    ticked = [free, taken, done, own]
    response = signed_in(head).post(
        BULK,
        {"task": [str(t.pk) for t in ticked], "back": "tab=queue"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("inbox:list") + "?tab=queue"
    said = messages_of(response)
    assert said[0] == f"{free.case_number} · {free.name}: Claimed."
    assert said[1] == f"{taken.case_number} · {taken.name}: Already taken by xyb_clerk."
    assert said[2].startswith(
        f"{done.case_number} · {done.name}: Already completed by xyb_clerk at "
    )
    assert said[3].startswith(f"{own.case_number} · {own.name}: Not allowed: ")
    assert "separation of duties" in said[3]
    assert fresh(free).assignee == head
    assert fresh(taken).assignee == colleague
    assert fresh(own).assignee is None
    html = response.content.decode()
    assert "alert alert-success" in html
    assert "alert alert-warning" in html


def test_a_bulk_claim_over_htmx_answers_with_the_refreshed_results(
    world: World, frozen: Any
) -> None:
    tasks = [formal_check(world) for _ in range(2)]
    response = signed_in(world["xyb_clerk"]).post(
        BULK,
        {"task": [str(t.pk) for t in tasks], "back": "tab=queue"},
        headers={"HX-Request": "true", "HX-Target": "inbox-results"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="inbox-results"')
    assert 'data-count="mine">2<' in html
    assert 'data-count="queue">0<' in html
    assert html.count(": Claimed.") == 2  # in the out-of-band messages
    assert all(fresh(t).assignee == world["xyb_clerk"] for t in tasks)


def test_claiming_nothing_or_a_made_up_id_is_explained(
    world: World, frozen: Any
) -> None:
    client = signed_in(world["xyb_clerk"])
    none = client.post(BULK, {"back": "tab=queue"}, follow=True)
    assert messages_of(none) == ["Tick at least one task."]
    made_up = client.post(BULK, {"task": ["not-a-task"]}, follow=True)
    assert messages_of(made_up) == ["not-a-task: Not found."]


def test_a_task_of_another_department_cannot_be_claimed_and_leaks_nothing(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    response = signed_in(world["swj_reviewer"]).post(
        BULK, {"task": [str(task.pk)]}, follow=True
    )
    assert messages_of(response) == [f"{task.pk}: Not found."]
    assert fresh(task).assignee is None


def test_claim_then_put_back_from_the_task_page(world: World, frozen: Any) -> None:
    task = formal_check(world)
    clerk = world["xyb_clerk"]
    client = signed_in(clerk)
    claimed = client.post(reverse("inbox:claim", args=[task.pk]), follow=True)
    assert messages_of(claimed) == ["You claimed this task."]
    assert fresh(task).assignee == clerk
    back = client.post(reverse("inbox:unclaim", args=[task.pk]), follow=True)
    assert messages_of(back) == ["The task is back in the group queue."]
    assert fresh(task).assignee is None


def test_claiming_a_task_someone_took_meanwhile_says_who_has_it(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    rival = User.objects.create_user("xyb_clerk_2")
    membership_grant(
        actor=None, user=rival, department=world.departments["XYB"], role="clerk"
    )
    task_claim(actor=rival, task_id=task.pk)
    response = signed_in(world["xyb_clerk"]).post(
        reverse("inbox:claim", args=[task.pk]), follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == ["Already taken by xyb_clerk_2."]


def test_delegate_to_a_colleague_of_the_group_who_gives_it_back(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    owner, helper = world["xyb_clerk"], User.objects.create_user("xyb_clerk_2")
    membership_grant(
        actor=None, user=helper, department=world.departments["XYB"], role="clerk"
    )
    outsider = world["swj_reviewer"]
    task_claim(actor=owner, task_id=task.pk)
    client = signed_in(owner)
    page = client.get(reverse("inbox:task", args=[task.pk])).content.decode()
    assert '<option value="xyb_clerk_2">' in page
    assert "swj_reviewer" not in page

    refused = client.post(
        reverse("inbox:delegate", args=[task.pk]),
        {"to_user": outsider.username},
        follow=True,
    )
    assert messages_of(refused) == ["Choose a colleague from the list."]
    delegated = client.post(
        reverse("inbox:delegate", args=[task.pk]),
        {"to_user": "xyb_clerk_2"},
        follow=True,
    )
    assert messages_of(delegated) == ["Delegated to xyb_clerk_2."]
    assert (fresh(task).assignee, fresh(task).owner) == (helper, owner)

    # The helper cannot complete it, only give it back with their work as a draft.
    helper_page = signed_in(helper).get(reverse("inbox:task", args=[task.pk]))
    html = helper_page.content.decode()
    assert "Give back to the owner" in html
    assert 'id="complete-task"' not in html
    given = signed_in(helper).post(
        reverse("inbox:resolve", args=[task.pk]),
        {"formal_check_result": "accept"},
        follow=True,
    )
    assert messages_of(given) == ["Task given back to its owner."]
    back = fresh(task)
    assert back.assignee == owner
    assert back.draft == {"formal_check_result": "accept"}


def test_only_the_holder_may_delegate(world: World, frozen: Any) -> None:
    task = formal_check(world)
    rival = User.objects.create_user("xyb_clerk_2")
    membership_grant(
        actor=None, user=rival, department=world.departments["XYB"], role="clerk"
    )
    task_claim(actor=world["xyb_clerk"], task_id=task.pk)
    response = signed_in(rival).post(
        reverse("inbox:delegate", args=[task.pk]),
        {"to_user": "xyb_clerk_2"},
        follow=True,
    )
    assert messages_of(response)[0].startswith("Not allowed: ")
    assert fresh(task).assignee == world["xyb_clerk"]


def test_reassigning_is_for_section_chiefs(world: World, frozen: Any) -> None:
    case = file_objection(world, new_record(world))
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    task = HumanTask.objects.get(
        case_number=case.number, element_id="verify_by_source_department"
    )
    reviewer, chief = world["scj_reviewer"], world["scj_section_chief"]
    second = User.objects.create_user("scj_reviewer_2")
    membership_grant(
        actor=None, user=second, department=world.departments["SCJ"], role="reviewer"
    )
    task_claim(actor=reviewer, task_id=task.pk)
    url = reverse("inbox:reassign", args=[task.pk])

    # A reviewer sees no reassign form, and a forged post is refused by role (403).
    page = signed_in(reviewer).get(reverse("inbox:task", args=[task.pk]))
    assert 'id="reassign-to"' not in page.content.decode()
    forged = signed_in(reviewer).post(url, {"to_user": "scj_reviewer_2"})
    assert forged.status_code == 403
    assert fresh(task).assignee == reviewer

    chief_page = signed_in(chief).get(reverse("inbox:task", args=[task.pk]))
    assert 'id="reassign-to"' in chief_page.content.decode()
    moved = signed_in(chief).post(url, {"to_user": "scj_reviewer_2"}, follow=True)
    assert messages_of(moved) == ["Reassigned to scj_reviewer_2."]
    assert fresh(task).assignee == second


def test_a_delegated_task_cannot_be_delegated_again_by_its_helper(
    world: World, frozen: Any
) -> None:
    task = formal_check(world)
    helper = User.objects.create_user("xyb_clerk_2")
    membership_grant(
        actor=None, user=helper, department=world.departments["XYB"], role="clerk"
    )
    task_claim(actor=world["xyb_clerk"], task_id=task.pk)
    task_delegate(actor=world["xyb_clerk"], task_id=task.pk, to_user="xyb_clerk_2")
    page = signed_in(helper).get(reverse("inbox:task", args=[task.pk]))
    assert 'id="delegate-to"' not in page.content.decode()
