"""Rules propose, a model decides the metric of a money figure; hard wraps are unwrapped in place."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import load_settings
from extractors.claims import ClaimExtractor, unwrap
from extractors.metric import METRIC_MODEL, MONEY_METRICS, decide, load_metric_model
from extractors.ranker import Multinomial

_DAY = datetime.date(2025, 3, 1)


def _leaning(label: str, weight: float) -> Multinomial:
    """A model that prefers ``label`` by ``weight`` over every other money metric."""
    labels = tuple(MONEY_METRICS)
    return Multinomial(labels, tuple(weight if k == label else 0.0 for k in labels), {})


def test_the_committed_metric_model_loads_and_knows_only_money_metrics() -> None:
    model = load_metric_model()
    assert model is not None
    assert set(model.labels) <= set(MONEY_METRICS) and len(model.labels) >= 6
    assert model.weights


def test_the_model_overrules_the_rules_above_the_threshold() -> None:
    assert decide(_leaning("cost", 10.0), {}, "investment") == "cost"
    assert decide(_leaning("cost", 0.1), {}, "investment", threshold=0.5) == "investment"
    assert decide(_leaning("cost", 10.0), {}, "investment", threshold=0.5) == "cost"


def test_a_model_file_with_unknown_labels_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "metrics.json"
    bad.write_text(json.dumps({"labels": ["gpu_count"], "intercept": [0.0], "weights": {}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="metrics.json"):
        Multinomial.load(bad, MONEY_METRICS, "metric model")
    assert METRIC_MODEL.name == "metrics.json"


def test_the_model_decides_but_a_loss_stays_a_loss() -> None:
    settings = load_settings()
    spender = ClaimExtractor(settings.nlp, settings.entities_file, metric_model=_leaning("investment", 10.0))
    raised = spender.extract("Mistral AI a levé 600 millions d'euros.", "fr", published=_DAY)
    assert [c.metric for c in raised] == ["investment"]  # the model overruled "funding"
    lost = spender.extract("Anthropic devrait perdre trois milliards de dollars cette année.", "fr", published=_DAY)
    assert [c.metric for c in lost] == ["other"]


def test_unwrapping_keeps_every_offset_and_every_headline() -> None:
    text = "Titre du jour\nLe sommet a eu lieu.\nLa liste\n3. 200 000 GPU\nL'enveloppe\nprésentée totalise 109\nmilliards d'euros."
    out = unwrap(text)
    assert len(out) == len(text)
    assert "Titre du jour\nLe sommet" in out and "La liste\n3. 200 000 GPU\nL'enveloppe" in out
    assert "L'enveloppe présentée totalise 109 milliards d'euros." in out


def test_a_figure_broken_across_lines_is_read(extractor: ClaimExtractor) -> None:
    text = ("L'enveloppe\nd'investissement présentée par Mistral AI totalise 2\nmilliards d'euros pour ses "
            "centres de données.")
    claims = extractor.extract(text, "fr", published=_DAY)
    assert [(c.subject, c.metric, c.value_low, c.unit) for c in claims] == [("Mistral AI", "investment", 2e9, "EUR")]
    assert text[claims[0].start:claims[0].end].startswith("2")
