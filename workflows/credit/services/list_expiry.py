"""Take expired listings off their list, whether or not a process watches them.

A listing made by the list_entry process ends by its own timer; one imported,
loaded as demo data or made before this system ran has no process to remember it.
A daily beat job closes that gap: an expired entry is never left punishing.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from workflows.credit.models import Case, ListEntry
from workflows.credit.services.list_exit import list_exit_start
from workflows.errors import ConflictError, RuntimeServiceError

logger = logging.getLogger(__name__)
# The red list ends by its own process and red_entry_end; these lists exit by case.
EXITING_LISTS = (
    ListEntry.ListType.SERIOUS_DISHONESTY,
    ListEntry.ListType.KEY_ATTENTION,
)


def list_entries_expire_due(*, today: dt.date | None = None) -> list[Case]:
    """Start the exit of every listed entry whose last day in force has passed."""
    today = today or timezone.localdate()
    started = []
    due = (
        ListEntry.objects.listed()
        .filter(list_type__in=EXITING_LISTS)
        .expired_before(today)
        .order_by("valid_to", "pk")
    )
    for entry in due:
        try:
            started.append(list_exit_start(actor=None, entry=entry, reason="expiry"))
        except ConflictError:
            continue  # its own process, or someone, is already exiting it
        except RuntimeServiceError as exc:
            # One broken entry must not keep the others on their lists.
            logger.error(
                "list entry %s: expiry exit failed: %s", entry.pk, type(exc).__name__
            )
    return started
