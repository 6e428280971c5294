"""Benchmark: complete every task of N five-task instances through the services."""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connections

from workflows.engine.parsing import SourceFile
from workflows.engine.runner import ProcessSession
from workflows.models import HumanTask
from workflows.services.deploy import definition_deploy
from workflows.services.instances import process_start
from workflows.services.tasks import task_complete

BPMN = Path(__file__).with_name("five_tasks.bpmn")
PROCESS_ID = "bench_five_tasks"
GROUP = "bench_workers"


@dataclass
class Timings:
    """Seconds spent per category, and per-completion latencies."""

    engine: float = 0.0
    serialization: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def merge(self, other: Timings) -> None:
        self.engine += other.engine
        self.serialization += other.serialization
        self.latencies.extend(other.latencies)


def _timed(fn: Callable[..., Any], add: Callable[[float], None]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            add(time.perf_counter() - started)

    return wrapper


@contextmanager
def instrumented(t: Timings) -> Iterator[None]:
    """Time the engine and the (de)serialisation inside the service calls."""

    def add_engine(s: float) -> None:
        t.engine += s

    def add_ser(s: float) -> None:
        t.serialization += s

    session = ProcessSession
    saved = {
        "load": session.__dict__["load"],
        "dump": session.__dict__["dump"],
        "complete": session.__dict__["complete"],
    }
    setattr(session, "load", classmethod(_timed(saved["load"].__func__, add_ser)))  # noqa: B010
    setattr(session, "dump", _timed(saved["dump"], add_ser))  # noqa: B010
    setattr(session, "complete", _timed(saved["complete"], add_engine))  # noqa: B010
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(session, name, value)


def seed(instances: int) -> tuple[User, float]:
    """Deploy the benchmark process and start instances; return starts per second."""
    user, _ = User.objects.get_or_create(username="bench", is_superuser=True)
    definition_deploy(
        actor=None,
        files=[SourceFile(BPMN.name, BPMN.read_bytes())],
        create_groups=True,
    )
    user.groups.add(Group.objects.get(name=GROUP))
    started = time.perf_counter()
    for i in range(instances):
        process_start(
            actor=user,
            process_id=PROCESS_ID,
            business_key=f"BENCH-{i:06d}",
            data={"amount": 5000 + i},
        )
    return user, instances / (time.perf_counter() - started)


def _work(user_id: int, worker: int, workers: int, queue: Any) -> None:
    connections.close_all()
    user = User.objects.get(pk=user_id)
    timings = Timings()
    with instrumented(timings):
        while True:
            ids = list(
                HumanTask.objects.open()
                .filter(process_id=PROCESS_ID)
                .order_by("case_number")
                .values_list("pk", "case_number")
            )
            mine = [pk for pk, key in ids if int(key[-6:]) % workers == worker]
            if not mine:
                break
            for task_id in mine:
                started = time.perf_counter()
                task_complete(actor=user, task_id=task_id, data={"ok": True})
                timings.latencies.append(time.perf_counter() - started)
    connections.close_all()
    queue.put(timings)


def complete_all(user: User, workers: int) -> tuple[Timings, float]:
    """Complete every open benchmark task with N processes; return timings and wall."""
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    started = time.perf_counter()
    procs = [
        ctx.Process(target=_work, args=(user.pk, w, workers, queue))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    total = Timings()
    for _ in procs:
        total.merge(queue.get())
    for p in procs:
        p.join()
    return total, time.perf_counter() - started


def report(
    vendor: str,
    instances: int,
    workers: int,
    starts: float,
    timings: Timings,
    wall: float,
) -> list[str]:
    """Format the figures printed by `make bench-engine`."""
    n = len(timings.latencies)
    lat = sorted(timings.latencies)
    total = sum(lat)
    other = total - timings.engine - timings.serialization
    p95 = lat[int(0.95 * (n - 1))] if n else 0.0
    return [
        f"database: {vendor}; instances: {instances}; worker processes: {workers}",
        f"process starts/s (1 process): {starts:.1f}",
        f"task completions: {n} in {wall:.2f} s = {n / wall:.1f} completions/s",
        f"latency per completion: median {statistics.median(lat) * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms",
        "time per completion: "
        f"engine {timings.engine / n * 1000:.2f} ms, "
        f"serialization {timings.serialization / n * 1000:.2f} ms, "
        f"database and service code {other / n * 1000:.2f} ms",
    ]
