"""E-mail and SMS text comes from templates in the recipient's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from notifications.models import Language, OutboxMessage
from notifications.rendering import render_message, template_names
from notifications.services import notify
from tests.notifications.factories import UserContactFactory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).parents[2] / "notifications/templates/notifications"


def _supplement(user):
    notify(
        recipients=[user],
        kind="case.supplement_requested",
        title="请补正材料 Materials needed: 异议-2026-0007",
        body="营业执照复印件\n法定代表人身份证明",
        case_number="异议-2026-0007",
    )
    return OutboxMessage.objects.get(
        notification__recipient=user, channel=OutboxMessage.Channel.EMAIL
    )


def test_a_chinese_reader_gets_the_chinese_template(person):
    message = _supplement(person)

    assert message.language == "zh-hans"
    assert message.subject == "请补正材料：异议-2026-0007"
    assert message.body.startswith("张三，您好：")
    assert "营业执照复印件\n法定代表人身份证明" in message.body
    assert "逾期未补正的，案件将终止办理" in message.body


def test_an_english_reader_gets_the_english_template():
    reader = UserContactFactory.create(language=Language.EN).user

    message = _supplement(reader)

    assert message.language == "en"
    assert message.subject == "Materials needed: 异议-2026-0007"
    assert message.body.startswith("Dear 小明,")
    assert "otherwise the case will be closed" in message.body


def test_the_sms_says_what_the_subject_line_says(person):
    _supplement(person)

    sms = OutboxMessage.objects.get(channel=OutboxMessage.Channel.SMS)
    assert sms.body == "请补正材料：异议-2026-0007"


def test_a_kind_without_its_own_template_uses_the_default_with_the_title():
    reader = UserContactFactory.create(language=Language.EN).user

    notify(
        recipients=[reader],
        kind="redlist.listed",
        title="列入守信红名单 Listed: 红名单-2026-0001",
        body="有效期三年",
    )

    message = OutboxMessage.objects.get(channel=OutboxMessage.Channel.EMAIL)
    assert message.subject == "列入守信红名单 Listed: 红名单-2026-0001"
    assert "有效期三年" in message.body


def test_text_is_not_html_escaped():
    rendered = render_message(
        kind="case.not_accepted",
        language="zh-hans",
        context={"case_number": "A&B", "body": '<材料> & "证明"', "recipient": "李"},
    )

    assert rendered.subject == "案件不予受理：A&B"
    assert '<材料> & "证明"' in rendered.body


def test_an_unknown_language_falls_back_to_chinese_and_odd_kinds_to_default():
    assert template_names("case.accepted", "fr") == [
        "notifications/case.accepted.zh-hans.txt",
        "notifications/default.zh-hans.txt",
    ]
    assert template_names("../../etc/passwd", "en") == [
        "notifications/default.en.txt",
        "notifications/default.zh-hans.txt",
    ]


def test_every_template_exists_in_both_languages_and_has_a_subject_line():
    names = {p.name for p in TEMPLATES.glob("*.txt")}
    kinds = {name.rsplit(".", 2)[0] for name in names}
    for kind in kinds:
        for language in Language.values:
            rendered = render_message(
                kind=kind,
                language=language,
                context={"title": "T", "case_number": "C-1", "recipient": "R"},
            )
            assert f"{kind}.{language}.txt" in names
            assert rendered.subject
            assert "\n\n\n" not in rendered.body
