"""The staff case search form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.credit.models import Case
from workflows.credit.selectors.departments import department_list


class CaseSearchForm(forms.Form):
    """Filters of the staff case list; every field is optional."""

    q = forms.CharField(
        label=_("Case number or subject"),
        required=False,
        max_length=100,
        help_text=_("Case number, subject name or credit code"),
    )
    case_type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Any type")), *Case.Type.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Case.Status.choices],
    )
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = department_list().order_by("code").values_list("code", "name")
        field = cast(forms.ChoiceField, self.fields["department"])
        field.choices = [
            ("", _("Any department")),
            *((code, f"{code} {name}") for code, name in departments),
        ]
