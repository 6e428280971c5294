from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

# Dotted lower-case event names, "*" for every kind, or a dotted prefix ending ".*".
KIND_PATTERN_REGEX = r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$"
PHONE_REGEX = r"^\+?[0-9]{6,20}$"


def mask_phone(number: str) -> str:
    """Show only the first three and the last four digits of a phone number."""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_email(address: str) -> str:
    """Show only the first character of the local part and the domain."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one person, shown in the app (the in-app channel)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A stable event name ("task.reminder", "case.accepted") for templates and filters.
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    case_number = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id}"


class UserContact(models.Model):
    """How to reach a person outside the app: phone number and language.

    The e-mail address is the user's own. The phone number is personal data: it is
    masked in the admin and never written to the log or the audit trail.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_contact",
    )
    phone = models.CharField(
        max_length=21,
        blank=True,
        validators=[RegexValidator(PHONE_REGEX, "digits only, optionally after +")],
    )
    language = models.CharField(
        max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phone="") | models.Q(phone__regex=PHONE_REGEX),
                name="usercontact_phone_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=Language.values),
                name="usercontact_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"contact of {self.user_id}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class ChannelPreference(models.Model):
    """Whether a person wants e-mail and SMS for the events a pattern matches.

    The most specific pattern wins: an exact kind, then the longest ``prefix.*``,
    then ``*``. Without any row both channels are on. In-app is always on.
    """

    ALL = "*"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="channel_preferences",
    )
    kind_pattern = models.CharField(
        max_length=64,
        default=ALL,
        validators=[RegexValidator(KIND_PATTERN_REGEX, "a kind, prefix.* or *")],
    )
    email = models.BooleanField(default=True)
    sms = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind_pattern"], name="channelpreference_one_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind_pattern__regex=KIND_PATTERN_REGEX),
                name="channelpreference_pattern_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_pattern} for {self.user_id}"


class OutboxMessage(models.Model):
    """One e-mail or SMS to deliver, written in the transaction of its event."""

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件 E-mail"
        SMS = "sms", "短信 SMS"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送 Pending"
        SENDING = "sending", "发送中 Sending"
        SENT = "sent", "已发送 Sent"
        FAILED = "failed", "失败 Failed"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # The e-mail address or phone number at the time of the event (personal data).
    address = models.CharField(max_length=254)
    language = models.CharField(max_length=8, choices=Language.choices)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    # Not before: a retry's backoff; the requeue job counts its grace from here.
    available_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # An earlier attempt was abandoned mid-send: it may have reached the recipient.
    in_doubt = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "available_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=["email", "sms"]),
                name="outboxmessage_channel_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sending")
                | models.Q(claim_token__isnull=False, claimed_at__isnull=False),
                name="outboxmessage_sending_is_claimed",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outboxmessage_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} ({self.status})"

    @property
    def masked_address(self) -> str:
        if self.channel == self.Channel.SMS:
            return mask_phone(self.address)
        return mask_email(self.address)

    @property
    def reference(self) -> str:
        """The idempotency key handed to the channel: the same on every retry."""
        return f"outbox-{self.pk}"


class SmsMessage(models.Model):
    """A text message recorded by the default SMS backend instead of a provider."""

    number = models.CharField(max_length=21)
    text = models.TextField()
    # The sender's idempotency key; a second send with the same key is refused.
    reference = models.CharField(max_length=64, null=True, blank=True, unique=True)
    provider_message_id = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"SMS {self.provider_message_id}"

    @property
    def masked_number(self) -> str:
        return mask_phone(self.number)
