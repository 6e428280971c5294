"""One way in for every case: file a case of a kind, or act on one.

The web app, the API and ``manage.py case`` all call ``case_file`` and
``case_act``; each kind of case registers its filer and its parties' actions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from workflows.credit.models import Case
from workflows.credit.numbering import next_number
from workflows.errors import InvalidInputError, NotFoundError
from workflows.policies import require_may_act

# filer(actor=..., data=...) -> Case;  action(actor=..., case=..., data=...) -> Case
Filer = Callable[..., Case]
Action = Callable[..., Case]
_FILERS: dict[str, Filer] = {}
_ACTIONS: dict[str, Action] = {}


def filer(kind: str) -> Callable[[Filer], Filer]:
    """Register the function that files cases of ``kind`` (e.g. "objection")."""

    def register(fn: Filer) -> Filer:
        if kind in _FILERS:
            raise ValueError(f"a filer for {kind!r} is registered twice")
        _FILERS[kind] = fn
        return fn

    return register


def action(name: str) -> Callable[[Action], Action]:
    """Register an action a party takes on an open case (e.g. "supplement")."""

    def register(fn: Action) -> Action:
        if name in _ACTIONS:
            raise ValueError(f"an action {name!r} is registered twice")
        _ACTIONS[name] = fn
        return fn

    return register


def case_kinds() -> list[str]:
    return sorted(_FILERS)


def case_actions() -> list[str]:
    return sorted(_ACTIONS)


def case_file(*, actor: User, kind: str, data: Mapping[str, Any]) -> Case:
    """File a case of a kind; the kind's filer validates, numbers and starts it."""
    require_may_act(actor, "file cases")
    try:
        fn = _FILERS[kind]
    except KeyError:
        raise InvalidInputError(
            f"unknown case kind {kind!r}", [f"known: {', '.join(case_kinds())}"]
        ) from None
    return fn(actor=actor, data=data)


def case_act(*, actor: User, name: str, number: str, data: Mapping[str, Any]) -> Case:
    """Take a named action on the case with this number."""
    require_may_act(actor, "act on cases")
    try:
        fn = _ACTIONS[name]
    except KeyError:
        raise InvalidInputError(
            f"unknown action {name!r}", [f"known: {', '.join(case_actions())}"]
        ) from None
    case = Case.objects.filter(number=number).select_related("subject").first()
    if case is None:
        raise NotFoundError(f"no case {number}")
    return fn(actor=actor, case=case, data=data)


def case_submitted(case_type: str, **fields: Any) -> Case:
    """Create a submitted case with the next number of its type and year."""
    now = timezone.now()
    return Case.objects.create(
        case_type=case_type,
        number=next_number(case_type, timezone.localtime(now).year),
        status=Case.Status.SUBMITTED,
        submitted_at=now,
        **fields,
    )
