"""The calendar interval an ISO time scope covers, as :mod:`extractors.timescope` writes them:
``2025``, ``2025-07``, ``2025-Q3``, ``2025-W05``, ``2025-01-27``, ``2025-01-28/P5Y``.

Used to decide whether two figures speak of the same moment (a conflict) or of different ones
(an update).
"""

from __future__ import annotations

import datetime as dt
import re

_FORMS = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<w>W\d{2})|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?"
    r"(?:/P(?P<n>\d+)(?P<unit>[YM]))?$"
)


def period_interval(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by ``value``; ``None`` for what it cannot read."""
    m = _FORMS.match(value.strip())
    if m is None:
        return None
    year = int(m["year"])
    try:
        if m["q"]:
            first_month = (int(m["q"][1]) - 1) * 3 + 1
            start, end = dt.date(year, first_month, 1), _month_end(year, first_month + 2)
        elif m["w"]:
            start = dt.date.fromisocalendar(year, int(m["w"][1:]), 1)
            end = start + dt.timedelta(days=6)
        elif m["day"]:
            start = end = dt.date(year, int(m["month"]), int(m["day"]))
        elif m["month"]:
            start, end = dt.date(year, int(m["month"]), 1), _month_end(year, int(m["month"]))
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    if m["n"]:  # "2025-01-28/P5Y": from that day, for n years or months
        months = int(m["n"]) * (12 if m["unit"] == "Y" else 1)
        index = start.year * 12 + start.month - 1 + months
        end = _month_end(index // 12, index % 12 + 1)
    return start, end


def days_apart(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days between two intervals; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
