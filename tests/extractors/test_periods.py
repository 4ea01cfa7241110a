from __future__ import annotations

import datetime as dt

import pytest

from extractors.periods import days_apart, period_interval

D = dt.date


@pytest.mark.parametrize(
    ("value", "interval"),
    [
        ("2025", (D(2025, 1, 1), D(2025, 12, 31))),
        ("2024-02", (D(2024, 2, 1), D(2024, 2, 29))),
        ("2025-Q3", (D(2025, 7, 1), D(2025, 9, 30))),
        ("2025-W05", (D(2025, 1, 27), D(2025, 2, 2))),
        ("2025-01-24", (D(2025, 1, 24), D(2025, 1, 24))),
        ("2025-01-28/P5Y", (D(2025, 1, 28), D(2030, 1, 31))),
        ("2025-08-27/P18M", (D(2025, 8, 27), D(2027, 2, 28))),
    ],
)
def test_period_interval(value: str, interval: tuple[dt.date, dt.date]) -> None:
    assert period_interval(value) == interval


@pytest.mark.parametrize("value", ["", "P5Y", "soon", "2025-13", "2025-02-30", "2025-W60"])
def test_unreadable_periods_are_none(value: str) -> None:
    assert period_interval(value) is None


def test_days_apart() -> None:
    year = (D(2023, 1, 1), D(2023, 12, 31))
    assert days_apart(year, (D(2023, 6, 1), D(2023, 6, 1))) == 0
    assert days_apart(year, (D(2024, 1, 24), D(2024, 1, 24))) == 24
    assert days_apart((D(2024, 1, 24), D(2024, 1, 24)), year) == 24
