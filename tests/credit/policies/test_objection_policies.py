"""Objection time limits and measure suspension, per jurisdiction."""

from __future__ import annotations

import pytest

from workflows.credit.policies import (
    ObjectionTimeLimits,
    measures_suspended_during_objection,
    objection_time_limits,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies")]

FIELDS = (
    "mark_days",
    "formal_check_days",
    "forward_days",
    "verify_days",
    "extension_days",
    "extension_approver",
    "decide_days",
    "supplement_days",
    "appeal_days",
)
NATIONAL_OWN = (1, 3, 0, 5, 0, "", 5, 5, 15)
NATIONAL_OTHER = (1, 3, 2, 5, 0, "", 7, 5, 15)
SHENZHEN = (0, 1, 0, 2, 3, "head", 2, 5, 15)


def figures(limits: ObjectionTimeLimits) -> tuple[object, ...]:
    return tuple(getattr(limits, name) for name in FIELDS)


@pytest.mark.parametrize(
    ("jurisdiction", "own_data", "expected"),
    [
        # Shanghai 2017 Art. 36: mark 1, own data 5, forward 2, source dept 5.
        ("shanghai", True, (1, 3, 0, 5, 0, "", 5, 5, 15)),
        ("shanghai", False, (1, 3, 2, 5, 0, "", 7, 5, 15)),
        # Shenzhen 2023 Arts. 48-52: on acceptance, check 1, at once, 2, +3 by head.
        ("shenzhen", True, SHENZHEN),
        ("shenzhen", False, SHENZHEN),
        # Shandong 2020 Art. 39: 3 own / 7 other units.
        ("shandong", True, (1, 3, 0, 3, 0, "", 3, 5, 15)),
        ("shandong", False, (1, 3, 2, 5, 0, "", 7, 5, 15)),
        # Henan 2019 Art. 41: mark on receipt, 3 / 7, verify 3.
        ("henan", True, (0, 3, 0, 3, 0, "", 3, 5, 15)),
        ("henan", False, (0, 3, 2, 3, 0, "", 7, 5, 15)),
        # Zhejiang 2017 Arts. 30-31: 5, extensions up to 20 cumulative.
        ("zhejiang", True, (1, 3, 0, 5, 20, "head", 5, 5, 15)),
        ("zhejiang", False, (1, 3, 2, 3, 20, "head", 5, 5, 15)),
        ("national", True, NATIONAL_OWN),
        ("national", False, NATIONAL_OTHER),
    ],
)
def test_each_jurisdiction_answers_with_its_own_figures(
    jurisdiction: str, own_data: bool, expected: tuple[object, ...]
) -> None:
    limits = objection_time_limits(jurisdiction, own_data=own_data)
    assert figures(limits) == expected
    assert limits.reference == "objection_time_limits@1"


@pytest.mark.parametrize("jurisdiction", ["zhangjiagang", "dalian", "tianmen", "mars"])
def test_a_jurisdiction_without_figures_gets_the_national_defaults(
    jurisdiction: str,
) -> None:
    assert figures(objection_time_limits(jurisdiction, own_data=True)) == NATIONAL_OWN
    other = objection_time_limits(jurisdiction, own_data=False)
    assert figures(other) == NATIONAL_OTHER


def test_nanshan_follows_shenzhen_as_one_of_its_districts() -> None:
    assert figures(objection_time_limits("nanshan", own_data=False)) == SHENZHEN


def test_codes_are_read_case_and_space_insensitively() -> None:
    limits = objection_time_limits("  Shenzhen ", own_data=True)
    assert figures(limits) == SHENZHEN


def test_only_rules_that_provide_an_extension_allow_one() -> None:
    assert objection_time_limits("shenzhen", own_data=False).extension_allowed
    assert not objection_time_limits("shanghai", own_data=False).extension_allowed


def test_forwarding_and_verification_fit_into_the_answer_time() -> None:
    for code in ("national", "shanghai", "shenzhen", "shandong", "henan", "zhejiang"):
        limits = objection_time_limits(code, own_data=False)
        assert limits.forward_days + limits.verify_days <= limits.decide_days, code
        own = objection_time_limits(code, own_data=True)
        assert own.forward_days == 0, code
        assert own.verify_days == own.decide_days, code


def test_tianmen_suspends_joint_punishment_while_an_objection_is_verified() -> None:
    answer = measures_suspended_during_objection("tianmen")
    assert answer.value is True
    assert answer.reference == "objection_measures_suspension@1"


@pytest.mark.parametrize(
    "jurisdiction", ["national", "shanghai", "shenzhen", "dalian", "unknown"]
)
def test_elsewhere_measures_stay_in_force_during_verification(
    jurisdiction: str,
) -> None:
    assert measures_suspended_during_objection(jurisdiction).value is False
