"""Binding audit context for commands, tasks and requests."""

from __future__ import annotations

import contextvars

import pytest

from audit.context import VIA_VALUES, AuditContext, bind, current, normalise_ip
from audit.models import AuditEvent


def test_unbound_code_sees_a_blank_context_and_bind_fills_request_id() -> None:
    def run() -> tuple[AuditContext, AuditContext]:
        before = current()
        with bind(via="worker") as bound:
            return before, bound

    before, bound = contextvars.Context().run(run)
    assert before == AuditContext()
    assert len(bound.request_id) == 32
    assert bound.via == "worker"


def test_nested_bind_inherits_unspecified_values_and_restores_on_exit() -> None:
    with bind(via="worker", request_id="job-1", ip="198.51.100.7"):
        with bind(via="api") as inner:
            assert inner == AuditContext("job-1", "198.51.100.7", "api")
        assert current() == AuditContext("job-1", "198.51.100.7", "worker")
    assert current().request_id == "test-request"


@pytest.mark.parametrize(
    "kwargs", [{"via": "email"}, {"request_id": "has space"}, {"request_id": "x" * 65}]
)
def test_bind_refuses_unknown_via_and_malformed_request_ids(
    kwargs: dict[str, str],
) -> None:
    with pytest.raises(ValueError, match="must"), bind(**kwargs):
        pass


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        (" 203.0.113.5 ", "203.0.113.5"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80::1%eth0", None),
        ("not-an-ip", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_ip_returns_the_database_form_or_none(
    raw: str | None, expected: str | None
) -> None:
    assert normalise_ip(raw) == expected


def test_context_via_values_match_the_model_choices() -> None:
    assert set(AuditEvent.Via.values) - {""} == VIA_VALUES
