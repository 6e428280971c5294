"""New policy versions answer new questions; broken tables fail loudly."""

from __future__ import annotations

import pytest

from tests.credit.policies.conftest import Deploy, policy_text
from workflows.credit.policies import (
    list_validity,
    objection_time_limits,
    publicity_period,
    redlist_notice_days,
    repair_rules,
    statement_defence_days,
)
from workflows.engine.errors import EngineStepError
from workflows.errors import InvalidInputError, NotFoundError
from workflows.services.decisions import decide

pytestmark = pytest.mark.django_db

REDLIST_DEFAULT_CELL = '<outputEntry id="national__notice_days"><text>7</text>'

CAPPED_RULE = """<rule id="capped_somewhere">
        <description>A local cap: no repair after two repairs within five years.
        </description>
        <inputEntry id="capped_somewhere__regime"><text>"ndrc_2025_36"</text>
        </inputEntry>
        <inputEntry id="capped_somewhere__jurisdiction"><text>"capped"</text>
        </inputEntry>
        <inputEntry id="capped_somewhere__grade"><text></text></inputEntry>
        <outputEntry id="capped_somewhere__repairable"><text>True</text></outputEntry>
        <outputEntry id="capped_somewhere__min_months"><text>6</text></outputEntry>
        <outputEntry id="capped_somewhere__max_repairs"><text>2</text></outputEntry>
        <outputEntry id="capped_somewhere__window_years"><text>5</text></outputEntry>
        <outputEntry id="capped_somewhere__commitment"><text>True</text></outputEntry>
        <outputEntry id="capped_somewhere__training"><text>True</text></outputEntry>
        <outputEntry id="capped_somewhere__report"><text>True</text></outputEntry>
        <outputEntry id="capped_somewhere__acceptance"><text>3</text></outputEntry>
        <outputEntry id="capped_somewhere__answer"><text>10</text></outputEntry>
      </rule>
      <rule id="ndrc_2025_36_minor">"""


def changed(policy_id: str, old: str, new: str) -> str:
    text = policy_text(policy_id)
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.mark.usefixtures("policies")
def test_a_new_version_answers_new_questions_and_the_old_one_stays_available(
    deploy_policy: Deploy,
) -> None:
    assert redlist_notice_days("shanghai").reference == "redlist_notice_days@1"
    deploy_policy(
        "redlist_notice_days",
        changed(
            "redlist_notice_days",
            REDLIST_DEFAULT_CELL,
            REDLIST_DEFAULT_CELL.replace("7", "5"),
        ),
    )
    answer = redlist_notice_days("shanghai")
    assert (answer.value, answer.reference) == (5, "redlist_notice_days@2")
    old = decide("redlist_notice_days", {"jurisdiction": "shanghai"}, version=1)
    assert old.outputs == {"notice_days": 7}
    assert old.reference == "redlist_notice_days@1"


@pytest.mark.usefixtures("policies")
def test_redeploying_an_unchanged_table_keeps_its_version(
    deploy_policy: Deploy,
) -> None:
    result = deploy_policy("list_validity", policy_text("list_validity"))
    assert [(d.definition.version, d.created) for d in result.decisions] == [(1, False)]
    assert list_validity("red", "national").reference == "list_validity@1"


@pytest.mark.usefixtures("policies")
def test_a_local_repair_cap_is_a_setting_in_the_table(deploy_policy: Deploy) -> None:
    deploy_policy(
        "repair_rules",
        changed("repair_rules", '<rule id="ndrc_2025_36_minor">', CAPPED_RULE),
    )
    capped = repair_rules("ndrc_2025_36", "capped", "general")
    assert (capped.max_repairs, capped.window_years) == (2, 5)
    assert capped.has_repair_cap
    assert capped.requires_training
    assert capped.requires_credit_report
    assert capped.reference == "repair_rules@2"
    assert not repair_rules("ndrc_2025_36", "national", "general").has_repair_cap


def test_an_undeployed_policy_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="redlist_notice_days"):
        redlist_notice_days("national")


def test_a_table_without_a_matching_rule_is_refused(deploy_policy: Deploy) -> None:
    deploy_policy(
        "redlist_notice_days",
        changed(
            "redlist_notice_days",
            '<inputEntry id="national__jurisdiction"><text></text>',
            '<inputEntry id="national__jurisdiction"><text>"national"</text>',
        ),
    )
    assert redlist_notice_days("national").value == 7
    with pytest.raises(InvalidInputError) as refused:
        redlist_notice_days("shanghai")
    assert "redlist_notice_days@1 has no rule" in str(refused.value)
    assert "jurisdiction='shanghai'" in str(refused.value)


def test_an_empty_output_cell_is_refused_not_read_as_zero(
    deploy_policy: Deploy,
) -> None:
    deploy_policy(
        "statement_defence_days",
        changed(
            "statement_defence_days",
            '<outputEntry id="national_key_attention__days"><text>5</text>',
            '<outputEntry id="national_key_attention__days"><text></text>',
        ),
    )
    assert statement_defence_days("national", "serious_dishonesty").value == 5
    with pytest.raises(InvalidInputError) as refused:
        statement_defence_days("national", "key_attention")
    message = str(refused.value)
    assert "statement_defence_days@1 is misconfigured" in message
    assert "list_type='key_attention'" in message
    assert "output 'days' is ''" in message


def test_an_output_of_the_wrong_type_is_refused(deploy_policy: Deploy) -> None:
    deploy_policy(
        "publicity_period",
        changed(
            "publicity_period",
            '<outputEntry id="ndrc_2025_36_general__max_months"><text>12</text>',
            '<outputEntry id="ndrc_2025_36_general__max_months"><text>"12"</text>',
        ),
    )
    with pytest.raises(InvalidInputError, match="output 'max_months' is '12'"):
        publicity_period("ndrc_2025_36", "national", "general")


def test_a_minimum_above_the_maximum_is_refused(deploy_policy: Deploy) -> None:
    deploy_policy(
        "publicity_period",
        changed(
            "publicity_period",
            '<outputEntry id="ndrc_2025_36_serious__min_months"><text>12</text>',
            '<outputEntry id="ndrc_2025_36_serious__min_months"><text>48</text>',
        ),
    )
    with pytest.raises(InvalidInputError, match="minimum 48 months exceeds maximum"):
        publicity_period("ndrc_2025_36", "national", "serious")


def test_an_extension_without_an_approver_is_refused(deploy_policy: Deploy) -> None:
    deploy_policy(
        "objection_time_limits",
        changed(
            "objection_time_limits",
            '<outputEntry id="shenzhen__extension_approver"><text>"head"</text>',
            '<outputEntry id="shenzhen__extension_approver"><text>""</text>',
        ),
    )
    with pytest.raises(InvalidInputError, match="an extension needs an approver"):
        objection_time_limits("shenzhen", own_data=True)
    assert objection_time_limits("shanghai", own_data=True).decide_days == 5


def test_a_table_missing_an_output_column_is_refused(deploy_policy: Deploy) -> None:
    text = changed(
        "redlist_notice_days", 'name="notice_days"', 'name="notice_period_days"'
    )
    deploy_policy("redlist_notice_days", text)
    with pytest.raises(InvalidInputError, match="has no output 'notice_days'"):
        redlist_notice_days("national")


@pytest.mark.usefixtures("policies")
def test_an_engine_failure_is_reported_as_a_misconfigured_policy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*args: object, **kwargs: object) -> dict[str, object]:
        raise EngineStepError("name 'notice' is not defined", element_id="x")

    monkeypatch.setattr("workflows.services.decisions.evaluate_decision", fail)
    with pytest.raises(InvalidInputError) as refused:
        redlist_notice_days("national")
    assert "policy redlist_notice_days failed for jurisdiction='national'" in str(
        refused.value
    )
