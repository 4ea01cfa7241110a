"""Subject and metric rules read off real pages, each on a sentence of our own."""

from __future__ import annotations

import datetime

from extractors.claims import Claim, ClaimExtractor

_DAY = datetime.date(2025, 6, 1)


def _got(extractor: ClaimExtractor, text: str, lang: str) -> list[tuple[str | None, str, float | None]]:
    return [(c.subject, c.metric, c.value_low) for c in extractor.extract(text, lang, published=_DAY)]


def _one(claims: list[Claim], metric: str) -> Claim:
    hits = [c for c in claims if c.metric == metric]
    assert len(hits) == 1, claims
    return hits[0]


def test_a_products_sales_are_its_makers_revenue(extractor: ClaimExtractor) -> None:
    fr = "Les abonnements payants à ChatGPT ont rapporté 2,7 milliards de dollars de ventes l'an dernier."
    assert _got(extractor, fr, "fr") == [("OpenAI", "revenue", 2.7e9)]
    en = "Claude Code alone now brings in $400 million in run-rate revenue."
    assert _got(extractor, en, "en") == [("Anthropic", "revenue", 400e6)]


def test_a_models_cost_stays_the_models(extractor: ClaimExtractor) -> None:
    text = "Training GPT-4 cost more than $100 million."
    assert _one(extractor.extract(text, "en", published=_DAY), "cost").subject == "GPT-4"
