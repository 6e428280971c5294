"""Forms of the subject portal: objection, repair request, supplement, appeal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import pgettext, pgettext_lazy

from webapp.portal import labels
from webapp.portal.present import in_reader_language, record_choice_label
from workflows.credit.models import CreditRecord
from workflows.credit.models.records import CreditRecordQuerySet
from workflows.errors import ConflictError, NotFoundError, RuntimeServiceError

REASON_MAX = 5000
NOTE_MAX = 2000


class AttachmentIdsField(forms.Field):
    """The ids of files staged by the upload component, carried as hidden inputs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise ValidationError(
                pgettext_lazy(
                    "portal",
                    "Some files did not upload properly; please add them again.",
                ),
                code="invalid",
            ) from None


if TYPE_CHECKING:
    _RecordField = forms.ModelChoiceField[CreditRecord]
else:  # ModelChoiceField is generic only in the type stubs
    _RecordField = forms.ModelChoiceField


class RecordChoiceField(_RecordField):
    def label_from_instance(self, obj: CreditRecord) -> str:
        return record_choice_label(obj)


class FilingForm(forms.Form):
    """A form that files a case once: it carries a one-time token."""

    token = forms.CharField(widget=forms.HiddenInput)
    attachments = AttachmentIdsField(required=False)

    def _set_records(self, records: CreditRecordQuerySet) -> None:
        field = self.fields["record"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = records

    def add_service_error(self, error: RuntimeServiceError) -> None:
        """Show a service's refusal beside the field it names, else above the form."""
        problems = [str(p) for p in getattr(error, "problems", [])]
        message = in_reader_language(str(error).splitlines()[0])
        if isinstance(error, NotFoundError) and "record" in self.fields:
            self.add_error(
                "record", pgettext("portal", "This record cannot be chosen.")
            )
            return
        named = [p for p in problems if p in self.fields and p != "token"]
        if named and not isinstance(error, ConflictError):
            for name in named:
                self.add_error(name, message)
            return
        self.add_error(None, message)
        for problem in problems:
            if problem not in self.fields:
                self.add_error(None, in_reader_language(problem))


class ObjectionForm(FilingForm):
    record = RecordChoiceField(
        queryset=CreditRecord.objects.none(),
        label=pgettext_lazy("portal", "Which record is wrong?"),
        empty_label=pgettext_lazy("portal", "Choose a record"),
    )
    grounds = forms.ChoiceField(
        label=pgettext_lazy("portal", "Why do you object?"),
        choices=list(labels.GROUNDS.items()),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=pgettext_lazy("portal", "What is wrong, and what is right?"),
        help_text=pgettext_lazy(
            "portal", "Say what the record gets wrong and what the facts are."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = ["token", "record", "grounds", "reason", "attachments"]

    def __init__(self, *args: Any, records: CreditRecordQuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._set_records(records)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "record": data["record"].pk,
            "grounds": data["grounds"],
            "reason": data["reason"],
            "attachments": data["attachments"],
        }


class RepairForm(FilingForm):
    record = forms.ModelChoiceField(
        queryset=CreditRecord.objects.none(), widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=pgettext_lazy("portal", "How have you corrected the behaviour?"),
        help_text=pgettext_lazy(
            "portal",
            "For example: the fine was paid on a date, the annual report was filed.",
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    accept_commitment = forms.BooleanField(
        label=pgettext_lazy(
            "portal", "I have read the credit commitment above and make it."
        ),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        records: CreditRecordQuerySet,
        commitment_required: bool,
        commitment_text: str,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self._set_records(records)
        self.fields["accept_commitment"].required = commitment_required
        self.commitment_text = commitment_text

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        commitment = self.commitment_text if data["accept_commitment"] else ""
        return {
            "record": data["record"].pk,
            "reason": data["reason"],
            "commitment": commitment,
            "attachments": data["attachments"],
        }


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("portal", "Your note"),
        help_text=pgettext_lazy("portal", "Explain what you are sending, if it helps."),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = AttachmentIdsField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("note") and not data.get("attachments"):
            raise ValidationError(
                pgettext_lazy("portal", "Add the missing files or write a note."),
                code="empty",
            )
        return data


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("portal", "Why should the decision be reviewed?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
