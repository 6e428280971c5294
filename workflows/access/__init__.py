"""Who may see and do what: roles, object grants, and the checks behind buttons.

``roles`` answers what a user is (auditor, process administrator, member of which
departments); ``grants`` writes the object permissions the runtime gives and takes
as work moves; ``visibility`` builds the SQL conditions the selectors filter by;
``actions`` says which buttons a user gets on a case or a task.
"""

from workflows.access.actions import case_actions, task_actions, task_blocked_reason
from workflows.access.roles import (
    departments_of,
    is_auditor,
    is_process_admin,
    is_system_admin,
    roles_of,
    sees_everything,
)

__all__ = [
    "case_actions",
    "departments_of",
    "is_auditor",
    "is_process_admin",
    "is_system_admin",
    "roles_of",
    "sees_everything",
    "task_actions",
    "task_blocked_reason",
]
