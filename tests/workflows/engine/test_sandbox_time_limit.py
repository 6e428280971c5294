"""A wall-clock limit stops endless expressions and scripts in any thread."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import pytest

from workflows.engine.sandbox import ExpressionTimeout, SandboxedEnvironment

LIMIT = 0.3
# Generous: CI machines stall, and the point is "stopped", not "stopped on the dot".
SLACK = 1.5


@pytest.fixture
def env() -> SandboxedEnvironment:
    return SandboxedEnvironment(time_limit=LIMIT)


def test_stops_an_endless_loop_within_the_time_limit(env):
    started = time.monotonic()
    with pytest.raises(ExpressionTimeout):
        env.execute("while True:\n    pass", {})
    assert LIMIT <= time.monotonic() - started < LIMIT + SLACK


def test_stops_an_endless_loop_in_a_worker_thread(env):
    errors: list[Exception] = []
    elapsed: list[float] = []

    def worker() -> None:
        started = time.monotonic()
        try:
            env.execute("n = 0\nwhile True:\n    n += 1", {})
        except ExpressionTimeout as exc:
            errors.append(exc)
        elapsed.append(time.monotonic() - started)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(LIMIT + SLACK + 5)
    assert not thread.is_alive()
    assert len(errors) == 1
    assert elapsed[0] < LIMIT + SLACK


@pytest.mark.parametrize(
    "source",
    [
        "while True:\n    try:\n        while True: pass\n    except:\n        pass",
        "while True:\n    try:\n        while True: pass\n    finally:\n        pass",
        "def f():\n    try:\n        f()\n    except Exception:\n        f()\nf()",
        "x = [i for i in range(10**12)]",
        "x = sum(i for i in range(10**12))",
        "def f():\n    f()\ntry:\n    f()\nexcept Exception:\n    pass\n"
        "for i in range(10**12):\n    pass",
    ],
    ids=["bare-except", "finally", "exp-recursion", "listcomp", "genexp", "after-rec"],
)
def test_the_timeout_cannot_be_caught_or_outrun(env, source):
    started = time.monotonic()
    with pytest.raises(ExpressionTimeout):
        env.execute(source, {})
    assert time.monotonic() - started < LIMIT + SLACK


def test_an_expression_is_timed_out_too(env):
    with pytest.raises(ExpressionTimeout):
        env.evaluate("sum(i for i in range(10**12))", {})


def test_restores_the_previous_tracer(env):
    def tracer(frame: Any, event: str, arg: Any) -> None:
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        env.evaluate("1 + 1", {})
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(previous)
