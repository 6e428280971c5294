"""Forms of the process administrators' console."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from workflows.credit.models import Department, ListEntry, Measure
from workflows.credit.selectors.departments import department_list
from workflows.engine.parsing import SourceFile
from workflows.services.deploy import MAX_FILE_BYTES
from workflows.workdays.models import NAME_MAX_LENGTH, CalendarOverride

MODEL_SUFFIXES = (".bpmn", ".dmn", ".json")
MAX_FILES = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        accept = ",".join(MODEL_SUFFIXES)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class DeployForm(forms.Form):
    """Upload BPMN, DMN and form (JSON) files to deploy together."""

    model_files = MultipleFileField(label=_("Model files"))
    create_groups = forms.BooleanField(
        label=_("Create candidate groups that do not exist yet"), required=False
    )

    def clean_model_files(self) -> list[SourceFile]:
        uploads: list[UploadedFile] = self.cleaned_data["model_files"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(
                _("Deploy at most %(n)s files at once.") % {"n": MAX_FILES}
            )
        problems = []
        for upload in uploads:
            name = upload.name or ""
            if not name.lower().endswith(MODEL_SUFFIXES):
                problems.append(
                    _("%(name)s: only .bpmn, .dmn and .json files can be deployed.")
                    % {"name": name}
                )
            elif (upload.size or 0) > MAX_FILE_BYTES:
                problems.append(
                    _("%(name)s is larger than %(size)s KiB.")
                    % {"name": name, "size": MAX_FILE_BYTES // 1024}
                )
        if problems:
            raise forms.ValidationError(problems)
        return [SourceFile(name=u.name or "", content=u.read()) for u in uploads]


class CalendarOverrideForm(forms.Form):
    """State that a day is a holiday or a make-up working day."""

    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (CalendarOverride.Kind.HOLIDAY, _("Holiday (not a working day)")),
            (CalendarOverride.Kind.WORKDAY, _("Make-up working day")),
        ],
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("For example 元旦 or 春节."),
    )
    jurisdiction = forms.CharField(
        label=_("Jurisdiction"),
        required=False,
        max_length=32,
        help_text=_("Leave blank for national, or a code such as shanghai."),
    )


class CalendarFilterForm(forms.Form):
    """Which year of overrides to list."""

    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1900, max_value=2999
    )


class MeasureForm(forms.Form):
    """A measure of the catalogue (the code cannot change once created)."""

    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Measure.Kind.choices)
    implementing_department = forms.ModelChoiceField(
        label=_("Implementing department"), queryset=department_list().none()
    )
    list_types = forms.MultipleChoiceField(
        label=_("Lists it applies to"),
        choices=ListEntry.ListType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 4})
    )
    active = forms.BooleanField(label=_("Active (published)"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(
            "forms.ModelChoiceField[Department]", self.fields["implementing_department"]
        )
        field.queryset = department_list(kind="implementing").order_by("code")
        if editing:
            self.fields["code"].disabled = True


class ListEntrySearchForm(forms.Form):
    """Filters of the list-entry search; every field is optional."""

    q = forms.CharField(
        label=_("Subject or decision number"), required=False, max_length=100
    )
    list_type = forms.ChoiceField(
        label=_("List"),
        required=False,
        choices=[("", _("Any list")), *ListEntry.ListType.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ListEntry.Status.choices],
    )


class ReasonForm(forms.Form):
    """Why an administrator suspends, resumes or terminates an instance."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail."),
    )
