"""When to poll a feed next: adapt to how often it publishes, back off on errors, add jitter.

Pure arithmetic: the caller passes ``now`` and the random generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from config.settings import ScheduleSettings

_RECENT_ENTRIES = 20  # the publishing rhythm is read from the newest entries only
_SMOOTHING = 0.5  # weight of the newest observation against the previous mean
_MAX_RETRY_AFTER_S = 7 * 24 * 3600.0  # an absurd Retry-After must not silence a feed forever


def next_poll_at(
    *,
    now: dt.datetime,
    ok: bool,
    consecutive_errors: int,
    entry_dates: Sequence[dt.datetime],
    previous_mean_s: float | None,
    schedule: ScheduleSettings,
    retry_after_s: float | None = None,
    rng: random.Random,
) -> tuple[dt.datetime, float | None]:
    """(next poll time, mean seconds between entries to remember for next time).

    On success the interval is the feed's smoothed mean publishing interval, clamped to
    [min_interval, max_interval]; without dates it stays at ``poll_interval``. On error
    (``consecutive_errors`` counts this one) it doubles from ``min_interval`` per error up to
    ``error_backoff_ceiling_hours`` and stays there: a broken feed is retried forever. A
    server's Retry-After is a floor. Jitter of ±``jitter_fraction`` spreads feeds apart.
    """
    low = schedule.min_interval_minutes * 60.0
    high = schedule.max_interval_minutes * 60.0
    mean = _mean_interval(entry_dates, now, previous_mean_s)
    if ok:
        base = mean if mean is not None else schedule.poll_interval_minutes * 60.0
        seconds = _clamp(_jitter(_clamp(base, low, high), schedule, rng), low, high)
    else:
        ceiling = schedule.error_backoff_ceiling_hours * 3600.0
        exponent = min(max(consecutive_errors, 1) - 1, 60)
        base = min(low * 2.0**exponent, ceiling)
        seconds = min(_jitter(base, schedule, rng), ceiling)
    if retry_after_s is not None and retry_after_s > 0:
        floor = min(retry_after_s, _MAX_RETRY_AFTER_S)
        if seconds < floor:
            seconds = floor + abs(_jitter(floor, schedule, rng) - floor)
    return now + dt.timedelta(seconds=seconds), mean


def _mean_interval(dates: Sequence[dt.datetime], now: dt.datetime, previous: float | None) -> float | None:
    # future-dated entries are clock skew or lies; they say nothing about the rhythm
    recent = sorted({d for d in dates if d <= now}, reverse=True)[:_RECENT_ENTRIES]
    if len(recent) < 2:
        return previous
    observed = (recent[0] - recent[-1]).total_seconds() / (len(recent) - 1)
    # a feed that stopped publishing slows down: the silence since its last entry counts too
    observed = max(observed, (now - recent[0]).total_seconds() / 2)
    if previous is None:
        return observed
    return _SMOOTHING * observed + (1 - _SMOOTHING) * previous


def _jitter(seconds: float, schedule: ScheduleSettings, rng: random.Random) -> float:
    fraction = schedule.jitter_fraction
    return seconds * (1 + rng.uniform(-fraction, fraction)) if fraction else seconds


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
