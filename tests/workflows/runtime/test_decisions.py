"""Policies as DMN: deployed on their own, versioned, evaluated in the sandbox."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from workflows.engine.errors import EngineStepError
from workflows.engine.parsing import SourceFile
from workflows.errors import InvalidInputError, NotFoundError
from workflows.models import DecisionDefinition
from workflows.services.decisions import decide
from workflows.services.deploy import definition_deploy

pytestmark = pytest.mark.django_db

TABLE = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="d"
  namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="verify_days" name="Verification days">
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="i1" label="Jurisdiction">
        <inputExpression id="e1" typeRef="string">
          <text>jurisdiction</text>
        </inputExpression>
      </input>
      <output id="o1" name="days" typeRef="integer" />
      <rule id="r1">
        <inputEntry id="r1i"><text>"shenzhen"</text></inputEntry>
        <outputEntry id="r1o"><text>{days}</text></outputEntry>
      </rule>
      <rule id="r2">
        <inputEntry id="r2i"><text></text></inputEntry>
        <outputEntry id="r2o"><text>5</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>
"""


def _deploy(days: str, cell: str = "2") -> None:
    admin = User.objects.get_or_create(username="admin", is_superuser=True)[0]
    text = TABLE.replace("{days}", cell)
    definition_deploy(actor=admin, files=[SourceFile("verify_days.dmn", text.encode())])


def test_a_policy_answers_by_its_rules_and_names_its_version() -> None:
    _deploy("2")
    assert decide("verify_days", {"jurisdiction": "shenzhen"}).outputs == {"days": 2}
    fallback = decide("verify_days", {"jurisdiction": "zhejiang"})
    assert fallback.outputs == {"days": 5}
    assert fallback.reference == "verify_days@1"


def test_a_changed_table_is_a_new_version_and_old_versions_still_answer() -> None:
    _deploy("2")
    _deploy("2")
    assert DecisionDefinition.objects.filter(decision_id="verify_days").count() == 1
    _deploy("3", cell="3")
    assert decide("verify_days", {"jurisdiction": "shenzhen"}).outputs == {"days": 3}
    old = decide("verify_days", {"jurisdiction": "shenzhen"}, version=1)
    assert old.outputs == {"days": 2}


def test_a_cell_that_escapes_the_sandbox_is_refused_at_deploy() -> None:
    with pytest.raises(InvalidInputError) as refused:
        _deploy("x", cell="__import__('os').getcwd()")
    assert "verify_days.dmn" in str(refused.value)
    assert "rule" in str(refused.value)


def test_an_unknown_policy_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        decide("no_such_policy", {})


def test_a_cell_failing_at_run_time_is_an_engine_error_naming_the_decision() -> None:
    _deploy("x", cell="days_from_a_missing_variable")
    with pytest.raises(EngineStepError) as failed:
        decide("verify_days", {"jurisdiction": "shenzhen"})
    assert failed.value.element_id == "verify_days"
