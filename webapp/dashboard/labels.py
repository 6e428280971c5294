"""Words the dashboard shows for the domain's codes, in the reader's language."""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from workflows.credit.models import Case

CASE_TYPE: Final[dict[str, Promise]] = {
    Case.Type.OBJECTION: pgettext_lazy("dashboard", "Objection"),
    Case.Type.REPAIR: pgettext_lazy("dashboard", "Credit repair"),
    Case.Type.LIST_ENTRY: pgettext_lazy("dashboard", "List entry"),
    Case.Type.LIST_EXIT: pgettext_lazy("dashboard", "List exit"),
    Case.Type.REDLIST: pgettext_lazy("dashboard", "Red-list nomination"),
    Case.Type.APPEAL: pgettext_lazy("dashboard", "Appeal"),
}
OPEN_STATUS: Final[dict[str, Promise]] = {
    Case.Status.SUBMITTED: pgettext_lazy("dashboard", "Submitted"),
    Case.Status.ACCEPTED: pgettext_lazy("dashboard", "Accepted"),
    Case.Status.SUPPLEMENT_REQUESTED: pgettext_lazy("dashboard", "Awaiting materials"),
    Case.Status.UNDER_REVIEW: pgettext_lazy("dashboard", "Under review"),
}


def label(labels: dict[str, Promise], key: str) -> str:
    """Return the label of a code, or the code itself for one not named here."""
    return str(labels.get(key, key))
