"""The dashboard: open cases, overdue work per department, handling time per step."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from webapp.dashboard.charts import (
    case_table,
    load_chart,
    open_cases_chart,
    steps_chart,
)
from workflows.selectors.dashboard import (
    WINDOWS,
    dashboard_check,
    open_cases_by_type_and_status,
    step_timings,
    task_load_by_department,
)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Show the figures as charts and as tables with the same numbers."""
    dashboard_check(request.user)
    days = _window(request.GET.get("days"))
    english = (get_language() or "").startswith("en")
    cases = case_table(open_cases_by_type_and_status())
    loads = task_load_by_department()
    timings = step_timings(days)
    context = {
        "days": days,
        "windows": WINDOWS,
        "cases": cases,
        "cases_chart": open_cases_chart(cases),
        "loads": loads,
        "load_chart": load_chart(loads, english=english),
        "timings": timings,
        "steps_chart": steps_chart(timings),
        "english": english,
    }
    return render(request, "dashboard/index.html", context)


def _window(value: str | None) -> int:
    try:
        days = int(value or WINDOWS[0])
    except ValueError:
        return WINDOWS[0]
    return days if days in WINDOWS else WINDOWS[0]
