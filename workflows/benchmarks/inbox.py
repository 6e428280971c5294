"""Benchmark: the reviewers' inbox over many open and many more completed tasks.

Seeds inbox rows straight into the table (COPY on PostgreSQL, bulk_create
elsewhere): the inbox reads ``HumanTask`` only, so how the rows came to be does
not change what a page costs. Then it times whole requests through the Django test
client, the way a browser's request runs: middleware, session, view, template.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from workflows.access.grants import (
    CLAIM_TASK,
    COMPLETE_TASK,
    VIEW_TASK,
    permission_id,
)
from workflows.models import (
    HumanTask,
    HumanTaskGroupObjectPermission,
    HumanTaskUserObjectPermission,
    ProcessDefinition,
    ProcessInstance,
)

DEPARTMENTS = ("SCJ", "SWJ", "RSJ", "ZJJ", "JTJ")
ROLES = ("reviewer", "section_chief")
PEOPLE_PER_GROUP = 10
CASE_TYPES = ("objection", "repair", "list_entry", "list_exit", "redlist")
REVIEWER = "bench_reviewer"
REVIEWER_GROUPS = ("SCJ.reviewer", "SWJ.reviewer")
# The benchmark reviewer holds this many open tasks and completed one in this many
# of their groups' done tasks.
REVIEWER_HOLDS = 40
REVIEWER_DONE_EVERY = 20
TASKS_PER_INSTANCE = 100
PROCESS_ID = "bench_inbox"
FILTERED_QUERY = {"tab": "queue", "case_type": "objection", "due": "soon"}
COLUMNS = (
    "id",
    "instance_id",
    "spiff_task_id",
    "element_id",
    "name",
    "process_id",
    "task_type",
    "lane",
    "candidate_group_id",
    "assignee_id",
    "delegation",
    "status",
    "priority",
    "due_at",
    "form_key",
    "ui_form_key",
    "instructions",
    "excluded_usernames",
    "case_number",
    "case_type",
    "subject_name",
    "subject_code",
    "department_code",
    "created_at",
    "claimed_at",
    "completed_at",
    "completed_by_id",
)


@dataclass(frozen=True)
class Cast:
    """The groups and people the seeded tasks go to."""

    groups: dict[str, int]
    people: dict[str, list[int]]
    reviewer: User


def _cast() -> Cast:
    names = [f"{d}.{r}" for d in DEPARTMENTS for r in ROLES]
    Group.objects.bulk_create([Group(name=n) for n in names], ignore_conflicts=True)
    groups = dict(Group.objects.filter(name__in=names).values_list("name", "pk"))
    people: dict[str, list[int]] = {}
    for name, group_id in groups.items():
        users = User.objects.bulk_create(
            [
                User(username=f"bench_{name.replace('.', '_')}_{i}")
                for i in range(PEOPLE_PER_GROUP)
            ]
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=group_id) for u in users]
        )
        people[name] = [u.pk for u in users]
    reviewer = User.objects.create_user(REVIEWER)
    reviewer.groups.add(*(groups[n] for n in REVIEWER_GROUPS))
    return Cast(groups=groups, people=people, reviewer=reviewer)


def _instances(count: int) -> list[uuid.UUID]:
    definition = ProcessDefinition.objects.create(
        process_id=PROCESS_ID,
        version=1,
        sha256="0" * 64,
        dialect="spiff",
        file_name=f"{PROCESS_ID}.bpmn",
        sources={},
    )
    rows = [
        ProcessInstance(
            definition=definition,
            process_id=PROCESS_ID,
            business_key=f"BENCH-{i:07d}",
            state="{}",
            state_format="bench",
        )
        for i in range(count)
    ]
    for start in range(0, len(rows), 5000):
        ProcessInstance.objects.bulk_create(rows[start : start + 5000])
    return [row.pk for row in rows]


def _task_rows(
    cast: Cast, instances: Sequence[uuid.UUID], n_open: int, n_done: int
) -> Iterator[tuple[object, ...]]:
    """Yield one tuple of COLUMNS per task, the same every run (seeded random)."""
    rng = random.Random(20260601)  # noqa: S311 (not cryptography: repeatable data)
    now = timezone.now()
    names = sorted(cast.groups)
    mine = set(REVIEWER_GROUPS)
    held = 0
    for i in range(n_open + n_done):
        group = names[i % len(names)]
        done = i >= n_open
        department = group.split(".")[0]
        due = now + dt.timedelta(hours=rng.randint(-10 * 24, 30 * 24))
        created = due - dt.timedelta(days=10)
        assignee = completed_by = None
        status = "open"
        if done:
            status = "completed"
            completed_by = rng.choice(cast.people[group])
            if group in mine and rng.random() < 1 / REVIEWER_DONE_EVERY:
                completed_by = cast.reviewer.pk
            assignee = completed_by
        elif group in mine and held < REVIEWER_HOLDS and rng.random() < 0.05:
            status, assignee, held = "claimed", cast.reviewer.pk, held + 1
        elif rng.random() < 0.3:
            status, assignee = "claimed", rng.choice(cast.people[group])
        number = f"YY-2026-{i:07d}"
        yield (
            uuid.uuid4(),
            instances[i // TASKS_PER_INSTANCE % len(instances)],
            uuid.uuid4(),
            "review",
            f"审查 Review {i}",
            PROCESS_ID,
            "UserTask",
            "",
            cast.groups[group],
            assignee,
            "",
            status,
            50,
            due,
            "",
            "",
            "",
            "[]",
            number,
            rng.choice(CASE_TYPES),
            f"示例企业 Company {i % 5000}",
            f"91{i % 10**16:016d}",
            department,
            created,
            created if assignee else None,
            due - dt.timedelta(hours=rng.randint(1, 200)) if done else None,
            completed_by,
        )


def _copy(rows: Iterator[tuple[object, ...]]) -> int:
    """Load rows with PostgreSQL's COPY, in chunks so memory stays flat."""
    table = HumanTask._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _bulk(rows: Iterator[tuple[object, ...]]) -> int:
    count, batch = 0, []
    for row in rows:
        values = dict(zip(COLUMNS, row, strict=True))
        values["excluded_usernames"] = json.loads(str(values["excluded_usernames"]))
        batch.append(HumanTask(**values))
        if len(batch) == 5000:
            HumanTask.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    HumanTask.objects.bulk_create(batch)
    return count + len(batch)


# (statement, permission): the object grants the runtime keeps on tasks
# (workflows.access.grants), written set-based. The candidate group and the
# department's section chiefs view each task, the group claims open unassigned
# ones, the holder views and completes, the completer keeps the view.
GRANTS = (
    ("{into_group} SELECT id, candidate_group_id, %s FROM {tasks}", VIEW_TASK),
    (
        "{into_group} SELECT t.id, g.id, %s FROM {tasks} t JOIN {groups} g "
        "ON g.name = t.department_code || '.section_chief' "
        "WHERE g.id <> t.candidate_group_id",
        VIEW_TASK,
    ),
    (
        "{into_group} SELECT id, candidate_group_id, %s FROM {tasks} "
        "WHERE status = 'open' AND assignee_id IS NULL",
        CLAIM_TASK,
    ),
    (
        "{into_user} SELECT id, assignee_id, %s FROM {tasks} WHERE status = 'claimed'",
        VIEW_TASK,
    ),
    (
        "{into_user} SELECT id, assignee_id, %s FROM {tasks} WHERE status = 'claimed'",
        COMPLETE_TASK,
    ),
    (
        "{into_user} SELECT id, completed_by_id, %s FROM {tasks} "
        "WHERE status = 'completed'",
        VIEW_TASK,
    ),
)


def _grant_all() -> None:
    by_group = HumanTaskGroupObjectPermission._meta.db_table
    by_user = HumanTaskUserObjectPermission._meta.db_table
    columns = "(content_object_id, {}, permission_id)"
    tables = {
        "into_group": f"INSERT INTO {by_group} " + columns.format("group_id"),
        "into_user": f"INSERT INTO {by_user} " + columns.format("user_id"),
        "tasks": HumanTask._meta.db_table,
        "groups": Group._meta.db_table,
    }
    with connection.cursor() as cursor:
        for template, codename in GRANTS:
            # Table names come from the models, never from input.
            sql = template.format(**tables)
            cursor.execute(sql, [permission_id(codename)])


def seed(n_open: int, n_done: int) -> tuple[User, float]:
    """Seed the groups, people, tasks and grants; return the reviewer and seconds."""
    started = time.perf_counter()
    cast = _cast()
    instances = _instances(max(1, (n_open + n_done) // TASKS_PER_INSTANCE))
    rows = _task_rows(cast, instances, n_open, n_done)
    load = _copy if connection.vendor == "postgresql" else _bulk
    load(rows)
    _grant_all()
    if connection.vendor == "postgresql":
        # A table in steady use has been vacuumed (its visibility map set, so
        # index-only scans skip the heap) and analysed; a freshly loaded one not.
        # (Inside a test's transaction only ANALYZE may run.)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (
                HumanTask,
                HumanTaskGroupObjectPermission,
                HumanTaskUserObjectPermission,
            ):
                cursor.execute(f"{command} {model._meta.db_table}")
    return cast.reviewer, time.perf_counter() - started


@dataclass(frozen=True)
class Timing:
    """Server time of one page over many requests, and the SQL part of it."""

    label: str
    seconds: list[float]
    rows: int
    sql_seconds: list[float] = field(default_factory=list)
    # Seconds per SQL statement (from its first FROM on), over all requests.
    statements: dict[str, float] = field(default_factory=dict)

    @property
    def sql_p50(self) -> float:
        return statistics.median(self.sql_seconds) if self.sql_seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, int(0.95 * len(ordered)) - 1)]


def time_page(
    client: Client, label: str, query: dict[str, str], requests: int
) -> Timing:
    """Request the inbox page ``requests`` times and time each full request."""
    url = reverse("inbox:list")
    response = client.get(url, query)  # warm caches (sessions, templates, plans)
    if response.status_code != 200:
        raise RuntimeError(f"{label}: the inbox answered {response.status_code}")
    rows = response.content.count(b'class="task-row')
    seconds, sql = [], []
    spent = [0.0]
    statements: dict[str, float] = {}

    def timed(execute: Any, statement: str, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(statement, *args)
        finally:
            took = time.perf_counter() - started
            spent[0] += took
            key = "FROM " + statement.split(" FROM ", 1)[-1][:110]
            statements[key] = statements.get(key, 0.0) + took

    with connection.execute_wrapper(timed):
        for _ in range(requests):
            spent[0] = 0.0
            started = time.perf_counter()
            client.get(url, query)
            seconds.append(time.perf_counter() - started)
            sql.append(spent[0])
    return Timing(
        label=label, seconds=seconds, rows=rows, sql_seconds=sql, statements=statements
    )


def measure(reviewer: User, requests: int) -> list[Timing]:
    """Time the first page with every tab's count, and a filtered queue page."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    # The test client's host name; a management command runs outside the test runner.
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        return [
            time_page(client, "inbox, first page (My tasks)", {}, requests),
            time_page(client, "inbox, group queue", {"tab": "queue"}, requests),
            time_page(client, "inbox, filtered queue", FILTERED_QUERY, requests),
        ]


def report(
    vendor: str, n_open: int, n_done: int, seeded: float, timings: list[Timing]
) -> list[str]:
    """Format the figures `make bench-inbox` prints."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"database: {vendor}; open tasks: {n_open}; done tasks: {n_done}; "
        f"seeded in {seeded:.1f} s",
        f"reviewer in {len(REVIEWER_GROUPS)} groups: {', '.join(REVIEWER_GROUPS)}",
    ]
    for t in timings:
        lines.append(
            f"{t.label}: {len(t.seconds)} requests, {t.rows} rows shown, "
            f"p50 {t.p50 * 1000:.1f} ms, p95 {t.p95 * 1000:.1f} ms "
            f"(SQL p50 {t.sql_p50 * 1000:.1f} ms)"
        )
        slowest = sorted(t.statements.items(), key=lambda kv: -kv[1])[:2]
        for statement, total in slowest:
            mean = total / len(t.seconds) * 1000
            lines.append(f"    {mean:.1f} ms/request: {statement}")
    lines.append(f"machine load average (1, 5, 15 min): {load}; cpus: {os.cpu_count()}")
    return lines
