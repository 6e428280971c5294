"""One invocation per audited service, for test_service_coverage.py.

Each scenario prepares what its service needs (through other services, whose
events do not count), then returns the call to measure. ``action`` is the event
the service must write exactly once; ``also`` are the events of the services it
calls in turn (a notice's ``notification.send``, the started process's
``process.start``), each of which is covered by its own scenario.
"""

from __future__ import annotations

from tests.audit.scenario_support import Ctx, Scenario
from tests.audit.scenarios_cases import CASES
from tests.audit.scenarios_credit import CREDIT
from tests.audit.scenarios_other import OTHER
from tests.audit.scenarios_runtime import RUNTIME

SCENARIOS: dict[str, Scenario] = {**RUNTIME, **CASES, **CREDIT, **OTHER}

__all__ = ["SCENARIOS", "Ctx", "Scenario"]
