"""Publicity periods and repair rules per regime and grade."""

from __future__ import annotations

import pytest

from workflows.credit.policies import publicity_period, repair_rules
from workflows.errors import InvalidInputError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies")]


@pytest.mark.parametrize(
    ("regime", "grade", "published", "min_months", "max_months"),
    [
        ("ndrc_2025_36", "minor", False, 0, 3),
        ("ndrc_2025_36", "general", True, 3, 12),
        ("ndrc_2025_36", "serious", True, 12, 36),
        ("ndrc_2023_58", "general", True, 3, 12),
        ("ndrc_2023_58", "major", True, 3, 12),
        ("ndrc_2023_58", "serious", True, 12, 36),
        ("ndrc_2019_527", "general", True, 3, 12),
        ("ndrc_2019_527", "major", True, 3, 12),
        ("ndrc_2019_527", "serious", True, 6, 36),
    ],
)
def test_publicity_follows_the_regime_and_grade(
    regime: str, grade: str, published: bool, min_months: int, max_months: int
) -> None:
    period = publicity_period(regime, "shanghai", grade)
    assert (period.published, period.min_months, period.max_months) == (
        published,
        min_months,
        max_months,
    )
    assert period.counted_from == "decision"
    assert period.reference == "publicity_period@1"


@pytest.mark.parametrize("jurisdiction", ["national", "tianmen", "nowhere"])
def test_publicity_is_the_national_period_in_every_jurisdiction(
    jurisdiction: str,
) -> None:
    period = publicity_period("ndrc_2025_36", jurisdiction, "serious")
    assert (period.min_months, period.max_months) == (12, 36)


@pytest.mark.parametrize(
    ("regime", "grade"),
    [
        ("ndrc_2025_36", "major"),
        ("ndrc_2019_527", "minor"),
        ("ndrc_2031_1", "serious"),
    ],
)
def test_a_grade_outside_its_regimes_scale_is_refused_not_defaulted(
    regime: str, grade: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        publicity_period(regime, "national", grade)
    message = str(refused.value)
    assert "publicity_period@1" in message
    assert repr(regime) in message
    assert repr(grade) in message


@pytest.mark.parametrize(
    ("regime", "grade", "min_months"),
    [
        ("ndrc_2025_36", "minor", 0),
        ("ndrc_2025_36", "general", 3),
        ("ndrc_2025_36", "serious", 12),
        ("ndrc_2023_58", "general", 3),
        ("ndrc_2023_58", "major", 3),
        ("ndrc_2023_58", "serious", 12),
        ("ndrc_2019_527", "general", 3),
        ("ndrc_2019_527", "major", 3),
        ("ndrc_2019_527", "serious", 6),
    ],
)
def test_repair_waits_for_the_minimum_publicity_period(
    regime: str, grade: str, min_months: int
) -> None:
    rules = repair_rules(regime, "national", grade)
    assert rules.repairable is True
    assert rules.min_months == min_months
    assert rules.min_months == publicity_period(regime, "national", grade).min_months
    assert rules.reference == "repair_rules@1"


def test_the_2025_scheme_asks_for_a_commitment_and_answers_in_working_days() -> None:
    rules = repair_rules("ndrc_2025_36", "zhejiang", "general")
    assert rules.requires_commitment is True
    assert rules.requires_training is False
    assert rules.requires_credit_report is False
    assert (rules.acceptance_days, rules.answer_days) == (3, 10)


@pytest.mark.parametrize("regime", ["ndrc_2025_36", "ndrc_2023_58", "ndrc_2019_527"])
def test_there_is_no_national_repair_cap(regime: str) -> None:
    rules = repair_rules(regime, "national", "serious")
    assert (rules.max_repairs, rules.window_years) == (0, 0)
    assert rules.has_repair_cap is False


def test_an_unknown_grade_has_no_repair_rule() -> None:
    with pytest.raises(InvalidInputError, match="repair_rules@1 has no rule"):
        repair_rules("ndrc_2025_36", "national", "catastrophic")
