"""The period a figure refers to: ``en 2025`` → ``2025``, ``sur cinq ans`` → ``2025-01-28/P5Y``.

``find_times(text, lang, published)`` returns time expressions with their spans and ISO value.
Relative expressions (``cette année``, ``next year``, ``lundi``, ``this week``, ``26 months ago``,
``il y a un an``, ``this summer``) are resolved against ``published``, never against the clock;
without ``published`` they are left out.
A weekday names the latest such day on or before ``published`` (news reports the past).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from extractors.numbers import Number

_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_ORDINAL_QUARTER = {"premier": 1, "first": 1, "deuxième": 2, "second": 2, "troisième": 3, "third": 3,
                    "quatrième": 4, "fourth": 4}
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<year>(?:19|20|21)\d\d)"
_FR_MONTHS = ("janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
              "septembre", "octobre", "novembre", "décembre", "decembre")
_FR_MONTH_RX = "|".join(sorted(_FR_MONTHS, key=len, reverse=True))
_EN_MONTH_RX = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAY = re.compile(r"\b(?P<wd>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
"""A weekday's name, the whole of the time expression it makes."""
_RX = [
    ("date", re.compile(rf"\b(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?\s+(?P<month>{_MONTH_RX})(?:\s+{_YEAR})?\b", re.IGNORECASE)),
    ("date", re.compile(rf"\b(?P<month>{_EN_MONTH_RX})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?")),
    ("month", re.compile(rf"\b(?P<month>{_MONTH_RX})\s+{_YEAR}\b", re.IGNORECASE)),
    # A month without a year needs a preposition: "mars" and "May" are also a planet and a verb.
    ("baremonth", re.compile(rf"\b(?:en|depuis|d['’]ici|fin|début|mi-|courant|(?:au )?mois d['’]e?)\s*(?P<month>{_FR_MONTH_RX})(?:\s+(?P<rel>dernier|prochain))?\b", re.IGNORECASE)),
    ("baremonth", re.compile(rf"\b(?:in|since|by|until|early|late|mid-|(?P<rel>last|this|next))\s*(?P<month>{_EN_MONTH_RX})\b")),
    ("relmonth", re.compile(r"\b(?P<rel>ce mois-ci|this month|(?:le|du|au) mois (?:dernier|prochain)|last month|next month)\b", re.IGNORECASE)),
    ("quarter", re.compile(rf"\b(?:Q|T)(?P<q>[1-4])(?:\s+|-|/)?(?:{_YEAR})?\b")),
    ("quarter", re.compile(rf"\b(?:au\s+|du\s+|le\s+|in\s+the\s+|the\s+)?(?P<ord>premier|deuxième|second|troisième|quatrième|first|third|fourth)\s+(?:trimestre|quarter)(?:\s+(?:de\s+|of\s+)?{_YEAR})?", re.IGNORECASE)),
    ("year", re.compile(rf"\b(?:en|in|pour|for|durant|during|depuis|since|d['’]ici|by|fin|début|mi-|end of|early|late|mid-|à partir de|from|d[eè]s|l['’]exercice|fiscal(?: year)?|FY)\s*{_YEAR}\b", re.IGNORECASE)),
    # "26 months ago", "just over two years ago", "a few weeks ago", « il y a tout juste un an »
    ("ago", re.compile(r"\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.IGNORECASE)),
    ("ago", re.compile(r"\bil y a\s+(?:(?:tout juste|à peine|près de|plus de|moins de|environ|déjà|seulement)\s+)?(?P<n>\d{1,3}|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quelques)\s+(?P<unit>jours?|semaines?|mois|ans?|années?)\b", re.IGNORECASE)),
    ("period", re.compile(r"\b(?:sur|over|within|in the next|dans les|au cours des|pendant|for)\s+(?:les\s+|the\s+)?(?P<n>\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:(?:prochaines?|next|coming)\s+)?(?P<unit>ans|années|years|mois|months)\b", re.IGNORECASE)),
    # "this summer", "a release in the summer", « cet été », « l'automne prochain »: a season of the year
    ("season", re.compile(r"\b(?:(?P<rel>this|next|last)\s+|in\s+the\s+|(?P<fr>cet(?:te)?|l['’]|le|au|à l['’]|en)\s*)(?P<season>summer|winter|spring|fall|autumn|été|hiver|printemps|automne)\b(?:\s+(?P<frrel>prochain|dernier)|\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b)?", re.IGNORECASE)),
    ("relyear", re.compile(r"\b(?P<rel>cette année|this year|l['’]an prochain|l['’]année prochaine|next year|l['’]an dernier|l['’]année dernière|last year|l['’]an passé)\b", re.IGNORECASE)),
    ("week", re.compile(r"\b(?P<rel>cette semaine|this week|la semaine dernière|last week|la semaine prochaine|next week)\b", re.IGNORECASE)),
    ("day", re.compile(r"\b(?P<rel>aujourd['’]hui|today|hier|yesterday|demain|tomorrow)\b", re.IGNORECASE)),
    ("weekday", WEEKDAY),
]
_SMALL = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
          "neuf": 9, "dix": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}


@dataclass(frozen=True, slots=True)
class TimeExpr:
    start: int
    end: int
    value: str
    """ISO 8601: ``2025``, ``2025-07``, ``2025-Q3``, ``2025-W05``, ``2025-01-27``, ``2025-01-28/P5Y``."""
    is_period: bool = False


def find_times(text: str, published: datetime.date | None) -> list[TimeExpr]:
    """Time expressions in ``text`` in text order, resolved against ``published``."""
    out: list[TimeExpr] = []
    for kind, rx in _RX:
        for m in rx.finditer(text):
            if any(t.start < m.end() and m.start() < t.end for t in out):
                continue
            value = _value(kind, m, published)
            if value is not None:
                out.append(TimeExpr(m.start(), m.end(), value, kind == "period"))
    out.sort(key=lambda t: t.start)
    return out


def is_year(n: Number) -> bool:
    """A bare integer that reads as a calendar year."""
    return n.bare_integer and n.kind == "point" and 1900 <= n.low <= 2199


def _value(kind: str, m: re.Match[str], published: datetime.date | None) -> str | None:
    year = published.year if published else None
    if kind == "month":
        return f"{m.group('year')}-{_MONTHS[m.group('month').lower()]:02d}"
    if kind == "quarter":
        q = m.groupdict().get("q") or _ORDINAL_QUARTER[m.group("ord").lower()]
        y = m.group("year") or year
        return f"{y}-Q{q}" if y else None
    if kind == "year":
        return m.group("year")
    if kind == "date":
        return _date(m, published)
    if kind in ("baremonth", "relmonth"):
        return _month(kind, m, published)
    if kind == "period":
        n_raw = m.group("n").lower()
        n = int(n_raw) if n_raw.isdigit() else _SMALL.get(n_raw)
        if n is None or n > 100:
            return None
        unit = "Y" if m.group("unit").lower().startswith(("an", "ann", "year")) else "M"
        return f"{published.isoformat()}/P{n}{unit}" if published else f"P{n}{unit}"
    if published is None:
        return None
    rel = (m.groupdict().get("rel") or "").lower().replace("’", "'")
    if kind == "relyear":
        if rel in ("cette année", "this year"):
            return str(published.year)
        if "prochain" in rel or "next" in rel:
            return str(published.year + 1)
        return str(published.year - 1)
    if kind == "ago":
        return _ago(m, published)
    if kind == "season":
        if m.group("year"):
            return m.group("year")
        rel = (m.group("rel") or m.group("frrel") or "").lower()
        return str(published.year + (1 if rel in ("next", "prochain") else -1 if rel in ("last", "dernier") else 0))
    if kind == "week":
        shift = 7 if ("prochaine" in rel or "next" in rel) else -7 if ("dernière" in rel or "last" in rel) else 0
        iso = (published + datetime.timedelta(days=shift)).isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    if kind == "day":
        shift = {"hier": -1, "yesterday": -1, "demain": 1, "tomorrow": 1}.get(rel, 0)
        return (published + datetime.timedelta(days=shift)).isoformat()
    if kind == "weekday":
        wd = _WEEKDAYS[m.group("wd").lower()]
        back = (published.weekday() - wd) % 7
        return (published - datetime.timedelta(days=back)).isoformat()
    return None


_FEW = {"a few": 3, "several": 3, "quelques": 3, "a": 1, "an": 1}


def _ago(m: re.Match[str], published: datetime.date) -> str | None:
    """"26 months ago" in a paper of 2025-02-03 is 2022-12; "a few weeks ago" a day, ``published``
    less three weeks (a year and a month are as precise as the text is)."""
    n_raw = m.group("n").lower()
    n = int(n_raw) if n_raw.isdigit() else _SMALL.get(n_raw, _FEW.get(n_raw))
    if n is None:
        return None
    unit = m.group("unit").lower()
    if unit.startswith(("day", "jour", "week", "semaine")):
        days = n * (7 if unit.startswith(("week", "semaine")) else 1)
        return (published - datetime.timedelta(days=days)).isoformat()
    if unit.startswith(("month", "mois")):
        index = published.year * 12 + published.month - 1 - n
        return f"{index // 12}-{index % 12 + 1:02d}"
    return str(published.year - n)


def _date(m: re.Match[str], published: datetime.date | None) -> str | None:
    month, day = _MONTHS[m.group("month").lower()], int(m.group("day"))
    if m.group("year"):
        year = int(m.group("year"))
    elif published is not None:
        # "le 26 janvier" in a paper of 2025-01-28 is 2025-01-26; in one of 2025-01-02, 2024's
        year = published.year
        if (month, day) > (published.month, published.day) and month - published.month > 1:
            year -= 1
    else:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(kind: str, m: re.Match[str], published: datetime.date | None) -> str | None:
    """A month named without its year: the latest such month up to ``published`` (news reports
    the past), the next one with "prochain"/"next"; "this month"/"last month" likewise."""
    if published is None:
        return None
    rel = (m.groupdict().get("rel") or "").lower()
    if kind == "relmonth":
        shift = 1 if ("prochain" in rel or "next" in rel) else -1 if ("dernier" in rel or "last" in rel) else 0
        index = published.year * 12 + published.month - 1 + shift
        return f"{index // 12}-{index % 12 + 1:02d}"
    month = _MONTHS[m.group("month").lower()]
    year = published.year
    if rel in ("prochain", "next"):
        year += 1 if month <= published.month else 0
    elif rel in ("dernier", "last"):
        year -= 1 if month >= published.month else 0
    elif rel != "this" and month > published.month:
        year -= 1
    return f"{year}-{month:02d}"
