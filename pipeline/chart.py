"""A small chart of one metric's values over time, as geometry for an inline SVG.

Pure: facts in, coordinates out; the template draws them. Each fact is a point at its time
scope's first day (else its first publication), with a bar from its low to its high value;
a logarithmic scale when the values span more than a factor of twenty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from extractors.periods import period_interval
from extractors.values import format_value
from storage.groups import ClaimGroupView

WIDTH, HEIGHT = 360, 140
_LEFT, _RIGHT, _TOP, _BOTTOM = 8, 8, 10, 22


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    y: float
    y_low: float
    y_high: float
    label: str
    fact_id: int
    is_plan: bool


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    line: str
    """SVG ``points`` of the polyline through stated (not planned) figures."""
    x_labels: tuple[tuple[float, str], ...]
    y_labels: tuple[tuple[float, str], ...]
    log_scale: bool


def fact_day(group: ClaimGroupView) -> date:
    """When a fact held: its time scope's first day, else the day it was first published."""
    scope = period_interval(group.time) if group.time else None
    return scope[0] if scope else group.first_seen_at.date()


def _bounds(group: ClaimGroupView) -> tuple[float, float] | None:
    values = [v for v in (group.value_low, group.value_high) if v is not None]
    return (min(values), max(values)) if values else None


def timeline_chart(groups: Sequence[ClaimGroupView]) -> Chart | None:
    """The chart of one metric's facts, or ``None`` with fewer than two figures to place."""
    placed = [(fact_day(g), b, g) for g in groups if (b := _bounds(g)) is not None]
    if len(placed) < 2:
        return None
    days = [d.toordinal() for d, _, _ in placed]
    lows = [b[0] for _, b, _ in placed]
    highs = [b[1] for _, b, _ in placed]
    low, high = min(lows), max(highs)
    log_scale = low > 0 and high / low > 20
    def scale(v: float) -> float:
        return math.log10(v) if log_scale else v
    y0, y1 = scale(low), scale(high)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    x0, x1 = min(days), max(days)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    inner_w, inner_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    def px(day: int) -> float:
        return round(_LEFT + (day - x0) / (x1 - x0) * inner_w, 1)
    def py(v: float) -> float:
        return round(_TOP + (1 - (scale(v) - y0) / (y1 - y0)) * inner_h, 1)
    points = tuple(
        ChartPoint(
            x=px(d.toordinal()), y=py((b[0] + b[1]) / 2 if not log_scale else math.sqrt(b[0] * b[1])),
            y_low=py(b[0]), y_high=py(b[1]), label=f"{d.isoformat()}: {format_value(g)}",
            fact_id=g.id, is_plan=g.is_plan,
        )
        for d, b, g in sorted(placed, key=lambda p: (p[0], p[2].id))
    )
    line = " ".join(f"{p.x},{p.y}" for p in points if not p.is_plan)
    first, last = min(d for d, _, _ in placed), max(d for d, _, _ in placed)
    x_labels = ((px(first.toordinal()), first.isoformat()),) if first == last else (
        (px(first.toordinal()), first.isoformat()), (px(last.toordinal()), last.isoformat()))
    sample = placed[0][2]
    y_labels = tuple(
        (py(v), format_value(_Value(v, sample.unit))) for v in sorted({low, high})
    )
    return Chart(WIDTH, HEIGHT, points, line, x_labels, y_labels, log_scale)


@dataclass(frozen=True, slots=True)
class _Value:
    value_low: float
    unit: str | None
    hedge: str | None = None

    @property
    def value_high(self) -> float:
        return self.value_low
