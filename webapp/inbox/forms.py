"""Forms of the inbox: the filters, the bulk claim, choosing a colleague."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from workflows.credit.models import Case
from workflows.credit.selectors.departments import department_list
from workflows.selectors.inbox import InboxFilters

DUE_CHOICES = [
    ("", _("Any due date")),
    ("overdue", _("Overdue")),
    ("soon", _("Due within 2 working days")),
    ("on_time", _("On time")),
]
SORT_CHOICES = [
    ("", _("Default: most urgent first, done work latest first")),
    ("due", _("Due date, earliest first")),
    ("-due", _("Due date, latest first")),
]
# The query parameters the filter form owns; anything else in the URL is ignored.
FILTER_FIELDS = ("case_type", "department", "due", "subject", "case_number")
MAX_BULK = 100


class InboxFilterForm(forms.Form):
    """What the inbox shows: a tab, filters and an order, all in the URL."""

    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    case_type = forms.ChoiceField(label=_("Case type"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    due = forms.ChoiceField(label=_("Due"), required=False, choices=DUE_CHOICES)
    subject = forms.CharField(
        label=_("Subject name or code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        case_type = cast(forms.ChoiceField, self.fields["case_type"])
        department = cast(forms.ChoiceField, self.fields["department"])
        case_type.choices = [("", _("All case types")), *Case.Type.choices]
        department.choices = [
            ("", _("All departments")),
            *((d.code, d.name) for d in department_list()),
        ]

    def value(self, name: str) -> str:
        """Return a field's cleaned value, or '' when it is missing or invalid."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            self.is_valid()
        return str(self.cleaned_data.get(name) or "")

    def filters(self) -> InboxFilters:
        return InboxFilters(**{name: self.value(name) for name in FILTER_FIELDS})


class BulkClaimForm(forms.Form):
    """The tasks a reviewer ticked, and the inbox query to go back to."""

    task = forms.TypedMultipleChoiceField(coerce=str, required=True)
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["task"])
        # Any ids are accepted here; the services decide what each one may do.
        ids = data.getlist("task") if data is not None else []
        field.choices = [(i, i) for i in ids[:MAX_BULK]]
        field.error_messages["required"] = _("Tick at least one task.")


class PersonForm(forms.Form):
    """Choose a colleague to delegate or reassign a task to."""

    to_user = forms.ChoiceField(label=_("Colleague"))

    def __init__(
        self, data: QueryDict | None = None, *, people: list[User], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        field = cast(forms.ChoiceField, self.fields["to_user"])
        field.choices = [("", "—")] + [
            (u.get_username(), u.get_full_name() or u.get_username()) for u in people
        ]
