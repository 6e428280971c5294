"""Choices shared by several credit models: jurisdictions and legal regimes."""

from __future__ import annotations

import datetime as dt

from django.db import models


class Jurisdiction(models.TextChoices):
    """Where a rule applies; policy tables (DMN) are keyed by these codes."""

    NATIONAL = "national", "全国 National"
    SHANGHAI = "shanghai", "上海 Shanghai"
    SHENZHEN = "shenzhen", "深圳 Shenzhen"
    SHANDONG = "shandong", "山东 Shandong"
    HENAN = "henan", "河南 Henan"
    ZHEJIANG = "zhejiang", "浙江 Zhejiang"
    ZHANGJIAGANG = "zhangjiagang", "张家港 Zhangjiagang"
    DALIAN = "dalian", "大连 Dalian"
    NANSHAN = "nanshan", "深圳南山 Nanshan (Shenzhen)"
    TIANMEN = "tianmen", "天门 Tianmen"


class Regime(models.TextChoices):
    """The legal scheme a record or case falls under; it decides periods and grades."""

    NDRC_2025_36 = "ndrc_2025_36", "国家发展改革委令2025年第36号 NDRC Order 2025 No. 36"
    NDRC_2023_58 = "ndrc_2023_58", "国家发展改革委令2023年第58号 NDRC Order 2023 No. 58"
    NDRC_2019_527 = "ndrc_2019_527", "发改办财金\u30142019\u3015527号 NDRC 2019 No. 527"


# When each regime came into force (newest first): legal facts, not settings.
REGIMES_IN_FORCE: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2026, 4, 1), Regime.NDRC_2025_36),
    (dt.date(2023, 5, 1), Regime.NDRC_2023_58),
    (dt.date.min, Regime.NDRC_2019_527),
)


def regime_in_force(day: dt.date) -> str:
    """Return the legal regime in force on a day."""
    return next(regime for start, regime in REGIMES_IN_FORCE if day >= start)
