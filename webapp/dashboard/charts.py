"""Shape the dashboard's figures into tables and Chart.js data.

The data goes to the page with json_script; frontend/entries/charts.js draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import pgettext

from webapp.dashboard.labels import CASE_TYPE, OPEN_STATUS, label
from workflows.selectors.dashboard import CaseCount, DepartmentLoad, StepTimings


@dataclass
class CaseTable:
    """Open cases: one row per case type, one column per status."""

    statuses: list[tuple[str, str]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


def case_table(counts: list[CaseCount]) -> CaseTable:
    """Pivot the counts into rows by case type with a cell per status."""
    present = {c.status for c in counts}
    order = [s for s in OPEN_STATUS if s in present]
    order += sorted(present - set(order))
    table = CaseTable(statuses=[(s, label(OPEN_STATUS, s)) for s in order])
    by_type: dict[str, dict[str, int]] = {}
    for c in counts:
        by_type.setdefault(c.case_type, {})[c.status] = c.count
    types = [t for t in CASE_TYPE if t in by_type] + sorted(
        set(by_type) - set(CASE_TYPE)
    )
    for case_type in types:
        cells = [by_type[case_type].get(status, 0) for status in order]
        table.rows.append(
            {"label": label(CASE_TYPE, case_type), "cells": cells, "total": sum(cells)}
        )
    table.total = sum(row["total"] for row in table.rows)
    return table


def open_cases_chart(table: CaseTable) -> dict[str, Any]:
    return {
        "labels": [row["label"] for row in table.rows],
        "datasets": [
            {"label": name, "data": [row["cells"][i] for row in table.rows]}
            for i, (_key, name) in enumerate(table.statuses)
        ],
        "stacked": True,
    }


def load_chart(loads: list[DepartmentLoad], *, english: bool) -> dict[str, Any]:
    return {
        "labels": [(d.name_en if english else "") or d.name for d in loads],
        "datasets": [
            {
                "label": pgettext("dashboard", "Open tasks"),
                "data": [d.open for d in loads],
            },
            {
                "label": pgettext("dashboard", "Overdue"),
                "data": [d.overdue for d in loads],
            },
        ],
    }


def steps_chart(timings: StepTimings) -> dict[str, Any]:
    return {
        "labels": [step.name or step.element_id for step in timings.steps],
        "datasets": [
            {
                "label": pgettext("dashboard", "Median hours"),
                "data": [step.median_hours for step in timings.steps],
            }
        ],
        "horizontal": True,
    }
