"""Factories and fixtures for the runtime's service tests.

Models live in tests/workflows/bpmn/ (invalid ones in invalid/). Tests drive them
only through the services, as the web app and the CLI do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from factory.declarations import PostGeneration, Sequence
from factory.django import DjangoModelFactory

from audit.context import bind
from audit.models import AuditEvent
from workflows import operations
from workflows.engine.parsing import SourceFile
from workflows.models import HumanTask, ProcessInstance
from workflows.operations import OperationContext
from workflows.services.deploy import DeployResult, definition_deploy
from workflows.services.instances import process_start

BPMN_DIR = Path(__file__).resolve().parent.parent / "bpmn"
# A Monday morning, Beijing time; timers are checked against this frozen clock.
CLOCK_START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def model_file(name: str) -> SourceFile:
    """Read a test model from tests/workflows/bpmn/ (``invalid/x.bpmn`` works too)."""
    path = BPMN_DIR / name
    return SourceFile(path.name, path.read_bytes())


def line_of(name: str, marker: str) -> int:
    """Return the 1-based line of the first line of a test model containing marker."""
    lines = (BPMN_DIR / name).read_text().splitlines()
    return next(n for n, text in enumerate(lines, start=1) if marker in text)


def grant(user: User, *perms: str) -> User:
    """Give a user model permissions ("workflows.start_process") and reload it."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)


class GroupFactory(DjangoModelFactory[Group]):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = Sequence(lambda n: f"group-{n}")


def _join_groups(user: User, create: bool, names: list[str] | None, **_: Any) -> None:
    for name in names or []:
        user.groups.add(GroupFactory.create(name=name))


class UserFactory(DjangoModelFactory[User]):
    """Users; ``groups=["reviewers"]`` makes them members (groups created if new)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"user-{n}")
    groups = PostGeneration(_join_groups)


def last_audit_seq() -> int:
    return (
        AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    )


def audit_actions_since(seq: int) -> Counter[str]:
    """Count audit events by action appended after ``seq``."""
    return Counter(
        AuditEvent.objects.filter(seq__gt=seq).values_list("action", flat=True)
    )


@contextmanager
def audited(*expected: str) -> Iterator[None]:
    """Assert the block appends exactly these audit events (by action, any order).

    Notices to the people a new task waits for are audited as notification.send
    events of their own; they are side effects, not the operation's event.
    """
    before = last_audit_seq()
    yield
    actions = audit_actions_since(before)
    del actions["notification.send"]
    assert actions == Counter(expected)


def open_task(instance: ProcessInstance, element_id: str) -> HumanTask:
    """Return the single open inbox row of an element in an instance."""
    return HumanTask.objects.open().get(instance=instance, element_id=element_id)


@pytest.fixture(autouse=True)
def _audit_context() -> Iterator[None]:
    with bind(via="test", request_id="service-test"):
        yield


@pytest.fixture
def operator(db: None) -> Any:
    """A process administrator: superuser, so also a system administrator."""
    return User.objects.create_superuser("operator", password=None)


@pytest.fixture
def reviewer(db: None) -> Any:
    """A member of the reviewers group who may start processes."""
    return grant(
        UserFactory.create(username="reviewer-li", groups=["reviewers"]),
        "workflows.start_process",
    )


@pytest.fixture
def colleague(db: None) -> Any:
    """Another member of the reviewers group."""
    return UserFactory.create(username="reviewer-wang", groups=["reviewers"])


@pytest.fixture
def outsider(db: None) -> Any:
    """A user in no group and without permissions."""
    return UserFactory.create(username="outsider-zhao")


@pytest.fixture
def chief(db: None) -> Any:
    """A section chief: may reassign tasks."""
    return grant(
        UserFactory.create(username="chief-chen", groups=["section_chiefs"]),
        "workflows.reassign_task",
    )


@pytest.fixture
def deploy(operator: Any) -> Callable[..., DeployResult]:
    """Deploy test models by file name, as the process administrator."""

    def run(*names: str, create_groups: bool = True) -> DeployResult:
        return definition_deploy(
            actor=operator,
            files=[model_file(f"{n}.bpmn") for n in names],
            create_groups=create_groups,
        )

    return run


@pytest.fixture
def start(operator: Any) -> Callable[..., ProcessInstance]:
    """Start a deployed process; the operator starts it unless an actor is given."""

    def run(
        process_id: str, key: str, data: dict[str, Any] | None = None, actor: Any = None
    ) -> ProcessInstance:
        return process_start(
            actor=actor or operator,
            process_id=process_id,
            business_key=key,
            data=data or {},
        )

    return run


@pytest.fixture
def clock(time_machine: Any) -> Any:
    """Freeze the clock at CLOCK_START; shift it with ``clock.shift(timedelta)``."""
    time_machine.move_to(CLOCK_START, tick=False)
    return time_machine


class Registry:
    """A stand-in for an outside registry the test switches off and on."""

    def __init__(self) -> None:
        self.online = False
        self.calls: list[str] = []

    def lookup(self, context: OperationContext, *, subject_code: str) -> dict[str, Any]:
        self.calls.append(subject_code)
        if not self.online:
            raise ConnectionError("credit registry is unreachable")
        return {"subject_code": subject_code, "listed": False}


@pytest.fixture
def registry() -> Iterator[Registry]:
    """Register the test-only operation ``registry_lookup_for_tests`` for one test."""
    stand_in = Registry()
    operations.operation("registry_lookup_for_tests")(stand_in.lookup)
    try:
        yield stand_in
    finally:
        # The registry has no public way to forget an operation; tests need one.
        operations._REGISTRY.pop("registry_lookup_for_tests", None)
