from __future__ import annotations

from dataclasses import dataclass

import pytest

from extractors.values import format_value


@dataclass
class V:
    value_low: float | None
    value_high: float | None
    unit: str | None
    hedge: str | None = None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (V(1.5e9, 1.5e9, "USD"), "$1.5 billion"),
        (V(75e9, None, "USD", "at_least"), "≥ $75 billion"),
        (V(None, 600e9, "USD", "at_most"), "≤ $600 billion"),
        (V(5e6, 6e6, "USD", "range"), "$5–6 million"),
        (V(1e8, 1e9, "USD", "vague"), "≈ $100 million–1 billion"),
        (V(100_000, 100_000, "GPU"), "100,000 GPU"),
        (V(350_000, 350_000, "GPU", "approx"), "~350,000 GPU"),
        (V(None, 2035, "year", "at_most"), "≤ 2035"),
        (V(3, 3, "x"), "3×"),
        (V(30_000, 30_000, "EUR"), "€30,000"),
        (V(None, None, "USD"), "?"),
    ],
)
def test_format_value(value: V, text: str) -> None:
    assert format_value(value) == text
