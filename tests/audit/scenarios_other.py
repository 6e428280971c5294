"""Service scenarios of the calendar, notifications, accounts and API tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.audit.scenario_support import (
    NOTICE,
    Call,
    Ctx,
    Scenario,
    _atomic,
    _document,
    _failed_outbox,
    _svc,
    call,
)


def _document_render(c: Ctx) -> Call:
    document = _document(c)
    return call(
        "notifications.documents.services.document_render", document_id=document.pk
    )


def _calendar(name: str) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        module = "workflows.workdays.services"
        day = dt.date(2026, 10, 10)
        if name == "calendar_override_remove":
            _svc(f"{module}.calendar_override_set")(
                actor=c.world.admin, day=day, kind="holiday", name="测试"
            )
            return call(f"{module}.{name}", actor=c.world.admin, day=day)
        if name == "calendar_override_set":
            return call(
                f"{module}.{name}",
                actor=c.world.admin,
                day=day,
                kind="holiday",
                name="测试",
            )
        _svc(f"{module}.calendar_override_set")(
            actor=c.world.admin, day=dt.date(2031, 1, 1), kind="holiday", name="元旦"
        )
        return call(f"{module}.{name}", actor=c.world.admin, year=2031)

    return prepare


def _notify(c: Ctx) -> Call:
    return _atomic(
        call(
            "notifications.services.notify",
            recipients=[c["scj_reviewer"]],
            kind="case.accepted",
            title="已受理",
        )
    )


def _notify_task_event(c: Ctx) -> Call:
    return _atomic(
        call(
            "notifications.services.notify_task_event",
            kind="task.assigned",
            task_name="核实",
            case_number="YY-2026-000001",
            recipients=[c["scj_reviewer"]],
        )
    )


def _outbox_message_retry(c: Ctx) -> Call:
    ids = _failed_outbox(c)
    return call(
        "notifications.services.outbox_message_retry", actor=c.world.admin, ids=ids
    )


def _user_contact_set(c: Ctx) -> Call:
    return call(
        "notifications.contacts.user_contact_set",
        actor=c.world.admin,
        user=c["scj_reviewer"],
        phone="13800000000",
        language="zh-hans",
    )


def _channel_preference_set(c: Ctx) -> Call:
    return call(
        "notifications.contacts.channel_preference_set",
        actor=c.world.admin,
        user=c["scj_reviewer"],
        kind_pattern="task.*",
        email=True,
        sms=False,
    )


def _account_password_change(c: Ctx) -> Call:
    return call(
        "webapp.accounts.services.account_password_change",
        actor=c["scj_reviewer"],
        new_password="Another-Secret-2026!",
    )


def _api_token(verb: str) -> Callable[[Ctx], Call]:
    def prepare(c: Ctx) -> Call:
        module = "webapp.api.tokens"
        user = c["scj_reviewer"]
        if verb == "create":
            return call(
                f"{module}.api_token_create", actor=c.world.admin, user=user, name="t"
            )
        issued = _svc(f"{module}.api_token_create")(
            actor=c.world.admin, user=user, name="t"
        )
        return call(
            f"{module}.api_token_revoke", actor=c.world.admin, token_id=issued.token.pk
        )

    return prepare


OTHER: dict[str, Scenario] = {
    "notifications.documents.services.document_render": Scenario(
        "document.render", _document_render
    ),
    "workflows.workdays.services.calendar_override_set": Scenario(
        "calendar_override.set", _calendar("calendar_override_set")
    ),
    "workflows.workdays.services.calendar_override_remove": Scenario(
        "calendar_override.remove", _calendar("calendar_override_remove")
    ),
    "workflows.workdays.services.calendar_year_mark_complete": Scenario(
        "calendar_year.mark_complete", _calendar("calendar_year_mark_complete")
    ),
    "notifications.services.notify": Scenario(NOTICE, _notify),
    "notifications.services.notify_task_event": Scenario(NOTICE, _notify_task_event),
    "notifications.services.outbox_message_retry": Scenario(
        "notification.retry", _outbox_message_retry
    ),
    "notifications.contacts.user_contact_set": Scenario(
        "notification_contact.set", _user_contact_set
    ),
    "notifications.contacts.channel_preference_set": Scenario(
        "notification_preference.set", _channel_preference_set
    ),
    "webapp.accounts.services.account_password_change": Scenario(
        "account.password_change", _account_password_change
    ),
    "webapp.api.tokens.api_token_create": Scenario(
        "api_token.create", _api_token("create")
    ),
    "webapp.api.tokens.api_token_revoke": Scenario(
        "api_token.revoke", _api_token("revoke")
    ),
}
