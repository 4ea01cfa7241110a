"""Schedule maths: adapt to the publishing rhythm, back off on errors, obey Retry-After."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from config.settings import ScheduleSettings
from pipeline.polling import next_poll_at

NOW = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.timezone.utc)
SCHEDULE = ScheduleSettings(poll_interval_minutes=30, min_interval_minutes=15, max_interval_minutes=360,
                            error_backoff_ceiling_hours=24, jitter_fraction=0.1)
NO_JITTER = ScheduleSettings(poll_interval_minutes=30, min_interval_minutes=15, max_interval_minutes=360,
                             error_backoff_ceiling_hours=24, jitter_fraction=0.0)


def minutes(when: dt.datetime) -> float:
    return (when - NOW).total_seconds() / 60


def every(minutes_apart: float, count: int, newest_ago: float = 0) -> list[dt.datetime]:
    return [NOW - dt.timedelta(minutes=newest_ago + i * minutes_apart) for i in range(count)]


def ok(dates: list[dt.datetime], previous: float | None = None, schedule: ScheduleSettings = NO_JITTER) -> tuple[float, float | None]:
    when, mean = next_poll_at(now=NOW, ok=True, consecutive_errors=0, entry_dates=dates, previous_mean_s=previous,
                              schedule=schedule, rng=random.Random(0))
    return minutes(when), mean


def test_busy_feed_is_polled_at_its_rhythm_bounded_below() -> None:
    assert ok(every(60, 10))[0] == 60
    assert ok(every(5, 10))[0] == 15  # min_interval


def test_quiet_feed_is_bounded_above() -> None:
    assert ok(every(24 * 60, 10))[0] == 360


def test_dormant_feed_slows_down() -> None:
    assert ok(every(30, 10, newest_ago=600))[0] == 300  # silence since the last entry counts


def test_no_dates_uses_previous_mean_then_default() -> None:
    assert ok([], previous=7200.0) == (120.0, 7200.0)
    assert ok([]) == (30.0, None)


def test_mean_is_smoothed_with_the_previous_one() -> None:
    _, mean = ok(every(60, 10), previous=7200.0)
    assert mean == 0.5 * 3600 + 0.5 * 7200


def test_future_dates_are_ignored() -> None:
    dates = every(60, 5) + [NOW + dt.timedelta(days=30)]
    assert ok(dates)[0] == 60


def test_errors_back_off_exponentially_to_the_ceiling_forever() -> None:
    delays = []
    for errors in range(1, 15):
        when, _ = next_poll_at(now=NOW, ok=False, consecutive_errors=errors, entry_dates=[], previous_mean_s=None,
                               schedule=NO_JITTER, rng=random.Random(0))
        delays.append(minutes(when))
    assert delays[:4] == [15, 30, 60, 120]
    assert delays[-1] == 24 * 60 and delays[-2] == 24 * 60


def test_retry_after_is_a_floor() -> None:
    when, _ = next_poll_at(now=NOW, ok=False, consecutive_errors=1, entry_dates=[], previous_mean_s=None,
                           schedule=SCHEDULE, retry_after_s=3 * 3600, rng=random.Random(0))
    assert 180 <= minutes(when) <= 198
    when, _ = next_poll_at(now=NOW, ok=False, consecutive_errors=1, entry_dates=[], previous_mean_s=None,
                           schedule=SCHEDULE, retry_after_s=60 * 24 * 3600, rng=random.Random(0))
    assert minutes(when) <= 7 * 24 * 60 * 1.1  # an absurd Retry-After is capped at a week


def test_jitter_spreads_feeds() -> None:
    values = {minutes(next_poll_at(now=NOW, ok=True, consecutive_errors=0, entry_dates=every(60, 10), previous_mean_s=None,
                                   schedule=SCHEDULE, rng=random.Random(seed))[0]) for seed in range(20)}
    assert len(values) > 10 and all(54 <= v <= 66 for v in values)


@settings(max_examples=200, deadline=None)
@given(
    ok_=st.booleans(),
    errors=st.integers(min_value=0, max_value=10_000),
    offsets=st.lists(st.floats(min_value=-1e6, max_value=1e8), max_size=30),
    previous=st.none() | st.floats(min_value=0, max_value=1e9),
    retry_after=st.none() | st.floats(min_value=0, max_value=1e12),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_bounds_always_hold(ok_: bool, errors: int, offsets: list[float], previous: float | None,
                            retry_after: float | None, seed: int) -> None:
    dates = [NOW - dt.timedelta(seconds=o) for o in offsets]
    when, _ = next_poll_at(now=NOW, ok=ok_, consecutive_errors=errors, entry_dates=dates, previous_mean_s=previous,
                           schedule=SCHEDULE, retry_after_s=retry_after, rng=random.Random(seed))
    delay = minutes(when)
    assert delay >= (15 if ok_ else 15 * 0.9)
    if retry_after:
        assert delay * 60 >= min(retry_after, 7 * 24 * 3600)
    elif ok_:
        assert delay <= 360
    else:
        assert delay <= 24 * 60
