"""Red-list notice, statement-and-defence window and list validity."""

from __future__ import annotations

import pytest

from workflows.credit.policies import (
    list_validity,
    redlist_notice_days,
    statement_defence_days,
)
from workflows.errors import InvalidInputError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies")]


@pytest.mark.parametrize(
    "jurisdiction", ["national", "tianmen", "shenzhen", "elsewhere"]
)
def test_red_list_nominations_are_on_public_notice_for_seven_working_days(
    jurisdiction: str,
) -> None:
    answer = redlist_notice_days(jurisdiction)
    assert answer.value == 7
    assert answer.reference == "redlist_notice_days@1"


@pytest.mark.parametrize("list_type", ["serious_dishonesty", "key_attention"])
def test_the_subject_has_five_working_days_to_state_and_defend(list_type: str) -> None:
    answer = statement_defence_days("dalian", list_type)
    assert answer.value == 5
    assert answer.reference == "statement_defence_days@1"


def test_the_red_list_has_no_statement_and_defence_window() -> None:
    with pytest.raises(InvalidInputError, match="statement_defence_days@1"):
        statement_defence_days("national", "red")


@pytest.mark.parametrize(
    ("list_type", "validity_months", "min_months_before_repair"),
    [
        ("serious_dishonesty", 36, 12),
        ("key_attention", 12, 3),
        ("red", 36, 0),
    ],
)
def test_each_list_type_has_its_validity(
    list_type: str, validity_months: int, min_months_before_repair: int
) -> None:
    validity = list_validity(list_type, "zhangjiagang")
    assert validity.validity_months == validity_months
    assert validity.min_months_before_repair == min_months_before_repair
    assert validity.reference == "list_validity@1"


def test_an_unknown_list_type_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="list_type='grey'"):
        list_validity("grey", "national")
