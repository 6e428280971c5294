"""Benchmarks of the audit chain (`make bench-audit`): appends and verification.

Run only inside a throw-away test database (the command creates and drops one):
the seeding below writes a synthetic chain straight into the table, and audit
rows, once written, can never be removed from a real trail.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.utils import timezone

from audit.canonical import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    event_payload,
    normalise,
)
from audit.models import AuditEvent
from audit.parallel import chain_verify_parallel
from audit.services import record
from audit.verification import chain_verify

TABLE = AuditEvent._meta.db_table
COLUMNS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "case_number",
    "department_code",
    "process_instance_id",
    "before",
    "after",
    "detail",
    "request_id",
    "ip",
    "via",
    "prev_hash",
    "hash",
    "canonical",
)
JSON_COLUMNS = frozenset({"before", "after", "detail"})
SEED_BATCH = 20_000


@dataclass(frozen=True, slots=True)
class Percentiles:
    """Median and 95th percentile of a list of durations, in milliseconds."""

    p50: float
    p95: float

    @classmethod
    def of(cls, seconds: list[float]) -> Percentiles:
        ordered = sorted(seconds)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return cls(statistics.median(ordered) * 1000, p95 * 1000)


def bench_user() -> Any:
    """Return the user the benchmark's events are recorded for."""
    user, _ = get_user_model().objects.get_or_create(username="bench-auditor")
    return user


def _synthetic_event(seq: int, actor: Any, at: dt.datetime) -> dict[str, Any]:
    """Column values like those of a task completion, the commonest event."""
    case_number = f"YY-2026-{seq % 50_000:06d}"
    before = {"status": "claimed", "assignee": "scj_reviewer", "owner": None}
    return {
        "seq": seq,
        "occurred_at": at,
        "actor_id": actor.pk,
        "actor_label": actor.get_username(),
        "action": "task.complete",
        "target_type": "workflows.humantask",
        "target_id": str(uuid.UUID(int=seq)),
        "case_number": case_number,
        "department_code": "SCJ",
        "process_instance_id": str(uuid.UUID(int=seq // 5)),
        "before": before,
        "after": {**before, "status": "completed", "data": {"approved": True}},
        "detail": {"element": "verify_by_source_department", "override": False},
        "request_id": uuid.UUID(int=seq).hex,
        "ip": "192.0.2.10",
        "via": "web",
    }


def synthetic_chain(count: int, actor: Any) -> Iterator[dict[str, Any]]:
    """Yield ``count`` linked events (rows as record() would store them)."""
    prev_hash = GENESIS_HASH
    start = timezone.now() - dt.timedelta(days=365)
    for seq in range(1, count + 1):
        values = _synthetic_event(seq, actor, start + dt.timedelta(seconds=seq))
        for name in JSON_COLUMNS:
            values[name] = normalise(values[name])
        canonical = canonical_json(event_payload(values))
        values["prev_hash"] = prev_hash
        values["hash"] = prev_hash = chain_hash(prev_hash, canonical)
        values["canonical"] = canonical.decode("utf-8")
        yield values


def seed_chain(count: int, actor: Any) -> float:
    """Write a valid chain of ``count`` events into an empty table; return seconds.

    The append-only triggers refuse UPDATE and DELETE, not INSERT, so rows go in
    directly: COPY on PostgreSQL, batched INSERTs on SQLite.
    """
    if AuditEvent.objects.exists():
        raise RuntimeError("seed_chain() needs an empty audit table.")
    started = time.perf_counter()
    rows = synthetic_chain(count, actor)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_rows(rows)
        else:
            _insert_rows(rows)
    return time.perf_counter() - started


def _text(name: str, value: Any) -> Any:
    if name in JSON_COLUMNS:
        return None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _copy_rows(rows: Iterator[dict[str, Any]]) -> None:
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_text(name, row[name]) for name in COLUMNS])


def _insert_rows(rows: Iterator[dict[str, Any]]) -> None:
    columns = ", ".join(COLUMNS)
    marks = ", ".join("%s" for _ in COLUMNS)
    sql = f"INSERT INTO {TABLE} ({columns}) VALUES ({marks})"  # noqa: S608
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([_text(name, row[name]) for name in COLUMNS])
            if len(batch) == SEED_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def verify_speed(jobs: int = 1) -> tuple[int, float, bool]:
    """Verify the whole chain; return (events checked, seconds, chain ok)."""
    started = time.perf_counter()
    result = chain_verify() if jobs <= 1 else chain_verify_parallel(jobs)
    return result.checked, time.perf_counter() - started, result.ok


def _step_like_append(actor: Any, number: int) -> tuple[float, float]:
    """One transaction shaped like a task completion; time its two appends.

    A completion changes its rows, then appends a notice's event and its own
    (see BENCHMARKS.md): the first append takes the chain lock and reads the
    head, the second reuses both.
    """
    with transaction.atomic():
        get_user_model().objects.filter(pk=actor.pk).update(last_login=timezone.now())
        started = time.perf_counter()
        record(action="notification.send", actor=actor, detail={"n": number})
        first = time.perf_counter() - started
        started = time.perf_counter()
        record(
            action="task.complete",
            actor=actor,
            target_type="workflows.humantask",
            target_id=str(uuid.uuid4()),
            case_number=f"YY-2026-{number:06d}",
            department_code="SCJ",
            before={"status": "claimed"},
            after={"status": "completed", "data": {"approved": True}},
        )
        second = time.perf_counter() - started
    return first, second


def append_latency(count: int) -> tuple[Percentiles, Percentiles]:
    """Time ``count`` step-like transactions; return (first, second) append latency."""
    actor = bench_user()
    firsts, seconds = [], []
    for number in range(count):
        first, second = _step_like_append(actor, number)
        firsts.append(first)
        seconds.append(second)
    return Percentiles.of(firsts), Percentiles.of(seconds)


def _writer(actor_id: int, count: int, queue: Any) -> None:
    connections.close_all()
    actor = get_user_model().objects.get(pk=actor_id)
    for number in range(count):
        with transaction.atomic():
            record(action="task.complete", actor=actor, detail={"n": number})
    connections.close_all()
    queue.put(count)


def append_throughput(writers: int, per_writer: int) -> float:
    """Append with ``writers`` processes, one event per transaction; return events/s."""
    actor = bench_user()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=_writer, args=(actor.pk, per_writer, queue))
        for _ in range(writers)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    total: int = sum(queue.get() for _ in processes)
    for process in processes:
        process.join()
    return total / (time.perf_counter() - started)


def load_note() -> str:
    """Describe the machine's load while the benchmark runs, for the record."""
    try:
        with open("/proc/loadavg", encoding="ascii") as file:
            one, five, fifteen = file.read().split()[:3]
    except OSError:
        return "load average unknown"
    return f"load average {one} / {five} / {fifteen} (1 / 5 / 15 min)"


def report_lines(figures: dict[str, Any]) -> list[str]:
    """Format the figures `make bench-audit` prints."""
    buffer = io.StringIO()
    buffer.write(f"database: {figures['vendor']}; {figures['load']}\n")
    for writers, rate in figures["throughput"].items():
        buffer.write(
            f"appends through record(), {writers} writer process(es), one event "
            f"per transaction: {rate:.0f} events/s\n"
        )
    first, second = figures["latency"]
    buffer.write(
        "record() in a step-like transaction: first append "
        f"p50 {first.p50:.2f} ms, p95 {first.p95:.2f} ms; second append "
        f"p50 {second.p50:.2f} ms, p95 {second.p95:.2f} ms\n"
    )
    buffer.write(f"seeded {figures['seed_events']} events in {figures['seed']:.1f} s\n")
    for jobs, (checked, seconds, ok) in figures["verify"].items():
        buffer.write(
            f"audit verify, {jobs} process(es): {checked} events in {seconds:.2f} s"
            f" = {checked / seconds:,.0f} events/s "
            f"({'chain ok' if ok else 'CHAIN BROKEN'})\n"
        )
    return buffer.getvalue().splitlines()
