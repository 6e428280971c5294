"""Settings of a worker subprocess whose sends hang until the test kills it."""

import os

from webapp.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.notifications.support.HangingEmailBackend"
EMAIL_FILE_PATH = os.environ["NTF_MAIL_DIR"]
DEFAULT_FROM_EMAIL = os.environ["NTF_FROM_EMAIL"]
SMS_BACKEND = "tests.notifications.support.HangingSmsBackend"
