"""The claim contract every other stage relies on: :class:`Claim` and its vocabularies.

:mod:`extractors.claims` re-exports all of it; ``veille extract`` prints exactly
:data:`CONTRACT_KEYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

METRICS = (
    "gpu_count",
    "cost",
    "investment",
    "price",
    "market_value_change",
    "funding",
    "revenue",
    "valuation",
    "parameter_count",
    "agi_date",
    "release_date",
    "duration",
    "compute_multiplier",
    "other",
)
"""The contract's metrics; each has an entry in the metric registry (``config/metrics.toml``)."""
HEDGES = ("approx", "at_least", "at_most", "range", "vague")
MODALITIES = ("denied", "hypothetical", "plan", "reported", "stated")
"""How the text holds a figure, in precedence order: the first that applies wins.

``denied``: negated, denied or corrected away; ``hypothetical``: a conditional or illustrative
computation (it has a condition: « si », "if", « à 30 000 dollars l'unité »); ``plan``: a target,
forecast or ambition; ``reported``: attributed to someone else or unverified (the French
journalistic conditional « lèverait », « aurait nécessité »); ``stated``: the text states it."""
CONTRACT_KEYS = (
    "subject",
    "metric",
    "value_low",
    "value_high",
    "unit",
    "qualifier",
    "hedge",
    "time",
    "speaker",
    "probability",
    "modality",
    "sentence",
    "start",
    "end",
    "lang",
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure stated in an article, with what it is about.

    ``value_low``/``value_high`` are equal for a point value; ``None`` is an open bound.
    Money is in currency units (``USD``, ``EUR``), not millions. ``start``/``end`` are the
    character offsets of the figure in the text the extractor was given.
    """

    subject: str | None
    metric: str
    value_low: float | None
    value_high: float | None
    unit: str | None
    qualifier: str | None
    hedge: str | None
    time: str | None
    speaker: str | None
    probability: float | None
    sentence: str
    start: int
    end: int
    lang: str
    currency_implied: bool = False
    """The currency was not written next to the figure but carried from context."""
    modality: str = "stated"
    """One of :data:`MODALITIES`."""

    @property
    def is_plan(self) -> bool:
        """A target, ambition or forecast rather than a stated current figure."""
        return self.modality == "plan"

    def as_json(self) -> dict[str, Any]:
        """The claim as the ``veille extract`` contract: exactly ``CONTRACT_KEYS``."""
        return {key: getattr(self, key) for key in CONTRACT_KEYS}
