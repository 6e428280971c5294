"""Read-only admin views of the credit domain.

Every change goes through the audited services; the admin is for looking. ID
numbers are shown masked, also on the detail page: seeing a full number is a
separate, audited action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from workflows.credit.models import (
    Attachment,
    Case,
    CaseDeadline,
    CreditCommitment,
    CreditRecord,
    Department,
    Document,
    ListEntry,
    Measure,
    MeasureApplication,
    Membership,
    NumberSequence,
    RecordCorrection,
    Subject,
)

# Django's admin classes are generic only in django-stubs, not at run time.
if TYPE_CHECKING:
    AdminBase = admin.ModelAdmin[Any]
    DeadlineInlineBase = admin.TabularInline[CaseDeadline, Case]
else:
    AdminBase = admin.ModelAdmin
    DeadlineInlineBase = admin.TabularInline


class ReadOnlyAdmin(AdminBase):
    """Show rows and their fields; refuse add, change and delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


@admin.display(description="主体 Subject")
def _subject(obj: Any) -> str:
    return f"{obj.subject.name} ({obj.subject.masked_code})"


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_en", "jurisdiction", "kinds", "active")
    list_filter = ("is_credit_office", "is_source", "is_implementing", "active")
    search_fields = ("code", "name", "name_en")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "department", "role", "granted_at", "granted_by")
    list_filter = ("role", "department")
    list_select_related = ("user", "department", "granted_by")
    search_fields = ("user__username", "department__code")


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "masked_code", "kind", "legal_representative")
    list_filter = ("kind",)
    # Exact match only, so a partial ID number cannot be probed digit by digit.
    search_fields = ("name", "=code")
    exclude = ("code",)
    readonly_fields = ("masked_code",)

    @admin.display(description="代码 Code")
    def masked_code(self, obj: Subject) -> str:
        return obj.masked_code


@admin.register(CreditCommitment)
class CreditCommitmentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", _subject, "signed_by", "signed_at", "status")
    list_filter = ("status",)
    list_select_related = ("subject", "signed_by")


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        _subject,
        "source_department",
        "grade",
        "scale",
        "regime",
        "decision_date",
        "status",
    )
    list_filter = ("status", "category", "grade", "regime", "jurisdiction")
    list_select_related = ("subject", "source_department")
    search_fields = ("decision_number", "subject__name", "=subject__code")
    date_hierarchy = "decision_date"


@admin.register(RecordCorrection)
class RecordCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("record", "case", "changed_by", "changed_at")
    list_select_related = ("record", "case", "changed_by")


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        _subject,
        "deciding_department",
        "valid_from",
        "valid_to",
        "status",
        "exit_reason",
    )
    list_filter = ("list_type", "status", "exit_reason")
    list_select_related = ("subject", "deciding_department")
    search_fields = ("decision_number", "subject__name", "=subject__code")


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "implementing_department", "list_types")
    list_filter = ("kind", "active")
    list_select_related = ("implementing_department",)
    search_fields = ("code", "name")


@admin.register(MeasureApplication)
class MeasureApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "measure",
        "list_entry",
        "implementing_department",
        "status",
        "decided_at",
    )
    list_filter = ("status",)
    list_select_related = ("measure", "list_entry", "implementing_department")


class CaseDeadlineInline(DeadlineInlineBase):
    model = CaseDeadline
    fields = ("kind", "due_at", "provisional", "working_days", "policy_ref", "met_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "case_type", _subject, "status", "channel", "created_at")
    list_filter = ("case_type", "status", "channel", "jurisdiction")
    list_select_related = ("subject",)
    search_fields = ("=number", "subject__name", "=subject__code")
    date_hierarchy = "created_at"
    inlines = (CaseDeadlineInline,)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "case", "kind", "size", "sha256", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("case",)
    search_fields = ("=case__number", "=sha256")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "case", "issuing_department", "issued_at", "status")
    list_filter = ("kind", "status")
    list_select_related = ("case", "issuing_department")
    search_fields = ("=number", "=case__number")


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ("key", "year", "last_value")
    list_filter = ("year",)
