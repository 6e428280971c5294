"""The reviewers' inbox: one page of a tab, filtered and sorted, with every tab's count.

The rows come from ``task_list_for_user`` (which owns who may see what); the counts
of all tabs come from one aggregate query over the tasks the user may see, with a
conditional count per tab. The due-state boundaries are computed once per request
(one calendar query) and compared with ``due_at`` in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import F, Func, IntegerField, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.utils import timezone

from workflows.models import HumanTask
from workflows.policies import group_ids, is_system_admin
from workflows.selectors.tasks import task_list_for_user
from workflows.workdays.calendar import deadline_at

PAGE_SIZE = 25
BASIC_TABS = ("mine", "queue", "done")
# Section chiefs (who may reassign) also see every open task they may see.
CHIEF_TAB = "all"
DUE_STATES = ("overdue", "soon", "on_time")
SOON_WORKING_DAYS = 2
SORTS = ("due", "-due")
REASSIGN_PERMISSION = "workflows.reassign_task"


@dataclass(frozen=True)
class DueClock:
    """Now, and the end of the working day two working days from today."""

    now: dt.datetime
    soon_until: dt.datetime

    def state(self, due_at: dt.datetime | None) -> str:
        """Say whether a due time has passed, comes soon, or leaves time."""
        if due_at is None or due_at > self.soon_until:
            return "on_time"
        return "overdue" if due_at < self.now else "soon"

    def condition(self, state: str) -> Q:
        """Return the SQL condition on ``due_at`` for a due state."""
        if state == "overdue":
            return Q(due_at__lt=self.now)
        if state == "soon":
            return Q(due_at__gte=self.now, due_at__lte=self.soon_until)
        return Q(due_at__gt=self.soon_until) | Q(due_at__isnull=True)


def due_clock(now: dt.datetime | None = None) -> DueClock:
    """Compute the due-state boundaries for this moment (one calendar query)."""
    now = now or timezone.now()
    soon_until, _provisional = deadline_at(now, SOON_WORKING_DAYS)
    return DueClock(now=now, soon_until=soon_until)


@dataclass(frozen=True)
class InboxFilters:
    """What a reviewer narrowed the inbox to; empty strings filter nothing."""

    case_type: str = ""
    department: str = ""
    due: str = ""
    subject: str = ""
    case_number: str = ""

    def condition(self, clock: DueClock) -> Q:
        """Return the SQL condition these filters add."""
        q = Q()
        if self.case_type:
            q &= Q(case_type=self.case_type)
        if self.department:
            q &= Q(department_code=self.department)
        if self.due in DUE_STATES:
            q &= clock.condition(self.due)
        if self.subject:
            q &= Q(subject_name__icontains=self.subject) | Q(
                subject_code__icontains=self.subject
            )
        if self.case_number:
            q &= Q(case_number__icontains=self.case_number)
        return q

    @property
    def active(self) -> bool:
        return any(
            (self.case_type, self.department, self.due, self.subject, self.case_number)
        )


@dataclass
class InboxPage:
    """One page of one tab, every tab's count, and the clock the rows were judged by."""

    tab: str
    tabs: tuple[str, ...]
    counts: dict[str, int]
    page: Page[HumanTask]
    clock: DueClock
    sort: str
    filters: InboxFilters
    rows: list[HumanTask] = field(default_factory=list)


def inbox_tabs(user: User) -> tuple[str, ...]:
    """Return the tabs a user has: chiefs and administrators get 'all' as well."""
    if user.has_perm(REASSIGN_PERMISSION) or is_system_admin(user):
        return (*BASIC_TABS, CHIEF_TAB)
    return BASIC_TABS


def _tab_conditions(user: User) -> dict[str, Q]:
    """The rows of the mine, queue and done tabs, with the group ids spelled out.

    These conditions imply visibility: the runtime grants a task's assignee, its
    completer and its candidate group the view (the group also the claim), so
    counting needs no per-row grant lookup, which at a million tasks would cost
    more than the whole page may. ``inbox_rows`` applies the same conditions on
    top of ``task_list_for_user``, so a tab's rows and its count agree.
    """
    groups = sorted(group_ids(user))
    conditions = {
        "mine": Q(status__in=HumanTask.OPEN_STATUSES, assignee=user),
        "done": Q(status=HumanTask.Status.COMPLETED, completed_by=user),
    }
    if groups:
        conditions["queue"] = Q(
            status=HumanTask.Status.OPEN,
            assignee__isnull=True,
            candidate_group__in=groups,
        )
    return conditions


def _all_open(user: User) -> QuerySet[HumanTask]:
    return task_list_for_user(user, tab=CHIEF_TAB).filter(
        status__in=HumanTask.OPEN_STATUSES
    )


def _count(condition: Q) -> Subquery:
    counted = (
        HumanTask.objects.filter(condition)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    return Subquery(counted[:1], output_field=IntegerField())


def inbox_counts(user: User, tabs: tuple[str, ...], condition: Q) -> dict[str, int]:
    """Count every tab's rows under the filters, in one query.

    One scalar subquery per tab, so that each count is an index-only scan of its
    own index (a single scan over the union would visit every row's heap page).
    The chiefs' "all" tab is whatever the grants let them see (their department's
    tasks too), so it takes a second query; nobody else pays for it.
    """
    conditions = _tab_conditions(user)
    row = (
        User.objects.filter(pk=user.pk)
        .values(**{tab: _count(q & condition) for tab, q in conditions.items()})
        .first()
    )
    counted: dict[str, Any] = dict(row) if row else {}
    counts = {tab: int(counted.get(tab) or 0) for tab in BASIC_TABS}
    if CHIEF_TAB in tabs:
        counts[CHIEF_TAB] = _all_open(user).filter(condition).count()
    return counts


def _ordering(sort: str) -> list[OrderBy]:
    # Matches the inbox indexes read forwards (earliest first) or backwards.
    if sort == "-due":
        return [F("due_at").desc(nulls_first=True), F("pk").desc()]
    return [F("due_at").asc(nulls_last=True), F("pk").asc()]


def _page_of(
    user: User, tab: str, condition: Q, sort: str, count: int, page: int | str | None
) -> Page[HumanTask]:
    """Choose one page of a tab by its own condition, then read it through
    ``task_list_for_user``, which applies who may see what to those rows only.

    Choosing first lets the database walk an index in due order and stop after a
    page; the per-row grant checks then run on 25 rows, not on the whole queue.
    """
    if tab == CHIEF_TAB:
        chosen = _all_open(user).filter(condition).order_by(*_ordering(sort))
    else:
        own = _tab_conditions(user).get(tab, Q(pk__in=[]))
        chosen = HumanTask.objects.filter(own & condition).order_by(*_ordering(sort))
    paginator: Paginator[HumanTask] = Paginator(chosen, PAGE_SIZE)
    # The count is known already: the paginator need not ask the database again.
    paginator.__dict__["count"] = count
    current = paginator.get_page(page)
    # The page's ids as a list, not a subquery: with the grant checks beside it
    # the planner misjudges a subquery and checks the whole queue first.
    chosen_page = cast(QuerySet[HumanTask], current.object_list)
    ids = list(chosen_page.values_list("pk", flat=True))
    visible = task_list_for_user(user, tab=tab).filter(pk__in=ids)
    current.object_list = list(
        visible.select_related("owner", "completed_by").order_by(*_ordering(sort))
    )
    return current


def inbox_page(
    user: User,
    *,
    tab: str,
    filters: InboxFilters,
    sort: str = "",
    page: int | str | None = 1,
    clock: DueClock | None = None,
) -> InboxPage:
    """Return one page of an inbox tab with the counts of every tab."""
    tabs = inbox_tabs(user)
    tab = tab if tab in tabs else "mine"
    if sort not in SORTS:
        # Done work is looked up from the most recent; open work from the most urgent.
        sort = "-due" if tab == "done" else "due"
    clock = clock or due_clock()
    condition = filters.condition(clock)
    counts = inbox_counts(user, tabs, condition)
    current = _page_of(user, tab, condition, sort, counts[tab], page)
    rows = list(current.object_list)
    return InboxPage(
        tab=tab,
        tabs=tabs,
        counts=counts,
        page=current,
        clock=clock,
        sort=sort,
        filters=filters,
        rows=rows,
    )
