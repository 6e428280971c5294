"""The access layer names the case services' messages and deadlines correctly."""

from __future__ import annotations

from workflows.access import actions
from workflows.credit.cases.redlist import OBJECTION_MESSAGE
from workflows.credit.operations.lists import STATEMENT_DEADLINE


def test_the_access_layer_uses_the_case_services_names() -> None:
    assert actions.REDLIST_OBJECTION_MESSAGE == OBJECTION_MESSAGE
    assert actions.STATEMENT_DEADLINE == STATEMENT_DEADLINE
