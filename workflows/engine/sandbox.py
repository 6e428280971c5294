"""Run every BPMN/DMN expression and script under RestrictedPython with a time limit.

SpiffWorkflow's default environment is plain ``eval``/``exec``, and its "safe globals"
recipe is escapable through ``().__class__.__base__.__subclasses__()``. RestrictedPython
forbids ``_`` names and attributes (here also imports and classes), a small builtins
table replaces the real one, and a per-thread trace function enforces a wall-clock
limit. Scripts read and write task data as variables, as in ``TaskDataEnvironment``.
"""

from __future__ import annotations

import ast
import functools
import operator
import re
import sys
import time
import types
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from RestrictedPython.compile import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safe_builtins,
    safer_getattr_raise,
)
from RestrictedPython.PrintCollector import PrintCollector
from RestrictedPython.transformer import RestrictingNodeTransformer
from RestrictedPython.Utilities import utility_builtins
from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment

from workflows.engine.helpers import HELPERS

Mode = Literal["eval", "exec"]
TraceFunction = Callable[[types.FrameType, str, Any], Any]
TaskData = dict[str, Any]
External = Mapping[str, Any] | None

# SpiffWorkflow locates the failing script line by this file name in the traceback.
_FILENAME = "<string>"
# Reading the clock on every trace event would double the tracing cost; a loop
# still reaches this many events within microseconds.
_CHECK_EVERY = 50
_DEADLINE_CHECK = "_sandbox_deadline_"


class ExpressionTimeout(Exception):
    """An expression or script ran longer than the sandbox's wall-clock limit."""


class _SandboxPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy without imports or classes, and with firm timeouts.

    A trace function that raises is switched off by CPython, so a script catching
    ``ExpressionTimeout`` could loop forever afterwards; every ``except`` and
    ``finally`` block therefore re-raises first once the deadline has passed.
    """

    def _refuse(self, node: ast.AST) -> ast.AST:
        # Nothing is importable anyway; refusing here lets deploy validation see it.
        self.not_allowed(node)
        return node

    visit_Import = visit_ImportFrom = visit_ClassDef = _refuse

    def visit_While(self, node: ast.While) -> ast.AST:
        # CPython 3.11 compiles "while True: pass" to a jump onto itself, which
        # emits no trace event at all; a call in the body makes every pass visible.
        node = self.node_contents_visit(node)
        node.body.insert(0, _deadline_check_statement(node.body[0]))
        return node

    def visit_Try(self, node: ast.Try) -> ast.AST:
        node = self.node_contents_visit(node)
        for handler in node.handlers:
            handler.body.insert(0, _deadline_check_statement(handler))
        if node.finalbody:
            node.finalbody.insert(0, _deadline_check_statement(node.finalbody[0]))
        return node


def _deadline_check_statement(location: ast.AST) -> ast.stmt:
    call = ast.Call(func=ast.Name(_DEADLINE_CHECK, ast.Load()), args=[], keywords=[])
    statement = ast.copy_location(ast.Expr(value=call), location)
    return ast.fix_missing_locations(statement)


@functools.lru_cache(maxsize=4096)
def _compile(source: str, mode: Mode) -> tuple[types.CodeType | None, str, int]:
    if mode == "eval":
        # Builtin eval() skips leading blanks, and BPMN condition text often has some.
        source = source.lstrip(" \t")
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    result = compiler(source, filename=_FILENAME, policy=_SandboxPolicy)
    if result.code is not None:
        return result.code, "", 0
    message = " ".join("; ".join(result.errors).split())
    found = re.search(r"Line (\d+)", message)
    return None, message, int(found.group(1)) if found else 0


def _compiled(source: str, mode: Mode) -> types.CodeType:
    code, message, line = _compile(source, mode)
    if code is None:
        # SpiffWorkflow compares a SyntaxError's line number to 0: it must be set.
        raise SyntaxError(message, (_FILENAME, line, 0, None))
    return code


def compile_check(source: str, mode: Literal["eval", "exec"]) -> str | None:
    """Return None if the source compiles under the sandbox, else a one-line error."""
    if not isinstance(source, str):
        return f"expected Python source text, got {type(source).__name__}"
    return _compile(source, mode)[1] or None


class _Deadline:
    """Per-call state of the time limit, driven by ``sys.settrace`` events.

    ``check`` runs at the top of every while body, except and finally block. It
    reads the clock and re-installs the tracer if CPython dropped it, as it does
    when the tracer raises (RecursionError at the depth limit too) and the script
    catches that.
    """

    __slots__ = ("expires_at", "limit", "trace")

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.expires_at = time.monotonic() + limit
        self.trace = self._tracer()

    def _tracer(self) -> TraceFunction:
        # A closure over a local counter costs a quarter less per event than a
        # bound method updating an attribute, and it runs on every traced line.
        countdown = _CHECK_EVERY

        def trace(frame: types.FrameType, event: str, arg: Any) -> TraceFunction | None:
            nonlocal countdown
            countdown -= 1
            if not countdown:
                countdown = _CHECK_EVERY
                self.raise_if_expired()
            # Line events only in sandboxed frames; guards and helpers report calls.
            if event == "call" and frame.f_code.co_filename != _FILENAME:
                return None
            return trace

        return trace

    def raise_if_expired(self) -> None:
        if time.monotonic() >= self.expires_at:
            raise ExpressionTimeout(f"ran longer than the {self.limit:g} s time limit")

    def check(self) -> None:
        self.raise_if_expired()
        if sys.gettrace() is None:
            sys.settrace(self.trace)
            frame: types.FrameType | None = sys._getframe(1)
            while frame is not None:
                if frame.f_code.co_filename == _FILENAME:
                    frame.f_trace = self.trace
                frame = frame.f_back


def _write_guard(target: Any) -> Any:
    # Scripts may fill the dicts and lists they build or read from task data; any
    # other object is wrapped by RestrictedPython, whose wrapper refuses the write.
    if isinstance(target, dict | list):
        return target
    return full_write_guard(target)


# Tables are kept one row per line of related names, hence no auto-formatting.
# fmt: off
_INPLACE_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
    "/=": operator.itruediv, "//=": operator.ifloordiv, "%=": operator.imod,
    "**=": operator.ipow, "<<=": operator.ilshift, ">>=": operator.irshift,
    "|=": operator.ior, "^=": operator.ixor, "&=": operator.iand,
    "@=": operator.imatmul,
}
# BaseException and its non-Exception subclasses could stop a worker (SystemExit)
# or slip past SpiffWorkflow's error wrapping; classes and setattr are not needed.
_REFUSED_BUILTINS = frozenset({
    "__build_class__", "_getattr_", "setattr", "delattr",
    "BaseException", "GeneratorExit", "KeyboardInterrupt", "SystemExit",
})
# RestrictedPython leaves out builtins that iterate in C because they bypass a
# per-item _getiter_ policy; this sandbox iterates with plain iter(), so they
# expose nothing more. limited_builtins is not used: its list()/tuple() fail
# without an argument and its range() cap bounds no memory ([0] * 10**9 exists).
_OFFERED = (
    dict, list, tuple, sorted, reversed, enumerate, zip, map, filter,
    min, max, sum, any, all, datetime, date, timedelta, timezone,
)
# fmt: on
# RestrictedPython rewrites "n += 1" as _inplacevar_("+=", n, 1), and calls that
# use *args or **kwargs as _apply_(f, ...).
_GUARDS: dict[str, object] = {
    "_getattr_": safer_getattr_raise,
    "_getitem_": operator.getitem,
    "_getiter_": iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": _write_guard,
    "_inplacevar_": lambda op, target, value: _INPLACE_OPERATORS[op](target, value),
    "_apply_": lambda function, *args, **kwargs: function(*args, **kwargs),
    "_print_": PrintCollector,
}
_BUILTINS: dict[str, object] = {
    **{k: v for k, v in safe_builtins.items() if k not in _REFUSED_BUILTINS},
    **{k: utility_builtins[k] for k in ("math", "set", "frozenset")},
    **{offered.__name__: offered for offered in _OFFERED},
    **HELPERS,
}


class SandboxedEnvironment(TaskDataEnvironment):  # type: ignore[misc]
    """A ``TaskDataEnvironment`` that compiles with RestrictedPython and times out."""

    def __init__(
        self, extra_globals: Mapping[str, object] | None = None, time_limit: float = 2.0
    ) -> None:
        if time_limit <= 0:
            raise ValueError("time_limit must be a positive number of seconds")
        extra = dict(extra_globals or {})
        refused = [name for name in extra if not name.isidentifier() or name[0] == "_"]
        if refused:
            raise ValueError(f"sandbox globals must be public identifiers: {refused}")
        # Offered names live in __builtins__, not in the globals: task data of the
        # same name (a form field called "date") then shadows them instead of
        # failing every script in check_for_overwrite or being dropped after it.
        builtins = {**_BUILTINS, **extra}
        super().__init__({**_GUARDS, "__builtins__": builtins})
        self.time_limit = time_limit

    def evaluate(
        self, expression: str, context: TaskData, external_context: External = None
    ) -> Any:
        """Evaluate an expression against task data and return its value."""
        code = _compiled(expression, "eval")
        self._prepare_context(context)
        namespace = {**(external_context or {}), **context}
        # Guards go last so no task-data key can replace them.
        namespace.update(self.globals)
        return self._run(code, namespace)

    def execute(
        self, script: str, context: TaskData, external_context: External = None
    ) -> bool:
        """Run a script whose variables are the task data itself."""
        self.check_for_overwrite(context, external_context or {})
        code = _compiled(script, "exec")
        self._prepare_context(context)
        context.update(external_context or {})
        context.update(self.globals)
        try:
            self._run(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True

    def _remove_globals_and_functions_from_context(
        self, context: TaskData, external_context: External = None
    ) -> None:
        super()._remove_globals_and_functions_from_context(context, external_context)
        # A module assigned to a variable (m = math) is no more serialisable than
        # the functions the base class already drops.
        for name in [k for k, v in context.items() if isinstance(v, types.ModuleType)]:
            del context[name]

    def _run(self, code: types.CodeType, namespace: TaskData) -> Any:
        deadline = _Deadline(self.time_limit)
        namespace[_DEADLINE_CHECK] = deadline.check
        previous = sys.gettrace()
        sys.settrace(deadline.trace)
        try:
            # eval() also runs exec-mode code objects (returning None); the code was
            # compiled by RestrictedPython and sees only the sandbox builtins.
            return eval(code, namespace)  # noqa: S307
        finally:
            # Hand tracing back to coverage or a debugger, if one was active.
            sys.settrace(previous)


def build_script_engine(
    extra_globals: Mapping[str, object] | None = None,
    time_limit: float = 2.0,
    engine_class: type[Any] = PythonScriptEngine,
) -> Any:
    """Build a SpiffWorkflow script engine whose environment is the sandbox."""
    environment = SandboxedEnvironment(extra_globals, time_limit)
    return engine_class(environment=environment)
