"""The sandbox refuses escapes and keeps ordinary expressions and scripts working."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine

from workflows.engine import sandbox
from workflows.engine.sandbox import (
    SandboxedEnvironment,
    build_script_engine,
    compile_check,
)


@pytest.fixture
def env() -> SandboxedEnvironment:
    return SandboxedEnvironment()


@pytest.mark.parametrize(
    ("mode", "source", "error", "match"),
    [
        ("exec", "import os", SyntaxError, "Import statements are not allowed"),
        ("exec", "from os import path", SyntaxError, "not allowed"),
        ("eval", "__import__('os')", SyntaxError, "__import__"),
        ("eval", "open('/etc/passwd')", NameError, "open"),
        ("eval", "eval('1')", SyntaxError, "Eval calls are not allowed"),
        ("exec", "exec('x=1')", SyntaxError, "Exec calls are not allowed"),
        ("eval", "compile('1', 'f', 'eval')", NameError, "compile"),
        ("eval", "().__class__.__base__.__subclasses__()", SyntaxError, "__class__"),
        ("eval", "getattr(x, '__class__')", NameError, "getattr"),
        ("exec", "def f():\n    pass\ny = f.__globals__", SyntaxError, "__globals__"),
        ("eval", "'{0.__class__}'.format(1)", NotImplementedError, "format"),
        ("eval", "'{0.__class__}'.format_map({})", NotImplementedError, "format"),
        ("eval", "str.format('{0.__class__}', 1)", NotImplementedError, "format"),
        ("eval", "template.format(x)", NotImplementedError, "format"),
        ("eval", "vars(x)", NameError, "vars"),
        ("exec", "raise SystemExit()", NameError, "SystemExit"),
        ("exec", "class Escape:\n    pass", SyntaxError, "ClassDef"),
        ("exec", "moment = datetime.now()\nmoment.year = 1", TypeError, "attribute"),
    ],
)
def test_refuses_escapes_with_an_error(env, mode, source, error, match):
    context: dict[str, Any] = {"x": 1, "template": "{0.__class__}"}
    run = env.evaluate if mode == "eval" else env.execute
    with pytest.raises(error, match=match):
        run(source, context)


def test_a_missing_attribute_raises_instead_of_yielding_none(env):
    with pytest.raises(AttributeError):
        env.evaluate("order.totl", {"order": {}})


@pytest.mark.parametrize(
    ("expression", "context", "expected"),
    [
        ("(a + b) * 2 // 3 % 5", {"a": 4, "b": 5}, 1),
        ("name.upper() + '-' + name[1:3]", {"name": "chuck"}, "CHUCK-hu"),
        ("telephone[-10:]", {"telephone": "17138686003"}, "7138686003"),
        ("'big' if amount >= 10000 else 'small'", {"amount": 12000}, "big"),
        ("[x * x for x in values if x % 2]", {"values": [1, 2, 3]}, [1, 9]),
        ("{k: v for k, v in pairs}", {"pairs": [("a", 1)]}, {"a": 1}),
        ("sorted(zip(b, a))", {"a": [1, 2], "b": [2, 1]}, [(1, 2), (2, 1)]),
        ("max(values) + min(values) + sum(values)", {"values": [1, 5]}, 12),
        ("math.floor(2.7) + len(set([1, 1]))", {}, 3),
        ("f'{amount:,}'", {"amount": 12000}, "12,000"),
        ("'%s/%d' % (name, 3)", {"name": "a"}, "a/3"),
        (
            "(datetime(2026, 1, 5) + timedelta(days=1)).isoformat()",
            {},
            "2026-01-06T00:00:00",
        ),
        ("date(2026, 1, 5).isoformat()", {}, "2026-01-05"),
        (
            "datetime(2026, 1, 5, tzinfo=timezone.utc).isoformat()",
            {},
            "2026-01-05T00:00:00+00:00",
        ),
        ("days_between('2026-01-05', due)", {"due": "2026-02-04"}, 30),
        ("   approved == True", {"approved": True}, True),
    ],
)
def test_ordinary_expressions_keep_working(env, expression, context, expected):
    assert env.evaluate(expression, context) == expected


def test_now_based_timer_expressions_produce_iso_text(env):
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=UTC), tick=False):
        due = env.evaluate("(datetime.now() + timedelta(seconds=1)).isoformat()", {})
    assert due == "2026-01-05T09:00:01"


@pytest.mark.parametrize(
    ("expression", "context", "external", "expected"),
    [
        ("amount>= 10000", {"amount": 12000}, None, True),
        ("amount>= 10000", {"amount": 9999}, None, False),
        ('(lastName) == ("Norris")', {"lastName": "Norris"}, None, True),
        ("4 < dmninputexpr < 6", {}, {"dmninputexpr": 5}, True),
        ("kind in ('retail', 'sme')", {"kind": "sme"}, None, True),
    ],
)
def test_evaluates_dmn_cell_expressions(env, expression, context, external, expected):
    assert env.evaluate(expression, context, external) is expected


SCRIPT = """\
total = 0
for name, amount in items:
    total += amount
summary = {"count": len(items)}
summary["total"] = total
names = [name for name, _ in items]
names[0] = names[0].title()
due = (datetime(2026, 1, 5) + timedelta(days=14)).isoformat()
if total > 100:
    level = "high"
else:
    level = "low"
def helper():
    return 1
m = math
print(level)
del scratch
"""


def test_a_script_writes_task_data_and_leaves_no_functions_or_guards(env):
    context: dict[str, Any] = {"items": [("rent", 90), ("fee", 20)], "scratch": 1}
    assert env.execute(SCRIPT, context) is True
    assert context == {
        "items": [("rent", 90), ("fee", 20)],
        "total": 110,
        "summary": {"count": 2, "total": 110},
        "names": ["Rent", "fee"],
        "due": "2026-01-19T00:00:00",
        "level": "high",
        "name": "fee",
        "amount": 20,
    }


def test_cleans_the_context_when_a_script_fails(env):
    context: dict[str, Any] = {}
    with pytest.raises(ZeroDivisionError):
        env.execute("written = 1\ndef f():\n    pass\nboom = 1 / 0", context)
    assert context == {"written": 1}


def test_evaluate_leaves_the_task_data_untouched(env):
    context = {"a": 1}
    assert env.evaluate("a + 1", context) == 2
    assert context == {"a": 1}


def test_task_data_named_like_an_offered_global_shadows_it(env):
    context: dict[str, Any] = {"date": "2026-01-05"}
    env.execute("copy = date", context)
    assert context == {"date": "2026-01-05", "copy": "2026-01-05"}


def test_task_data_cannot_replace_a_guard(env):
    with pytest.raises(SyntaxError):
        env.evaluate("x.__class__", {"x": 1, "_getattr_": getattr})
    assert env.evaluate("x.real", {"x": 1, "_getattr_": "not a function"}) == 1


def test_a_syntax_error_carries_its_line_number(env):
    with pytest.raises(SyntaxError) as raised:
        env.execute("x = 1\ny = (", {})
    assert raised.value.lineno == 2


def test_extra_globals_are_offered_to_expressions():
    env = SandboxedEnvironment(extra_globals={"double": lambda n: n * 2})
    assert env.evaluate("double(21)", {}) == 42


@pytest.mark.parametrize("name", ["_hidden", "not valid", "__import__"])
def test_refuses_extra_globals_that_are_not_public_names(name):
    with pytest.raises(ValueError, match="public identifiers"):
        SandboxedEnvironment(extra_globals={name: len})


def test_refuses_a_time_limit_that_is_not_positive():
    with pytest.raises(ValueError, match="time_limit"):
        SandboxedEnvironment(time_limit=0)


def test_compiles_each_distinct_source_once(env):
    expression = "cache_probe_value + 1"
    before = sandbox._compile.cache_info()
    for value in range(3):
        env.evaluate(expression, {"cache_probe_value": value})
    after = sandbox._compile.cache_info()
    assert after.misses - before.misses == 1
    assert after.hits - before.hits == 2


@pytest.mark.parametrize(
    ("source", "mode"),
    [("amount >= 10000", "eval"), ("  ok", "eval"), (SCRIPT, "exec")],
)
def test_compile_check_accepts_sandbox_code(source, mode):
    assert compile_check(source, mode) is None


@pytest.mark.parametrize(
    ("source", "mode", "fragment"),
    [
        ("import os", "exec", "Import statements are not allowed"),
        ("x.__class__\ny.__dict__", "exec", "__dict__"),
        ("x ==", "eval", "SyntaxError"),
        (">= 10000", "eval", "SyntaxError"),
        ("x = 1", "eval", "SyntaxError"),
    ],
)
def test_compile_check_explains_refusals_in_one_line(source, mode, fragment):
    message = compile_check(source, mode)
    assert message is not None
    assert fragment in message
    assert "\n" not in message


def test_compile_check_explains_a_missing_expression():
    assert compile_check(None, "eval") == "expected Python source text, got NoneType"  # type: ignore[arg-type]


def test_build_script_engine_uses_the_sandbox():
    engine = build_script_engine(time_limit=1.5)
    assert type(engine) is PythonScriptEngine
    assert isinstance(engine.environment, SandboxedEnvironment)
    assert engine.environment.time_limit == 1.5


def test_build_script_engine_accepts_an_engine_subclass():
    class ServiceEngine(PythonScriptEngine):  # type: ignore[misc]
        pass

    engine = build_script_engine(
        {"double": lambda n: n * 2}, engine_class=ServiceEngine
    )
    assert isinstance(engine, ServiceEngine)
    assert engine.environment.evaluate("double(2)", {}) == 4
