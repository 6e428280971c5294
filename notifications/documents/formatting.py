"""Small text helpers of the documents: dates, labels, the fixed legal wording."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from workflows.credit.models import Regime

# 行政复议法 art. 20 (60 days), 行政诉讼法 art. 46 (6 months), counted from receipt.
REMEDIES: Final = (
    "如不服本决定，可以自收到本决定书之日起60日内依法申请行政复议，"
    "或者自收到本决定书之日起6个月内依法向人民法院提起行政诉讼。"
)
LISTING_LAW: Final = (
    "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》"
    "（国办发〔2020〕49号）"
)
REGIME_LAWS: Final[dict[str, str]] = {
    Regime.NDRC_2025_36: "《信用修复管理办法》（国家发展改革委令2025年第36号）",
    Regime.NDRC_2023_58: (
        "《失信行为纠正后的信用信息修复管理办法（试行）》"
        "（国家发展改革委令2023年第58号）"
    ),
    Regime.NDRC_2019_527: (
        "《国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站"
        "行政处罚信息信用修复机制的通知》（发改办财金〔2019〕527号）"
    ),
}
# The masthead (发文机关标志) fills at most this width of the 156 mm text block.
MASTHEAD_WIDTH_MM: Final = 150.0
MASTHEAD_MAX_MM: Final = 15.0
MM_PER_PT: Final = 25.4 / 72


def zh_label(choices: type[models.TextChoices], value: Any, default: str = "") -> str:
    """Return the Chinese half of a bilingual choice label ("受理 Accepted")."""
    try:
        label = str(choices(value).label)
    except ValueError:
        return default or str(value or "")
    return label.split(" ", 1)[0]


def en_label(choices: type[models.TextChoices], value: Any) -> str:
    """Return the English half of a bilingual choice label."""
    try:
        label = str(choices(value).label)
    except ValueError:
        return ""
    return label.split(" ", 1)[1] if " " in label else ""


def chinese_part(text: Any) -> str:
    """Keep the Chinese half of a bilingual "中文 / English" text."""
    return str(text or "").split(" / ", 1)[0].strip()


def as_date(value: Any) -> dt.date | None:
    """Read a date from a date, a datetime or an ISO string (local date of a time)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return value
    elif isinstance(value, str) and value:
        parsed = parse_datetime(value) if "T" in value else None
        if parsed is None:
            try:
                return parse_date(value[:10])
            except ValueError:
                return None
        moment = parsed
    else:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.date()


def zh_date(value: Any, default: str = "") -> str:
    """Write a date as a 公文 does: ``2026年5月7日`` (Arabic numerals, no padding)."""
    day = as_date(value)
    if day is None:
        return default
    return f"{day.year}年{day.month}月{day.day}日"


def grouped_code(code: str) -> str:
    """Split a verification code into groups of four for reading aloud."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def masthead_style(name: str) -> dict[str, str]:
    """Size the issuing department's name so it fits one line of the masthead."""
    length = max(len(name), 1)
    size_mm = min(MASTHEAD_MAX_MM, MASTHEAD_WIDTH_MM / (length * 1.08))
    spacing_mm = 0.0
    if length <= 6:
        spacing_mm = min(8.0, (MASTHEAD_WIDTH_MM * 0.6 - length * size_mm) / length)
    return {
        "font_size": f"{size_mm / MM_PER_PT:.1f}pt",
        "letter_spacing": f"{max(spacing_mm, 0.0):.1f}mm",
    }


def numbered(items: Iterable[Any]) -> list[str]:
    """Drop empty entries and return the rest as clean strings."""
    return [str(item).strip() for item in items if str(item or "").strip()]
