"""Admin pages for the holiday table; every write goes through the audited services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from workflows.errors import InvalidInputError
from workflows.workdays.models import CalendarOverride, CalendarYear
from workflows.workdays.services import (
    calendar_override_remove,
    calendar_override_set,
    calendar_year_mark_complete,
    check_year_entered,
)

# Django's admin and form classes are generic only in django-stubs, not at run time.
if TYPE_CHECKING:
    OverrideAdminBase = admin.ModelAdmin[CalendarOverride]
    YearAdminBase = admin.ModelAdmin[CalendarYear]
    YearFormBase = forms.ModelForm[CalendarYear]
else:
    OverrideAdminBase = YearAdminBase = admin.ModelAdmin
    YearFormBase = forms.ModelForm


def _user(request: HttpRequest) -> User:
    # The admin site lets only signed-in staff in; this makes that a typed fact.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(OverrideAdminBase):
    list_display = ["date", "jurisdiction", "kind", "name", "created_by", "created_at"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["name", "jurisdiction"]
    date_hierarchy = "date"
    fields = ["date", "jurisdiction", "kind", "name"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: CalendarOverride | None = None
    ) -> list[str]:
        # The day and jurisdiction identify the override: moving one is a removal
        # and a new entry, so the audit log shows both.
        return ["date", "jurisdiction"] if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        # calendar_override_set asks for the change permission, adding or not.
        return super().has_add_permission(request) and request.user.has_perm(
            "workdays.change_calendaroverride"
        )

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool
    ) -> None:
        saved = calendar_override_set(
            actor=_user(request),
            day=obj.date,
            kind=obj.kind,
            name=obj.name,
            jurisdiction=obj.jurisdiction,
        )
        obj.pk, obj.created_by, obj.created_at = (
            saved.pk,
            saved.created_by,
            saved.created_at,
        )

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_remove(
            actor=_user(request), day=obj.date, jurisdiction=obj.jurisdiction
        )

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[CalendarOverride]
    ) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class CalendarYearForm(YearFormBase):
    class Meta:
        model = CalendarYear
        fields = ["year", "jurisdiction"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "year" in cleaned and "jurisdiction" in cleaned:
            try:
                check_year_entered(cleaned["year"], cleaned["jurisdiction"])
            except InvalidInputError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(YearAdminBase):
    form = CalendarYearForm
    list_display = ["year", "jurisdiction", "complete", "set_by", "set_at"]
    list_filter = ["complete", "jurisdiction"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and request.user.has_perm(
            "workdays.change_calendaryear"
        )

    def has_change_permission(
        self, request: HttpRequest, obj: CalendarYear | None = None
    ) -> bool:
        # A year is declared complete by adding it; there is no undoing it here.
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: CalendarYear | None = None
    ) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool
    ) -> None:
        saved = calendar_year_mark_complete(
            actor=_user(request), year=obj.year, jurisdiction=obj.jurisdiction
        )
        obj.pk, obj.complete, obj.set_by, obj.set_at = (
            saved.pk,
            saved.complete,
            saved.set_by,
            saved.set_at,
        )
