"""Rules propose, a model decides: candidates with rule features, and the learned scorer.

A :class:`Candidate` is one answer a rule step proposes for an ambiguous choice (the entity a
figure belongs to), with its rule score (lower is better; the rules alone pick the lowest) and
its features. :class:`Scorer` is a linear ranker (a logistic regression on pairs of one choice's
candidates) trained on the annotated gold by ``python -m train.subjects`` and stored as plain
JSON coefficients under ``extractors/models/``; it is loaded once, at start-up, and only ever
reorders what the rules proposed: hard constraints stay in the rules.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.errors import ConfigError

MODELS_DIR = Path(__file__).resolve().parent / "models"
SUBJECTS_MODEL = MODELS_DIR / "subjects.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed answer: ``name``, its rule score, and the features the scorer reads."""

    name: str
    rule: float
    kind: str
    source: str
    """``mention`` (named in the sentence), ``referent`` (a pronoun or "the company"),
    ``fragment`` ("Stargate ? …"), ``topic`` (carried from the sentences before) or ``carried``
    (with no name in the sentence: the carried topic, the main organisation, the last ones named)."""
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Choice:
    """One ambiguous decision as the extractor saw it: for training and for tracing."""

    start: int
    end: int
    low: float | None
    high: float | None
    metric: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class Scorer:
    """A linear scorer over named features: ``intercept + Σ weight·value``, highest wins."""

    weights: dict[str, float]
    intercept: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, c: Candidate) -> float:
        return self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in c.features.items())

    def pick(self, candidates: list[Candidate]) -> str:
        """The best-scored candidate's name; on a tie, the one the rules rank first."""
        return max(candidates, key=lambda c: (round(self.score(c), 9), -c.rule)).name

    def to_json(self) -> dict[str, Any]:
        return {"intercept": self.intercept, "weights": dict(sorted(self.weights.items())), "meta": self.meta}

    @classmethod
    def load(cls, path: str | Path) -> Scorer:
        """Read a scorer file; raise ``ConfigError`` naming it on bad input."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in raw["weights"].items()}
            intercept = float(raw.get("intercept", 0.0))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(str(path), f"cannot read the scorer: {exc}") from None
        if not all(math.isfinite(w) for w in weights.values()):
            raise ConfigError(str(path), "weights must be finite numbers")
        return cls(weights, intercept, dict(raw.get("meta", {})))


def load_default() -> Scorer | None:
    """The committed subject scorer, or None (rules alone) when there is none."""
    if not SUBJECTS_MODEL.exists():
        log.info("no subject model at %s: subjects are chosen by the rules alone", SUBJECTS_MODEL)
        return None
    return Scorer.load(SUBJECTS_MODEL)


@dataclass(frozen=True, slots=True)
class Multinomial:
    """A multinomial logistic regression stored as plain numbers: one intercept and one weight
    per label for each named feature (``train/modality.py``, ``train/metrics.py`` write them)."""

    labels: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def scores(self, feats: dict[str, float]) -> dict[str, float]:
        totals = list(self.intercept)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for k, x in enumerate(w):
                    totals[k] += x * value
        return dict(zip(self.labels, totals, strict=True))

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        s = self.scores(feats)
        top = max(s.values())
        exp = {k: math.exp(v - top) for k, v in s.items()}
        z = sum(exp.values())
        return {k: v / z for k, v in exp.items()}

    @classmethod
    def load(cls, path: str | Path, labels: Sequence[str], what: str) -> Multinomial:
        """Read a model file whose labels must be among ``labels``; ``ConfigError`` naming the
        file when it is missing or malformed."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            model = cls(tuple(raw["labels"]), tuple(float(x) for x in raw["intercept"]),
                        {k: tuple(float(x) for x in v) for k, v in raw["weights"].items()})
        except FileNotFoundError:
            raise ConfigError(str(path), f"{what} missing: run `make train`") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(str(path), f"malformed {what}: {exc}") from None
        if not set(model.labels) <= set(labels) or len(model.intercept) != len(model.labels) \
                or any(len(w) != len(model.labels) for w in model.weights.values()):
            raise ConfigError(str(path), f"{what}: labels {model.labels} do not fit {tuple(labels)}")
        return model
