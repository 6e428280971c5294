"""Forms of the auditors' workspace: the event search and the verification range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from workflows.credit.selectors.cases import case_list_for_user
from workflows.credit.selectors.departments import department_list

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditSearchForm(forms.Form):
    """Filters of the event search; every field is optional."""

    case_number = forms.CharField(label=_("Case number"), required=False, max_length=64)
    subject = forms.CharField(
        label=_("Subject's code"),
        required=False,
        max_length=32,
        help_text=_("Unified social credit code or ID number: events of its cases"),
    )
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=150,
        help_text=_("A username, or system:<job> for the system's own jobs"),
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_('For example task.complete; end with "." for a family: task.'),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = (
            department_list(include_inactive=True)
            .order_by("code")
            .values_list("code", "name")
        )
        department = self.fields["department"]
        assert isinstance(department, forms.ChoiceField)  # noqa: S101 (declared above)
        department.choices = [
            ("", _("Any department")),
            *((code, f"{code} {name}") for code, name in departments),
        ]

    def clean_case_number(self) -> str:
        return str(self.cleaned_data["case_number"]).strip().upper()

    def clean_subject(self) -> str:
        return str(self.cleaned_data["subject"]).strip().upper()

    def clean_actor(self) -> str:
        return str(self.cleaned_data["actor"]).strip()

    def clean_action(self) -> str:
        return str(self.cleaned_data["action"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: dt.date | None = cleaned.get("date_from")
        end: dt.date | None = cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Return the filled-in filters (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}

    def applied(self) -> list[tuple[str, str]]:
        """Return (label, value) of each filled-in filter, for reports."""
        return [
            (str(self.fields[name].label), str(value))
            for name, value in self.filters().items()
        ]


def search_arguments(
    user: User | AnonymousUser, filters: dict[str, Any]
) -> dict[str, Any]:
    """Turn the form's filters into audit_event_search() keyword arguments."""
    arguments = {k: v for k, v in filters.items() if k != "subject"}
    if filters.get("subject"):
        numbers: QuerySet[Any, str] = (
            case_list_for_user(user)
            .filter(subject__code=filters["subject"])
            .values_list("number", flat=True)
        )
        arguments["case_numbers"] = numbers
    return arguments


class VerifyForm(forms.Form):
    """An optional sequence range for "verify now"; empty means the whole chain."""

    from_seq = forms.IntegerField(label=_("From event"), required=False, min_value=1)
    to_seq = forms.IntegerField(label=_("To event"), required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from_seq"), cleaned.get("to_seq")
        if start and end and start > end:
            self.add_error("to_seq", _("The last event is before the first."))
        return cleaned


def query_without_page(request: HttpRequest) -> str:
    """Return the request's query string without ``page`` (for pagination links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
