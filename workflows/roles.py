"""The roles of the system: Django groups with the model permissions each needs.

Object permissions (which case, which task) are granted per object as work moves;
these are the standing, role-wide permissions. Changing this table needs a data
migration that re-applies it (see migrations/0002_roles.py and its successors,
which call ``workflows.role_setup.apply_roles``).
"""

from __future__ import annotations

from typing import Final

SUBJECT: Final = "subject"
AGENT: Final = "agent"
CREDIT_OFFICE_CLERK: Final = "credit_office_clerk"
REVIEWER: Final = "reviewer"
SECTION_CHIEF: Final = "section_chief"
DEPARTMENT_HEAD: Final = "department_head"
IMPLEMENTING_OFFICER: Final = "implementing_officer"
AUDITOR: Final = "auditor"
PROCESS_ADMIN: Final = "process_admin"
SYSTEM_ADMIN: Final = "system_admin"

# Read access to the runtime's operational data (instances, incidents, models).
OPERATOR_VIEW: Final = (
    "workflows.view_processinstance",
    "workflows.view_processdefinition",
    "workflows.view_incident",
)

# domain.md: the process administrator maintains policy tables and calendars.
CALENDAR_MAINTENANCE: Final = (
    "workdays.view_calendaroverride",
    "workdays.change_calendaroverride",
    "workdays.delete_calendaroverride",
    "workdays.view_calendaryear",
    "workdays.change_calendaryear",
)

# Staff who decide cases see full personal ID numbers (each view is audited).
FULL_IDENTIFIER: Final = ("credit.view_full_identifier",)

# role -> (Chinese name, English name, "app_label.codename" permissions)
ROLES: Final[dict[str, tuple[str, str, tuple[str, ...]]]] = {
    SUBJECT: ("信用主体", "Subject", ("workflows.start_process",)),
    AGENT: ("代理人", "Agent", ("workflows.start_process",)),
    CREDIT_OFFICE_CLERK: (
        "信用办经办人",
        "Credit office clerk",
        ("workflows.start_process", "credit.add_attachment", *FULL_IDENTIFIER),
    ),
    REVIEWER: ("经办人", "Reviewer", ("workflows.start_process", *FULL_IDENTIFIER)),
    SECTION_CHIEF: (
        "科室负责人",
        "Section chief",
        ("workflows.start_process", "workflows.reassign_task", *FULL_IDENTIFIER),
    ),
    DEPARTMENT_HEAD: (
        "部门负责人",
        "Department head",
        ("workflows.start_process", "workflows.reassign_task", *FULL_IDENTIFIER),
    ),
    IMPLEMENTING_OFFICER: (
        "联合奖惩实施部门经办人",
        "Implementing-department officer",
        (),
    ),
    AUDITOR: (
        "审计监察",
        "Auditor",
        ("audit.view_auditevent", *OPERATOR_VIEW, *FULL_IDENTIFIER),
    ),
    PROCESS_ADMIN: (
        "流程管理员",
        "Process administrator",
        (
            *OPERATOR_VIEW,
            *CALENDAR_MAINTENANCE,
            "workflows.deploy_definition",
            "workflows.manage_instance",
            "workflows.retry_incident",
            "workflows.deliver_message",
        ),
    ),
    SYSTEM_ADMIN: (
        "系统管理员",
        "System administrator",
        (
            *OPERATOR_VIEW,
            "workflows.manage_instance",
            "workflows.retry_incident",
            "workflows.deliver_message",
            "workflows.reassign_task",
            "credit.add_department",
            "credit.change_department",
            "credit.add_membership",
            "credit.delete_membership",
        ),
    ),
}
