"""The embedded default writes e-mail to files; explicit settings always win."""

from __future__ import annotations

from unittest import mock

from django.conf import global_settings

from notifications import conf


def test_without_a_configured_backend_mail_goes_to_files_under_var(settings):
    settings.EMAIL_BACKEND = global_settings.EMAIL_BACKEND
    del settings.EMAIL_FILE_PATH

    with mock.patch.object(conf, "_configured", return_value=False):
        assert conf.email_backend() == conf.FILE_EMAIL_BACKEND
        assert conf.from_email() == conf.DEFAULT_FROM_EMAIL
    assert conf.email_file_path() == settings.VAR_DIR / "mail"


def test_a_configured_backend_is_used_even_when_it_is_smtp(settings):
    settings.EMAIL_BACKEND = global_settings.EMAIL_BACKEND
    settings.DEFAULT_FROM_EMAIL = "gov@example.cn"

    assert conf.email_backend() == global_settings.EMAIL_BACKEND
    assert conf.from_email() == "gov@example.cn"


def test_a_claim_timeout_shorter_than_a_send_may_take_is_raised(settings):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 5

    assert conf.claim_timeout().total_seconds() == conf.SEND_TIME_LIMIT_SECONDS + 60

    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 3600
    assert conf.claim_timeout().total_seconds() == 3600
