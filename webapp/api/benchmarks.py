"""Benchmark: credit checks per second over HTTP, with concurrent clients.

A throwaway copy of the configured database is seeded with subjects, records, list
entries, a measures catalogue and one implementing-department officer per client
(each with an API token). A real server (gunicorn, N workers) serves the project
on a free port, and N client threads send ``GET /api/v1/credit-check/<code>``
over keep-alive connections for a fixed time. Every check runs the whole path: token
lookup, throttle, the check's reads, the audit event (查询使用登记) and its commit.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from audit.models import AuditEvent
from webapp.api.bench_seed import Seeded

HOST = "127.0.0.1"
PURPOSE = "bench%20%E8%B5%84%E6%A0%BC%E5%AE%A1%E6%9F%A5"  # "bench 资格审查"
REPORTED_PERCENTILES = (50, 95, 99)


@dataclass
class ClientRun:
    """One client thread's latencies (seconds) and failures."""

    latencies: list[float] = field(default_factory=list)
    failures: dict[int, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start gunicorn on the benchmark database; return once it answers."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # The throttle still counts every check; the benchmark must not hit it.
        "API_CREDIT_CHECK_RATE": "100000000/min",
        "LOG_LEVEL": "WARNING",
        # As in production: no query log, no debug pages.
        "DEBUG": "false",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "webapp.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--preload",
    ]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, env=env, cwd=Path(settings.BASE_DIR), start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("gunicorn did not start within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn's process group and wait for it."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _client(
    port: int,
    token: str,
    codes: list[str],
    offset: int,
    until: float,
    warm_until: float,
    run: ClientRun,
) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    n = offset
    while time.monotonic() < until:
        code = codes[n % len(codes)]
        n += 7
        started = time.perf_counter()
        connection.request(
            "GET", f"/api/v1/credit-check/{code}/?purpose={PURPOSE}", headers=headers
        )
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if time.monotonic() < warm_until:
            continue
        if response.status == 200:
            run.latencies.append(elapsed)
        else:
            run.failures[response.status] = run.failures.get(response.status, 0) + 1
    connection.close()


def cpu_seconds(group: int) -> float:
    """CPU time (user + system) used so far by the processes of a process group."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, ...; utime and stime are 12 and 13.
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def drive(
    port: int, seeded: Seeded, seconds: float, warmup: float, group: int
) -> tuple[list[ClientRun], float]:
    """Run one client per token for ``warmup + seconds``; return the runs and the
    server's CPU seconds during the measured part."""
    now = time.monotonic()
    runs = [ClientRun() for _ in seeded.tokens]
    threads = [
        threading.Thread(
            target=_client,
            args=(
                port,
                token,
                seeded.codes,
                i * 1009,
                now + warmup + seconds,
                now + warmup,
                runs[i],
            ),
        )
        for i, token in enumerate(seeded.tokens)
    ]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    before = cpu_seconds(group)
    for thread in threads:
        thread.join()
    return runs, cpu_seconds(group) - before


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def report(
    runs: list[ClientRun], seconds: float, cpu: float, meta: dict[str, Any]
) -> list[str]:
    """Format the figures `make bench-api` prints."""
    latencies = [x for run in runs for x in run.latencies]
    failures: dict[int, int] = {}
    for run in runs:
        for status, count in run.failures.items():
            failures[status] = failures.get(status, 0) + count
    lines = [
        f"database: {meta['vendor']}; cache: {meta['cache']}; gunicorn workers: "
        f"{meta['workers']}; clients: {len(runs)}; {meta['load']}",
        f"subjects: {meta['subjects']}; measured {seconds:.0f} s after "
        f"{meta['warmup']:.0f} s warm-up",
    ]
    if not latencies:
        return [*lines, f"no successful checks; failures: {failures}"]
    n = len(latencies)
    spread = ", ".join(
        f"p{p} {percentile(latencies, p) * 1000:.1f} ms" for p in REPORTED_PERCENTILES
    )
    return [
        *lines,
        f"credit checks: {len(latencies)} = {len(latencies) / seconds:.1f} checks/s",
        f"latency: mean {statistics.fmean(latencies) * 1000:.1f} ms, {spread}",
        f"server CPU per check (gunicorn workers): {cpu / n * 1000:.1f} ms",
        f"failures: {failures or 'none'}; audit events credit.check: "
        f"{AuditEvent.objects.filter(action='credit.check').count()}",
    ]
