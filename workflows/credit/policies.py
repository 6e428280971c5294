"""Typed answers from the credit policies deployed as DMN tables in ``bpmn/``.

Every figure that differs by jurisdiction or regime lives in a decision table, never
here. These wrappers ask the newest deployed version, check that the table really
answered (a misconfigured table must fail loudly rather than yield 0) and return the
answer with the ``id@version`` reference a case records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from workflows.engine.errors import EngineStepError
from workflows.errors import InvalidInputError
from workflows.services.decisions import Decision, decide

T = TypeVar("T")

CountedFrom = Literal["decision", "publication"]
ExtensionApprover = Literal["head", ""]

OBJECTION_TIME_LIMITS = "objection_time_limits"
OBJECTION_MEASURES_SUSPENSION = "objection_measures_suspension"
PUBLICITY_PERIOD = "publicity_period"
REPAIR_RULES = "repair_rules"
REDLIST_NOTICE_DAYS = "redlist_notice_days"
STATEMENT_DEFENCE_DAYS = "statement_defence_days"
LIST_VALIDITY = "list_validity"

POLICY_IDS = (
    OBJECTION_TIME_LIMITS,
    OBJECTION_MEASURES_SUSPENSION,
    PUBLICITY_PERIOD,
    REPAIR_RULES,
    REDLIST_NOTICE_DAYS,
    STATEMENT_DEFENCE_DAYS,
    LIST_VALIDITY,
)


@dataclass(frozen=True)
class PolicyAnswer(Generic[T]):
    """A single-valued policy answer and the table version that gave it."""

    value: T
    reference: str


@dataclass(frozen=True)
class ObjectionTimeLimits:
    """Time limits of an objection case, all in working days."""

    mark_days: int
    formal_check_days: int
    forward_days: int
    verify_days: int
    extension_days: int
    extension_approver: ExtensionApprover
    decide_days: int
    supplement_days: int
    appeal_days: int
    reference: str

    @property
    def extension_allowed(self) -> bool:
        return self.extension_days > 0


@dataclass(frozen=True)
class PublicityPeriod:
    """How long a record of a grade is published, in months."""

    published: bool
    min_months: int
    max_months: int
    counted_from: CountedFrom
    reference: str


@dataclass(frozen=True)
class RepairRules:
    """Whether and when a record can be repaired, and what the applicant supplies."""

    repairable: bool
    min_months: int
    max_repairs: int
    window_years: int
    requires_commitment: bool
    requires_training: bool
    requires_credit_report: bool
    acceptance_days: int
    answer_days: int
    reference: str

    @property
    def has_repair_cap(self) -> bool:
        return self.max_repairs > 0 and self.window_years > 0


@dataclass(frozen=True)
class ListValidity:
    """Validity of a list entry and the minimum time listed before early exit."""

    validity_months: int
    min_months_before_repair: int
    reference: str


def _describe(inputs: Mapping[str, object]) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in inputs.items())


class _Answer:
    """The outputs of one evaluation, read with type checks that name the policy."""

    def __init__(self, decision: Decision, inputs: Mapping[str, object]) -> None:
        self.outputs = decision.outputs
        self.reference = decision.reference
        self.inputs = inputs

    def _refuse(self, problem: str) -> InvalidInputError:
        return InvalidInputError(
            f"policy {self.reference} is misconfigured for {_describe(self.inputs)}",
            [problem],
        )

    def _get(self, name: str) -> object:
        if name not in self.outputs:
            raise self._refuse(f"the table has no output {name!r}")
        return self.outputs[name]

    def integer(self, name: str) -> int:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self._refuse(
                f"output {name!r} is {value!r}, not a whole number of 0 or more"
            )
        return value

    def flag(self, name: str) -> bool:
        value = self._get(name)
        if not isinstance(value, bool):
            raise self._refuse(f"output {name!r} is {value!r}, not True or False")
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        value = self._get(name)
        if not isinstance(value, str) or value not in allowed:
            raise self._refuse(f"output {name!r} is {value!r}, not one of {allowed!r}")
        return value

    def check(self, condition: bool, problem: str) -> None:
        if not condition:
            raise self._refuse(problem)


def _ask(policy_id: str, inputs: Mapping[str, object]) -> _Answer:
    try:
        decision = decide(policy_id, inputs)
    except EngineStepError as exc:
        raise InvalidInputError(
            f"policy {policy_id} failed for {_describe(inputs)}", [str(exc)]
        ) from exc
    if not decision.outputs:
        raise InvalidInputError(
            f"policy {decision.reference} has no rule for {_describe(inputs)}",
            ["add a rule (or a catch-all rule) that matches these inputs"],
        )
    return _Answer(decision, inputs)


def _code(value: str) -> str:
    """Spell a jurisdiction as the tables do; an unmatched code gets the default."""
    return value.strip().lower()


def objection_time_limits(jurisdiction: str, *, own_data: bool) -> ObjectionTimeLimits:
    """Return an objection's time limits in a jurisdiction."""
    answer = _ask(
        OBJECTION_TIME_LIMITS,
        {"jurisdiction": _code(jurisdiction), "own_data": own_data},
    )
    limits = ObjectionTimeLimits(
        mark_days=answer.integer("mark_days"),
        formal_check_days=answer.integer("formal_check_days"),
        forward_days=answer.integer("forward_days"),
        verify_days=answer.integer("verify_days"),
        extension_days=answer.integer("extension_days"),
        extension_approver=_approver(answer),
        decide_days=answer.integer("decide_days"),
        supplement_days=answer.integer("supplement_days"),
        appeal_days=answer.integer("appeal_days"),
        reference=answer.reference,
    )
    answer.check(
        (limits.extension_days > 0) == (limits.extension_approver == "head"),
        "an extension needs an approver ('head') and an approver needs an extension",
    )
    return limits


def _approver(answer: _Answer) -> ExtensionApprover:
    value = answer.choice("extension_approver", ("head", ""))
    return "head" if value == "head" else ""


def measures_suspended_during_objection(jurisdiction: str) -> PolicyAnswer[bool]:
    """Say whether joint punishment is suspended while an objection is verified."""
    answer = _ask(OBJECTION_MEASURES_SUSPENSION, {"jurisdiction": _code(jurisdiction)})
    return PolicyAnswer(answer.flag("suspend_measures"), answer.reference)


def publicity_period(regime: str, jurisdiction: str, grade: str) -> PublicityPeriod:
    """Return how long a record of a grade is published under a regime."""
    answer = _ask(
        PUBLICITY_PERIOD,
        {"regime": regime, "jurisdiction": _code(jurisdiction), "grade": grade},
    )
    start = answer.choice("counted_from", ("decision", "publication"))
    counted_from: CountedFrom = "decision" if start == "decision" else "publication"
    period = PublicityPeriod(
        published=answer.flag("published"),
        min_months=answer.integer("min_months"),
        max_months=answer.integer("max_months"),
        counted_from=counted_from,
        reference=answer.reference,
    )
    answer.check(
        period.min_months <= period.max_months,
        f"minimum {period.min_months} months exceeds maximum {period.max_months}",
    )
    return period


def repair_rules(regime: str, jurisdiction: str, grade: str) -> RepairRules:
    """Return the repair conditions for a record of a grade under a regime."""
    answer = _ask(
        REPAIR_RULES,
        {"regime": regime, "jurisdiction": _code(jurisdiction), "grade": grade},
    )
    rules = RepairRules(
        repairable=answer.flag("repairable"),
        min_months=answer.integer("min_months"),
        max_repairs=answer.integer("max_repairs"),
        window_years=answer.integer("window_years"),
        requires_commitment=answer.flag("requires_commitment"),
        requires_training=answer.flag("requires_training"),
        requires_credit_report=answer.flag("requires_credit_report"),
        acceptance_days=answer.integer("acceptance_days"),
        answer_days=answer.integer("answer_days"),
        reference=answer.reference,
    )
    answer.check(
        (rules.max_repairs == 0) == (rules.window_years == 0),
        "a repair cap needs both max_repairs and window_years (or neither)",
    )
    return rules


def redlist_notice_days(jurisdiction: str) -> PolicyAnswer[int]:
    """Return the red-list public notice period in working days."""
    answer = _ask(REDLIST_NOTICE_DAYS, {"jurisdiction": _code(jurisdiction)})
    days = answer.integer("notice_days")
    answer.check(days > 0, "a public notice period of 0 days leaves no time to object")
    return PolicyAnswer(days, answer.reference)


def statement_defence_days(jurisdiction: str, list_type: str) -> PolicyAnswer[int]:
    """Return the statement-and-defence window before a listing, in working days."""
    answer = _ask(
        STATEMENT_DEFENCE_DAYS,
        {"jurisdiction": _code(jurisdiction), "list_type": list_type},
    )
    days = answer.integer("days")
    answer.check(days > 0, "a window of 0 days takes away the right to be heard")
    return PolicyAnswer(days, answer.reference)


def list_validity(list_type: str, jurisdiction: str) -> ListValidity:
    """Return how long a list entry is valid and when it can be repaired away."""
    answer = _ask(
        LIST_VALIDITY, {"list_type": list_type, "jurisdiction": _code(jurisdiction)}
    )
    validity = ListValidity(
        validity_months=answer.integer("validity_months"),
        min_months_before_repair=answer.integer("min_months_before_repair"),
        reference=answer.reference,
    )
    answer.check(
        validity.validity_months > 0,
        "a list entry valid for 0 months would expire as it is made",
    )
    answer.check(
        validity.min_months_before_repair <= validity.validity_months,
        "the minimum before repair exceeds the validity",
    )
    return validity
