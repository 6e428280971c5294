"""The administrators' holiday table, which overrides and extends chinese_calendar."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

# A blank jurisdiction means the row applies nationally.
NATIONAL = ""
NAME_MAX_LENGTH = 100
JURISDICTION_PATTERN = re.compile(r"\A[a-z][a-z0-9_]{0,31}\Z")
jurisdiction_code = RegexValidator(
    JURISDICTION_PATTERN,
    "Leave blank for national, or give a lower-case code such as 'shanghai'.",
)


class CalendarOverride(models.Model):
    """One day whose working status an administrator has stated."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "holiday (not a working day)"
        WORKDAY = "workday", "make-up working day (调休上班)"

    date = models.DateField()
    jurisdiction = models.CharField(
        max_length=32,
        blank=True,
        default=NATIONAL,
        validators=[jurisdiction_code],
        help_text="Blank applies nationally; else a code such as 'shanghai'.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(
        max_length=NAME_MAX_LENGTH, help_text="For example 元旦 or 春节."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "jurisdiction"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "jurisdiction"], name="workdays_override_one_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]),
                name="workdays_override_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        where = self.jurisdiction or "national"
        return f"{self.date} {self.kind} {self.name} ({where})"

    @property
    def is_working_day(self) -> bool:
        """Say whether this override makes its day a working day."""
        return self.kind == self.Kind.WORKDAY


class CalendarYear(models.Model):
    """An administrator's statement that a year's official holidays are all entered.

    For a year chinese_calendar does not know, this makes Monday to Friday plus the
    overrides authoritative instead of a provisional guess.
    """

    year = models.PositiveSmallIntegerField()
    jurisdiction = models.CharField(
        max_length=32,
        blank=True,
        default=NATIONAL,
        validators=[jurisdiction_code],
        help_text="Blank applies nationally; else a code such as 'shanghai'.",
    )
    complete = models.BooleanField(default=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["year", "jurisdiction"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "jurisdiction"], name="workdays_year_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        where = self.jurisdiction or "national"
        state = "complete" if self.complete else "incomplete"
        return f"{self.year} ({where}): {state}"
