"""Read-only admin views of notifications, contacts and the outbox.

Changes go through the audited services. Phone numbers and e-mail addresses are
shown masked, also on the detail pages, and cannot be searched for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from notifications.models import (
    ChannelPreference,
    Notification,
    OutboxMessage,
    SmsMessage,
    UserContact,
)
from notifications.services import outbox_message_retry

# Django's admin classes are generic only in django-stubs, not at run time.
if TYPE_CHECKING:
    AdminBase = admin.ModelAdmin[Any]
else:
    AdminBase = admin.ModelAdmin


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


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "kind",
        "recipient",
        "case_number",
        "created_at",
        "read_at",
    )
    list_filter = ("kind",)
    list_select_related = ("recipient",)
    search_fields = ("=case_number", "kind")
    date_hierarchy = "created_at"


@admin.register(UserContact)
class UserContactAdmin(ReadOnlyAdmin):
    list_display = ("user", "masked_phone", "language", "updated_at")
    list_filter = ("language",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    exclude = ("phone",)
    readonly_fields = ("masked_phone",)

    @admin.display(description="电话 Phone")
    def masked_phone(self, obj: UserContact) -> str:
        return obj.masked_phone


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind_pattern", "email", "sms")
    list_select_related = ("user",)
    search_fields = ("user__username", "kind_pattern")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "channel",
        "masked_address",
        "subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "in_doubt", "language")
    search_fields = ("=notification__case_number", "subject")
    exclude = ("address",)
    readonly_fields = ("masked_address",)
    date_hierarchy = "created_at"
    actions = ("send_again",)

    @admin.display(description="地址 Address")
    def masked_address(self, obj: OutboxMessage) -> str:
        return obj.masked_address

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outboxmessage")

    @admin.action(
        description="重新发送失败的消息 Send failed messages again",
        permissions=["send_again"],
    )
    def send_again(
        self, request: HttpRequest, queryset: QuerySet[OutboxMessage]
    ) -> None:
        if not isinstance(request.user, User):
            raise PermissionDenied
        count = outbox_message_retry(
            actor=request.user, ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request, f"{count} 条消息已重新排队 queued again", messages.SUCCESS
        )


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ("provider_message_id", "masked_number", "text", "created_at")
    search_fields = ("=reference", "=provider_message_id")
    exclude = ("number",)
    readonly_fields = ("masked_number",)
    date_hierarchy = "created_at"

    @admin.display(description="号码 Number")
    def masked_number(self, obj: SmsMessage) -> str:
        return obj.masked_number
