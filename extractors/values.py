"""How a figure reads to a person: one formatter for the CLI, the digest and the store's
explanations (``$5–6 million``, ``≥ $75 billion``, ``~350,000 GPU``, ``≤ 2035``)."""

from __future__ import annotations

from typing import Protocol

_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_HEDGE_PREFIX = {"approx": "~", "at_least": "≥ ", "at_most": "≤ ", "vague": "≈ "}


class ValueLike(Protocol):
    @property
    def value_low(self) -> float | None: ...
    @property
    def value_high(self) -> float | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def hedge(self) -> str | None: ...


def format_value(claim: ValueLike) -> str:
    """``$1.5 billion``, ``≥ $75 billion``, ``$5–6 million``, ``~350,000 GPU``, ``≤ 2035``."""
    low, high, unit = claim.value_low, claim.value_high, claim.unit
    if low is None and high is None:
        return "?"
    if low is not None and high is not None and low != high:
        high_scale = _scale(high)
        low_text = _number(low, unit, drop_scale=_scale(low) == high_scale)
        text = _with_unit(f"{low_text}–{_number(high, unit)}", unit)
        return f"≈ {text}" if claim.hedge == "vague" else text
    value = low if low is not None else high
    assert value is not None
    prefix = _HEDGE_PREFIX.get(claim.hedge or "", "")
    if low is None:
        prefix = "≤ "
    elif high is None:
        prefix = "≥ "
    return prefix + _with_unit(_number(value, unit), unit)


def _scale(value: float) -> tuple[float, str]:
    return next(((size, word) for size, word in _SCALES if abs(value) >= size), (1.0, ""))


def _number(value: float, unit: str | None, *, drop_scale: bool = False) -> str:
    if unit == "year":
        return str(int(value))
    size, word = _scale(value)
    if not word:
        return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
    # in "$5–6 million" only the high end carries the scale word
    return _trim(value / size) if drop_scale else f"{_trim(value / size)} {word}"


def _with_unit(body: str, unit: str | None) -> str:
    if unit in _CURRENCY_SIGNS:
        if body.startswith("-"):  # a fall: "−$600 billion", not "$-600 billion"
            return "−" + _CURRENCY_SIGNS[unit] + body[1:].replace("–-", "–")
        return _CURRENCY_SIGNS[unit] + body
    if unit == "x":
        return f"{body}×"
    return f"{body} {unit}" if unit and unit != "year" else body


def _trim(number: float) -> str:
    return f"{number:.2f}".rstrip("0").rstrip(".")


METRIC_LABELS = {
    "gpu_count": "GPU count",
    "cost": "cost",
    "investment": "investment",
    "price": "price",
    "market_value_change": "market value change",
    "funding": "funding",
    "revenue": "revenue",
    "valuation": "valuation",
    "parameter_count": "parameter count",
    "agi_date": "AGI date",
    "release_date": "release date",
    "duration": "duration",
    "compute_multiplier": "compute multiplier",
    "other": "figure",
}


def metric_label(metric: str, qualifier: str | None = None) -> str:
    """``GPU count``, ``revenue (data center)``: how a metric reads in a sentence."""
    label = METRIC_LABELS.get(metric, metric.replace("_", " "))
    return f"{label} ({qualifier})" if qualifier else label


def modality_note(modality: str, speaker: str | None) -> str:
    """How a figure is held, in a few words: ``reported by Reuters``, ``plan``, ``denied by
    OpenAI``, ``hypothetical``; a stated figure with a speaker reads ``stated by Jensen Huang``,
    without one it needs no note (empty string)."""
    by = f" by {speaker}" if speaker else ""
    if modality == "stated":
        return f"stated{by}" if speaker else ""
    if modality == "reported" and not speaker:
        return "reported, unverified"
    return f"{modality}{by}"
