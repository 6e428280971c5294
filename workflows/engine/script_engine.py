"""The one script engine: sandboxed expressions, service tasks to named operations."""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from django.conf import settings
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from workflows.engine.sandbox import build_script_engine

# (operation name, evaluated parameters, task data) -> JSON-serialisable result
ServiceDispatcher = Callable[[str, Mapping[str, Any], Mapping[str, Any]], Any]

_dispatcher: contextvars.ContextVar[ServiceDispatcher | None] = contextvars.ContextVar(
    "service_dispatcher", default=None
)


class UnboundServiceError(RuntimeError):
    """A service task ran outside a runtime operation that can dispatch it."""


class DispatchingScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """Script engine whose service tasks call the runtime's operation registry."""

    def call_service(
        self,
        task: Any,
        operation_name: str = "",
        operation_params: Mapping[str, Mapping[str, Any]] | None = None,
        **_: Any,
    ) -> str:
        dispatcher = _dispatcher.get()
        if dispatcher is None:
            raise UnboundServiceError(f"no dispatcher for operation {operation_name!r}")
        params = {k: v.get("value") for k, v in (operation_params or {}).items()}
        result = dispatcher(operation_name, params, task.data)
        # Spiff stores json.loads(result) in the task's result variable.
        return json.dumps(result, default=str)


@cache
def script_engine() -> DispatchingScriptEngine:
    """Return the process-wide engine (its environment keeps no per-run state)."""
    engine = build_script_engine(
        time_limit=settings.EXPRESSION_TIME_LIMIT_SECONDS,
        engine_class=DispatchingScriptEngine,
    )
    if not isinstance(engine, DispatchingScriptEngine):
        raise TypeError("build_script_engine ignored engine_class")
    return engine


@contextlib.contextmanager
def service_dispatcher(dispatcher: ServiceDispatcher) -> Iterator[None]:
    """Route service tasks run inside this block to ``dispatcher``."""
    token = _dispatcher.set(dispatcher)
    try:
        yield
    finally:
        _dispatcher.reset(token)
