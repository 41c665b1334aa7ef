"""Working days in the Netherlands: weekends and Dutch public holidays (the ``holidays`` package) excluded."""

from datetime import timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays(year):
    return holidays.country_holidays("NL", years=year)


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day, count):
    """The date ``count`` working days after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_until(today, due_on):
    """How many working days from ``today`` (exclusive) up to ``due_on`` (inclusive); 0 when due today or passed."""
    count, day = 0, today
    while day < due_on:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
