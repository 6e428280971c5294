"""Counters for gap-free numbers (case numbers now, document numbers later)."""

from __future__ import annotations

from django.db import models


class NumberSequence(models.Model):
    """The last number handed out for one key in one year.

    Only :mod:`workflows.credit.numbering` touches it: it locks the row inside the
    caller's transaction, so a rolled-back transaction hands its number back.
    """

    key = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["key", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "year"], name="credit_number_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last_value}"
