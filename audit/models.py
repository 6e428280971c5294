"""The audit log: one append-only, hash-chained table."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def in_chain_order(self) -> AuditEventQuerySet:
        """Order events as they were appended to the chain."""
        return self.order_by("seq")

    def for_case(self, case_number: str) -> AuditEventQuerySet:
        """Keep the events recorded against one case."""
        return self.filter(case_number=case_number)

    def for_target(self, target: models.Model) -> AuditEventQuerySet:
        """Keep the events whose target is this model instance."""
        return self.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        )

    def by_actor(self, actor: AbstractBaseUser) -> AuditEventQuerySet:
        """Keep the events performed by one user."""
        return self.filter(actor_id=actor.pk)

    def with_action(self, action: str) -> AuditEventQuerySet:
        """Keep events of one action, or of a family when given a prefix ending "."."""
        if action.endswith("."):
            return self.filter(action__startswith=action)
        return self.filter(action=action)

    def between(self, start: dt.datetime, end: dt.datetime) -> AuditEventQuerySet:
        """Keep the events that occurred in the half-open interval [start, end)."""
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)


class AuditEvent(models.Model):
    """One recorded action; rows are only ever inserted (database triggers refuse
    UPDATE, DELETE and TRUNCATE) and each links to its predecessor by hash."""

    class Via(models.TextChoices):
        WEB = "web", "web"
        CLI = "cli", "cli"
        WORKER = "worker", "worker"
        BEAT = "beat", "beat"
        API = "api", "api"
        TEST = "test", "test"
        # Blank: recorded with no bound context (e.g. an interactive shell).
        UNKNOWN = "", "unknown"

    # Assigned by record() as last seq + 1 while holding the chain lock, not by the
    # database sequence: the hash covers seq, and rolled-back appends leave no gaps.
    seq = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField()
    # The foreign key's own index serves "events by actor".
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    case_number = models.CharField(max_length=64, blank=True)
    # Null on events written before the column existed and on events that name no
    # department; hashed only when not null (audit.canonical.OPTIONAL_HASHED_FIELDS),
    # so null and "" are not interchangeable here, unlike on other text columns.
    department_code = models.CharField(  # noqa: DJ001
        max_length=32, null=True, blank=True
    )
    process_instance_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=8, choices=Via.choices, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The exact canonical JSON that was hashed, kept so PostgreSQL can check a link
    # on its own (audit.stored_check). Not hashed itself: the columns above are the
    # record, and verification also checks that this text says what they say. Null
    # on events written before it existed; those are checked from the columns.
    canonical = models.TextField(null=True, editable=False)  # noqa: DJ001

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("seq",)
        # No add/change/delete permissions: nobody, not even an administrator, may be
        # granted a way to edit the log through Django.
        default_permissions = ("view",)
        indexes = (
            models.Index(fields=("case_number", "seq"), name="audit_event_case_idx"),
            models.Index(fields=("action", "seq"), name="audit_event_action_idx"),
            models.Index(fields=("occurred_at",), name="audit_event_occurred_idx"),
            models.Index(
                fields=("department_code", "seq"), name="audit_event_department_idx"
            ),
            models.Index(
                fields=("target_type", "target_id", "seq"),
                name="audit_event_target_idx",
            ),
        )
        constraints = (
            # Two events naming the same predecessor would be a fork in the chain.
            models.UniqueConstraint(
                fields=("prev_hash",), name="audit_event_prev_hash_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    via__in=("web", "cli", "worker", "beat", "api", "test", "")
                ),
                name="audit_event_via_valid",
            ),
        )

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"


class AuditDigest(models.Model):
    """A signed statement of the chain head at one moment; rows are only inserted.

    The signed file (``file_name`` under ``VAR_DIR/audit-digests/``) is the copy that
    matters: it is meant to be kept outside the system. The row records that it was
    written and lets the workspace show the latest one.
    """

    seq = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)
    event_count = models.BigIntegerField()
    key_id = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)
    file_name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-id",)
        default_permissions = ("view",)
        indexes = (models.Index(fields=("seq",), name="audit_digest_seq_idx"),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(seq__gte=0), name="audit_digest_seq_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"digest of seq {self.seq} ({self.file_name})"


class AuditVerification(models.Model):
    """One run of a chain check: who ran it and what it found; only ever inserted."""

    class Kind(models.TextChoices):
        CHAIN = "chain", "chain"
        DIGEST = "digest", "digest"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_verifications",
    )
    actor_label = models.CharField(max_length=200)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=8, blank=True)
    # The requested range; null ends mean "from the genesis" and "to the head".
    from_seq = models.BigIntegerField(null=True, blank=True)
    to_seq = models.BigIntegerField(null=True, blank=True)
    digest_file = models.CharField(max_length=200, blank=True)
    ok = models.BooleanField()
    checked = models.BigIntegerField()
    head_seq = models.BigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    broken_seq = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    expected = models.CharField(max_length=128, blank=True)
    found = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ("-id",)
        default_permissions = ("view",)
        indexes = (
            models.Index(fields=("finished_at",), name="audit_verif_finished_idx"),
        )
        constraints = (
            # A passing run names no broken link. A failed one may name none either:
            # a digest whose signature does not verify fails before the chain is read.
            models.CheckConstraint(
                condition=models.Q(ok=False) | models.Q(broken_seq__isnull=True),
                name="audit_verification_ok_has_no_break",
            ),
        )

    def __str__(self) -> str:
        result = "ok" if self.ok else f"broken at seq {self.broken_seq}"
        return f"{self.kind} verification by {self.actor_label}: {result}"

    @property
    def covers_whole_chain(self) -> bool:
        """Tell whether the run checked from the genesis to the head it saw."""
        return self.from_seq is None and self.to_seq is None
