"""`make bench-audit`: the synthetic chain verifies, and each figure is measured."""

from __future__ import annotations

import pytest

from audit.benchmarks import (
    Percentiles,
    append_latency,
    append_throughput,
    bench_user,
    report_lines,
    seed_chain,
    verify_speed,
)
from audit.models import AuditEvent
from audit.verification import chain_verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_seeded_chain_is_a_valid_chain_that_record_continues() -> None:
    seed_chain(120, bench_user())

    checked, seconds, ok = verify_speed()
    assert verify_speed(2)[0::2] == (120, True)
    first, second = append_latency(3)

    assert (checked, ok) == (120, True)
    assert seconds > 0
    assert AuditEvent.objects.count() == 120 + 2 * 3
    assert chain_verify().ok
    assert 0 < first.p50 <= first.p95
    assert 0 < second.p50 <= second.p95


def test_seeding_refuses_a_table_that_already_holds_events() -> None:
    seed_chain(2, bench_user())

    with pytest.raises(RuntimeError, match="empty"):
        seed_chain(2, bench_user())


def test_parallel_writer_processes_leave_one_chain() -> None:
    rate = append_throughput(2, 4)

    assert rate > 0
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 9))
    assert chain_verify().ok


def test_the_report_names_each_figure() -> None:
    figures = {
        "vendor": "postgresql",
        "load": "load average 0.10 / 0.20 / 0.30 (1 / 5 / 15 min)",
        "seed": 12.5,
        "seed_events": 1_000_000,
        "verify": {1: (1_000_000, 8.0, True), 2: (1_000_000, 5.0, True)},
        "latency": (Percentiles(1.2, 1.9), Percentiles(0.4, 0.6)),
        "throughput": {1: 480.0, 4: 610.0},
    }

    lines = report_lines(figures)

    assert lines[0].startswith("database: postgresql; load average")
    assert "4 writer process(es)" in lines[2]
    assert "second append p50 0.40 ms, p95 0.60 ms" in lines[3]
    assert lines[4] == "seeded 1000000 events in 12.5 s"
    assert lines[5].endswith("= 125,000 events/s (chain ok)")
    assert lines[6].startswith("audit verify, 2 process(es)")
