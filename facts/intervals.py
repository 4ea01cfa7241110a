"""Interval arithmetic on figures: the values a hedged figure allows, and relative gaps."""

from __future__ import annotations

import math

_APPROXIMATE = ("approx", "vague")
# Units that only label what is counted (an "H100" is a GPU): figures stay comparable across them.
LABEL_UNIT_METRICS = frozenset({"gpu_count", "parameter_count", "compute_multiplier"})
# Metrics whose qualifier names the chip counted: "100,000 GPUs" and "100,000 H100" can be one fact.
CHIP_QUALIFIED_METRICS = frozenset({"gpu_count"})


def effective_interval(
    low: float | None, high: float | None, hedge: str | None, tolerance: float
) -> tuple[float, float]:
    """The values a figure allows: open bounds are infinite, approximations widened."""
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high
    if hedge == "at_least":
        hi = math.inf
    elif hedge == "at_most":
        lo = -math.inf
    elif hedge in _APPROXIMATE:
        lo = lo - abs(lo) * tolerance if math.isfinite(lo) else lo
        hi = hi + abs(hi) * tolerance if math.isfinite(hi) else hi
    return (min(lo, hi), max(lo, hi))


def relative_gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """0 when the intervals overlap, else the distance between them relative to the larger
    magnitude of the two facing bounds (so always in (0, 1] for same-sign figures)."""
    lower, upper = (a, b) if a[0] <= b[0] else (b, a)
    if upper[0] <= lower[1]:
        return 0.0
    distance = upper[0] - lower[1]
    scale = max(abs(upper[0]), abs(lower[1]))
    return distance / scale if scale else 0.0


def units_compatible(metric: str, a: str | None, b: str | None) -> bool:
    if a is None or b is None or a.casefold() == b.casefold():
        return True
    return metric in LABEL_UNIT_METRICS


def qualifier_key(q: str | None) -> str:
    return (q or "").casefold().strip()


def qualifiers_compatible(metric: str, a: str | None, b: str | None) -> bool:
    """Equal qualifiers; for a GPU count, a figure naming no chip also fits one that does."""
    ka, kb = qualifier_key(a), qualifier_key(b)
    return ka == kb or (metric in CHIP_QUALIFIED_METRICS and (not ka or not kb))


def times_compatible(a: str | None, b: str | None) -> bool:
    """``None`` fits anything; ``2025`` fits ``2025-03``; ``2024`` does not fit ``2025``."""
    if not a or not b:
        return True
    a, b = a.casefold(), b.casefold()
    return a.startswith(b) or b.startswith(a)
