"""The policy files in ``bpmn/``: one decision each, named after it, documented."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.credit.policies.conftest import POLICY_DIR
from workflows.credit.policies import POLICY_IDS
from workflows.services.deploy import DeployResult

DMN = {"dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/"}
CATCH_ALL = {
    "objection_time_limits",
    "objection_measures_suspension",
    "redlist_notice_days",
}


def tree(policy_id: str) -> etree._Element:
    return etree.parse(str(POLICY_DIR / f"{policy_id}.dmn")).getroot()


@pytest.mark.parametrize("policy_id", POLICY_IDS)
def test_each_file_holds_one_documented_decision_named_after_it(
    policy_id: str,
) -> None:
    root = tree(policy_id)
    decisions = root.findall("dmn:decision", DMN)
    assert [d.get("id") for d in decisions] == [policy_id]
    name = decisions[0].get("name", "")
    assert any("\u4e00" <= c <= "\u9fff" for c in name), name
    assert any(c.isascii() and c.isalpha() for c in name), name
    rules = root.findall(".//dmn:rule", DMN)
    assert rules
    for rule in rules:
        description = rule.findtext("dmn:description", "", DMN)
        assert description.strip(), rule.get("id")


@pytest.mark.parametrize("policy_id", sorted(CATCH_ALL))
def test_tables_with_a_national_default_end_with_a_catch_all_rule(
    policy_id: str,
) -> None:
    last = tree(policy_id).findall(".//dmn:rule", DMN)[-1]
    cells = [
        e.findtext("dmn:text", "", DMN) for e in last.findall("dmn:inputEntry", DMN)
    ]
    assert cells == [""] * len(cells)


@pytest.mark.django_db
def test_every_policy_deploys_as_version_one(policies: DeployResult) -> None:
    deployed = {
        (d.definition.decision_id, d.definition.version) for d in policies.decisions
    }
    assert deployed == {(policy_id, 1) for policy_id in POLICY_IDS}
    assert all(
        d.definition.file_name == f"{d.definition.decision_id}.dmn"
        for d in policies.decisions
    )
