"""Forms of the files area."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.credit.models import Attachment


class UploadForm(forms.Form):
    """One file and what kind of material it is."""

    file = forms.FileField(label=_("File"), allow_empty_file=False)
    kind = forms.ChoiceField(
        label=_("Kind of material"),
        choices=Attachment.Kind.choices,
        initial=Attachment.Kind.EVIDENCE,
    )
