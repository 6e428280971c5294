"""The credit repair pre-check: may this record be repaired now, and if not, when.

The web app calls ``repair_precheck`` before it offers the form; the repair filer
calls it again and refuses to open a case unless it passes. Every figure comes from
the policy tables (``repair_rules``, ``publicity_period``), keyed by the record's
regime, jurisdiction and grade.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from workflows.credit.models import Case, CreditRecord
from workflows.credit.policies import RepairRules, publicity_period, repair_rules
from workflows.errors import InvalidInputError


@dataclass(frozen=True)
class Eligibility:
    """The answer of the pre-check, with the reasons and the policy versions used.

    ``eligible_from`` is the first day on which every time condition (minimum
    publicity, repair cap) is met; it is None when no date can be given: the
    record cannot be repaired at all, or another case on it must end first.
    """

    eligible: bool
    reasons: tuple[str, ...]
    eligible_from: dt.date | None
    policy_ref: str
    policy_refs: tuple[str, ...] = ()
    rules: RepairRules | None = None

    def refusal(self) -> InvalidInputError:
        """Return the error a filer raises for an ineligible record."""
        when = (
            f"；可于 {self.eligible_from.isoformat()} 起申请 / eligible from "
            f"{self.eligible_from.isoformat()}"
            if self.eligible_from
            else ""
        )
        return InvalidInputError(
            f"该记录暂不能申请信用修复 / the record cannot be repaired now{when}",
            list(self.reasons),
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def rules_for(record: CreditRecord) -> RepairRules:
    """Return the repair rules that apply to a record."""
    return repair_rules(record.regime, record.jurisdiction, record.grade)


def _publicity_start(record: CreditRecord) -> tuple[dt.date, str]:
    period = publicity_period(record.regime, record.jurisdiction, record.grade)
    if period.counted_from == "publication" and record.published_at is not None:
        return timezone.localdate(record.published_at), period.reference
    return record.decision_date, period.reference


def _minimum_period(
    record: CreditRecord, rules: RepairRules, today: dt.date
) -> tuple[list[str], dt.date, str]:
    start, reference = _publicity_start(record)
    ends = add_months(start, rules.min_months)
    if today >= ends:
        return [], ends, reference
    reason = (
        f"最短公示期（{rules.min_months}个月，自{start.isoformat()}起）未满 / the "
        f"minimum publicity of {rules.min_months} months from {start.isoformat()} "
        f"ends on {ends.isoformat()}"
    )
    return [reason], ends, reference


def _repair_cap(
    record: CreditRecord, rules: RepairRules, today: dt.date
) -> tuple[list[str], dt.date | None]:
    """Count the subject's granted repairs within the window (revoked ones too)."""
    if not rules.has_repair_cap:
        return [], None
    years = rules.window_years
    window_start = add_months(today, -12 * years)
    decided = (
        Case.objects.of_type(Case.Type.REPAIR)
        .for_subject(record.subject)
        .filter(decision__outcome="approved", decided_at__isnull=False)
        .values_list("decided_at", flat=True)
    )
    days = sorted(
        d for d in (timezone.localdate(at) for at in decided if at) if d > window_start
    )
    if len(days) < rules.max_repairs:
        return [], None
    # The cap frees up when enough of the counted repairs have left the window.
    free_from = add_months(days[len(days) - rules.max_repairs], 12 * years)
    reason = (
        f"{years}年内已修复{len(days)}次，已达上限{rules.max_repairs}次 / "
        f"{len(days)} repairs within {years} years reach the cap of "
        f"{rules.max_repairs}"
    )
    return [reason], free_from


def _open_cases(record: CreditRecord) -> list[str]:
    reasons = []
    objection = Case.objects.open_objections_on(record).first()
    if objection is not None:
        reasons.append(
            f"异议 {objection.number} 正在处理，办结后方可申请修复 / objection "
            f"{objection.number} is open; repair can be requested once it is closed"
        )
    repair = (
        Case.objects.open().of_type(Case.Type.REPAIR).filter(target_record=record)
    ).first()
    if repair is not None:
        reasons.append(
            f"修复申请 {repair.number} 正在办理 / repair request {repair.number} "
            "is already being handled"
        )
    return reasons


def _not_repairable(reason: str, policy_ref: str = "") -> Eligibility:
    return Eligibility(False, (reason,), None, policy_ref)


def repair_precheck(record: CreditRecord, today: dt.date | None = None) -> Eligibility:
    """Check a record against the repair policy as of ``today`` (default: today)."""
    today = today or timezone.localdate()
    if record.category == CreditRecord.Category.ADMINISTRATIVE_LICENCE:
        return _not_repairable("行政许可信息无需修复 / licences are not repaired")
    if not record.is_visible:
        return _not_repairable(
            f"记录已{record.get_status_display()}，无需修复 / the record is not "
            "published, there is nothing to repair"
        )
    rules = rules_for(record)
    if not rules.repairable:
        return _not_repairable(
            "按现行规定该记录不可修复 / the policy does not allow repairing "
            "this record",
            rules.reference,
        )
    reasons, minimum_ends, publicity_ref = _minimum_period(record, rules, today)
    cap_reasons, cap_ends = _repair_cap(record, rules, today)
    waiting = _open_cases(record)
    reasons += cap_reasons + waiting
    dates = [minimum_ends, *([cap_ends] if cap_ends else [])]
    return Eligibility(
        eligible=not reasons,
        reasons=tuple(reasons),
        eligible_from=None if waiting else max(dates),
        policy_ref=rules.reference,
        policy_refs=(rules.reference, publicity_ref),
        rules=rules,
    )
