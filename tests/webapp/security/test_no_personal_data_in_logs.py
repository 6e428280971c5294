"""A whole objection, from filing to decision, logs no personal data.

Every record is captured while a person objects through the web app (sign-in,
upload, filing) and the case runs through the services: formal check,
verification, the chief's approval, the decision, the documents rendered and the
notices sent by e-mail and SMS (tasks run eagerly). No record may contain the
subject's name, ID number or credit code, a phone number or an e-mail address:

* with every logger at DEBUG, in what a formatter prints (message, arguments,
  traceback);
* with the root logger at DEBUG (``LOG_LEVEL=DEBUG``) and the project's own
  logger levels, in every attribute of every record, so a JSON formatter that
  prints extra attributes leaks nothing either.

SpiffWorkflow attaches the whole task data to its records as an extra attribute
whenever its loggers are set below INFO; the project keeps them at WARNING
(settings.LOGGING), which the second case checks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from notifications.contacts import user_contact_set
from notifications.documents.services import document_render
from tests.credit.factories import make_resident_id
from tests.credit.processes import conftest as processes
from tests.credit.processes.conftest import World, work
from webapp.celery import app as celery_app
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord, Document, Subject

world = processes.world
frozen = processes.frozen

NAME = "欧阳明月"
RESIDENT_ID = make_resident_id(42, birth="19851231")
PHONE = "13912345678"
EMAIL = "ouyang.mingyue@example.cn"
PASSWORD = "Long-Enough-Pass-1"


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self, *, every_attribute: bool) -> Iterator[str]:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        for record in self.records:
            yield formatter.format(record)  # message, args and any traceback
            if every_attribute:
                yield repr(record.__dict__)


@contextmanager
def _capture(every_logger: bool) -> Iterator[Everything]:
    handler = Everything()
    root = logging.getLogger()
    loggers = [root]
    if every_logger:
        loggers += [logging.getLogger(name) for name in list(root.manager.loggerDict)]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


@pytest.fixture
def eager_tasks(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = False


def _person(world: World) -> tuple[User, CreditRecord]:
    """A natural person with a phone and e-mail, and a record published about them."""
    account = User.objects.create_user("ouyang", email=EMAIL, password=PASSWORD)
    account.groups.add(Group.objects.get(name="subject"))
    user_contact_set(actor=account, user=account, phone=PHONE, language="zh-hans")
    person = Subject.objects.create(
        kind=Subject.Kind.NATURAL_PERSON,
        name=NAME,
        code=RESIDENT_ID,
        contact_phone=PHONE,
        contact_email=EMAIL,
    )
    person.accounts.add(account)
    assert world.record is not None
    record = CreditRecord.objects.get(pk=world.record.pk)
    record.pk = None
    record.subject = person
    record.decision_number = "示市监罚〔2026〕9号"
    record.save()
    return account, record


def _file_on_the_web(account: User, record: CreditRecord) -> Case:
    client = Client()
    signed_in = client.post(
        reverse("accounts:sign_in"), {"username": "ouyang", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    upload = client.post(
        reverse("files:upload"),
        {
            "file": SimpleUploadedFile(f"{NAME}身份证.pdf", b"%PDF-1.7\n" + b"x" * 99),
            "kind": "evidence",
        },
        HTTP_ACCEPT="application/json",
    )
    assert upload.status_code == 201
    return case_file(
        actor=account,
        kind="objection",
        data={
            "record": record.pk,
            "grounds": "record_wrong",
            "reason": f"{NAME}（{RESIDENT_ID}）的罚款金额登记错误",
            "attachments": [upload.json()["id"]],
        },
    )


@pytest.mark.parametrize(
    "every_logger", [True, False], ids=["every-logger-debug", "log-level-debug"]
)
def test_a_whole_objection_logs_no_personal_data(
    world: World,
    frozen: Any,
    eager_tasks: None,
    django_capture_on_commit_callbacks: Any,
    every_logger: bool,
) -> None:
    cache.clear()
    account, record = _person(world)
    with _capture(every_logger) as logs:
        _run_objection(world, account, record, django_capture_on_commit_callbacks)

    assert len(logs.records) > 10, "the logs were not captured"
    assert world.subject is not None
    secrets = {NAME, RESIDENT_ID, RESIDENT_ID[6:14], world.subject.code, PHONE, EMAIL}
    leaks = [
        (secret, text[:500])
        for text in logs.texts(every_attribute=not every_logger)
        for secret in secrets
        if secret in text
    ]
    assert not leaks, leaks


def _run_objection(
    world: World, account: User, record: CreditRecord, on_commit: Any
) -> None:
    with on_commit(execute=True):
        case = _file_on_the_web(account, record)
    with on_commit(execute=True):
        work(
            world["xyb_clerk"],
            case.number,
            "formal_check",
            {"formal_check_result": "accept"},
        )
    with on_commit(execute=True):
        work(
            world["scj_reviewer"],
            case.number,
            "verify_by_source_department",
            {
                "proposed_outcome": "correct",
                "findings": f"核实 {NAME}（{PHONE}）的记录后更正",
                "corrected_content": {"amount": 500},
                "request_extension": False,
            },
        )
    with on_commit(execute=True):
        work(
            world["scj_section_chief"],
            case.number,
            "review_by_section_chief",
            {"chief_approved": True, "chief_comment": ""},
        )
    assert Case.objects.get(pk=case.pk).status == Case.Status.DECIDED
    for document in Document.objects.filter(case=case, rendered_at__isnull=True):
        document_render(document_id=document.pk)
