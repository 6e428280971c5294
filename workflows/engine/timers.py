"""Due times of waiting timer events, including those behind event-based gateways."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)


def _parse(definition: Any, value: Any) -> datetime | None:
    if isinstance(definition, CycleTimerEventDefinition):
        return datetime.fromisoformat(value["next"]) if value.get("cycles") else None
    if isinstance(definition, DurationTimerEventDefinition):
        return TimerEventDefinition.get_datetime(value)  # type: ignore[no-any-return]
    if isinstance(definition, TimeDateEventDefinition):
        parsed = TimerEventDefinition.parse_time_or_duration(value)
        return parsed if isinstance(parsed, datetime) else None
    return None


def timer_due(task: Any, definition: Any) -> datetime | None:
    """Return when a waiting timer fires (UTC), evaluating it first if needed.

    Spiff evaluates a timer's expression the first time it refreshes the task; timers
    that wait behind an event-based gateway may not have been refreshed yet, and
    ``waiting_events()`` then shows no due time. Evaluating here is exactly what the
    engine's own refresh does, so the stored due time and the engine agree.
    """
    value = task.internal_data.get("event_value")
    if value is None:
        if isinstance(definition, CycleTimerEventDefinition):
            definition.cycle_complete(task)
        else:
            definition.has_fired(task)
        value = task.internal_data.get("event_value")
    return None if value is None else _parse(definition, value)


def align_engine_timezone(zone_name: str) -> None:
    """Make Spiff read naive timer dates in the configured zone, as scripts write them.

    SpiffWorkflow turns a naive ISO date into UTC with an offset it captures when it
    is first imported. Scripts write naive dates with ``datetime.now()``, which uses
    the process time zone that Django sets from TIME_ZONE. If anything imported
    SpiffWorkflow before Django did that, the two would disagree; pinning the offset
    here at startup keeps them equal whatever the import order.
    """
    from datetime import timezone as dt_timezone
    from zoneinfo import ZoneInfo

    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    offset = datetime.now(ZoneInfo(zone_name)).utcoffset()
    if offset is not None:
        timer.LOCALTZ = dt_timezone(offset)
