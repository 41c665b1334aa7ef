"""The periods monitoring reports on: a month, a quarter, a year, or the covenant's whole term."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    key: str  # as in the URL: 2026-03, 2026-Q1, 2026, or "term"
    start: date
    end: date  # inclusive
    label: str


def parse_period(key, covenant, today):
    """The period for ``key``; the current year when ``key`` is empty or not understood."""
    key = (key or "").strip()
    if key == "term":
        return Period("term", covenant.starts_on, covenant.ends_on, _("the covenant's term"))
    if match := re.fullmatch(r"(\d{4})-(\d{2})", key):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(key, date(year, month, 1), date(year, month, last), f"{month:02d}-{year}")
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", key):
        year, quarter = int(match[1]), int(match[2])
        first_month = 3 * quarter - 2
        last = calendar.monthrange(year, first_month + 2)[1]
        return Period(key, date(year, first_month, 1), date(year, first_month + 2, last), f"Q{quarter} {year}")
    year = int(key) if re.fullmatch(r"\d{4}", key) else today.year
    return Period(str(year), date(year, 1, 1), date(year, 12, 31), str(year))


def period_choices(covenant, today):
    """Years from the covenant's start to today, newest first, with the quarters and months of the
    last two years, and the covenant's term."""
    choices = [("term", _("The covenant's term"))]
    for year in range(today.year, covenant.starts_on.year - 1, -1):
        choices.append((str(year), str(year)))
        if year < today.year - 1:
            continue
        for quarter in range(4, 0, -1):
            if date(year, 3 * quarter - 2, 1) <= today:
                choices.append((f"{year}-Q{quarter}", f"Q{quarter} {year}"))
        for month in range(12, 0, -1):
            if date(year, month, 1) <= today:
                choices.append((f"{year}-{month:02d}", f"{month:02d}-{year}"))
    return choices
