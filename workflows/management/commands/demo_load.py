"""Load demo users, one per role, so a new installation can be tried at once."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workflows import roles

DEMO_USERS: tuple[tuple[str, str | None, str], ...] = (
    ("admin", None, "系统管理员 System administrator (superuser)"),
    ("procadmin", roles.PROCESS_ADMIN, "流程管理员 Process administrator"),
    ("clerk", roles.CREDIT_OFFICE_CLERK, "信用办经办人 Credit office clerk"),
    ("reviewer", roles.REVIEWER, "经办人 Reviewer"),
    ("chief", roles.SECTION_CHIEF, "科室负责人 Section chief"),
    ("head", roles.DEPARTMENT_HEAD, "部门负责人 Department head"),
    ("officer", roles.IMPLEMENTING_OFFICER, "实施部门经办人 Implementing officer"),
    ("auditor", roles.AUDITOR, "审计监察 Auditor"),
    ("company", roles.SUBJECT, "信用主体(企业) Subject (company)"),
)


class Command(BaseCommand):
    help = "Create demo users for every role (refused in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo data is never loaded when APP_ENV=production")
        password = os.environ.get("DEMO_PASSWORD", "demo-pass-2026")
        with transaction.atomic():
            for username, role, _label in DEMO_USERS:
                user, _ = User.objects.get_or_create(username=username)
                user.is_superuser = user.is_staff = role is None
                user.set_password(password)
                user.save()
                if role is not None:
                    user.groups.set([Group.objects.get(name=role)])
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for username, _role, label in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {label}")
