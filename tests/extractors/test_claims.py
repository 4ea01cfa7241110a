"""Claims from the corpus's real sentences and from English sentences of the same kinds."""

from __future__ import annotations

import datetime

import pytest

from config.errors import ExtractionError
from extractors.claims import CONTRACT_KEYS, Claim, ClaimExtractor


def _one(claims: list[Claim], metric: str) -> Claim:
    found = [c for c in claims if c.metric == metric]
    assert len(found) == 1, [c.as_json() for c in claims]
    return found[0]


def test_french_billion_dollars_after_gpu_count(extractor: ClaimExtractor) -> None:
    text = (
        "Il a été dit également que DeepSeek aurait eu accès à des puces H100 de Nvidia. "
        "Mais le volume évoqué — 50 000 puces H100 — parait exagéré. "
        "À 30 000 dollars l’unité, la dépense atteindrait 1,5 milliard de dollars."
    )
    claims = extractor.extract(text, "fr")
    gpus = _one(claims, "gpu_count")
    assert (gpus.subject, gpus.value_low, gpus.qualifier) == ("DeepSeek", 50_000, "H100")
    price = _one(claims, "price")
    assert (price.subject, price.value_low, price.unit) == ("H100", 30_000, "USD")
    cost = _one(claims, "cost")
    assert (cost.subject, cost.value_low, cost.value_high, cost.unit) == ("DeepSeek", 1.5e9, 1.5e9, "USD")
    assert text[cost.start:cost.end] == "1,5 milliard de dollars"


def test_gpu_cluster_subject_is_the_model(extractor: ClaimExtractor) -> None:
    text = ("Musk avait annoncé que Grok 3 serait une évolution majeure, développé sur un cluster "
            "colossal de 100 000 GPU H100. Rien que ça.")
    (claim,) = extractor.extract(text, "fr")
    assert (claim.metric, claim.subject, claim.value_low, claim.unit, claim.qualifier) == (
        "gpu_count", "Grok 3", 100_000, "GPU", "H100")
    assert text[claim.start:claim.end] == "100 000"


def test_range_in_millions_of_dollars(extractor: ClaimExtractor) -> None:
    text = ("En face, DeepSeek R1, qui est aussi un modèle de raisonnement, n’aurait requis « que » "
            "5 ou 6 millions de dollars (un chiffre invérifiable).")
    claim = _one(extractor.extract(text, "fr"), "cost")
    assert (claim.subject, claim.value_low, claim.value_high, claim.unit, claim.hedge) == (
        "DeepSeek R1", 5e6, 6e6, "USD", "range")


def test_implied_currency_and_at_least(extractor: ClaimExtractor) -> None:
    text = ("Stargate ? Un programme pharaonique aux USA de 500 milliards de dollars sur cinq ans. "
            "De son côté, Meta annonce 65 milliards en 2025 pour ses infrastructures en IA. "
            "Microsoft 80 milliards et Amazon plus de 75 milliards.")
    claims = extractor.extract(text, "fr", published=datetime.date(2025, 1, 28))
    by_subject = {c.subject: c for c in claims}
    meta = by_subject["Meta"]
    assert (meta.metric, meta.value_low, meta.unit, meta.currency_implied, meta.time) == (
        "investment", 65e9, "USD", True, "2025")
    amazon = by_subject["Amazon"]
    assert (amazon.metric, amazon.value_low, amazon.value_high, amazon.hedge) == ("investment", 75e9, None, "at_least")
    assert amazon.currency_implied
    assert by_subject["Microsoft"].value_low == 80e9


def test_up_to_is_an_open_lower_bound(extractor: ClaimExtractor) -> None:
    text = ("Dans ce domaine, la palme de l’effondrement revient à Nvidia, qui vu sa valeur boursière "
            "perdre jusqu’à 600 milliards de dollars.")
    claim = _one(extractor.extract(text, "fr"), "market_value_change")
    assert (claim.subject, claim.value_low, claim.value_high, claim.hedge) == ("Nvidia", None, 6e11, "at_most")


def test_english_money_and_gpus(extractor: ClaimExtractor) -> None:
    text = ("xAI has raised $6 billion in a Series C round. The company says its Colossus supercomputer "
            "now runs about 200,000 Nvidia H100 GPUs. Amazon plans to spend more than $75 billion this year.")
    claims = extractor.extract(text, "en", published=datetime.date(2024, 12, 23))
    funding = _one(claims, "funding")
    assert (funding.subject, funding.value_low, funding.unit) == ("xAI", 6e9, "USD")
    gpus = _one(claims, "gpu_count")
    assert (gpus.value_low, gpus.hedge, gpus.qualifier) == (200_000, "approx", "H100")
    inv = _one(claims, "investment")
    assert (inv.subject, inv.value_low, inv.value_high, inv.hedge, inv.time) == ("Amazon", 75e9, None, "at_least", "2024")


def test_model_names_and_bare_years_are_not_claims(extractor: ClaimExtractor) -> None:
    text = "Grok 3 rivalise avec GPT-4o et Claude 3.5 Opus. Le 4 octobre 1957, l’URSS lance Spoutnik. Page 12."
    assert extractor.extract(text, "fr") == []


def test_unknown_language_raises(extractor: ClaimExtractor) -> None:
    with pytest.raises(ExtractionError):
        extractor.extract("100 GPU", "de")


def test_extract_many_keeps_order_and_languages(extractor: ClaimExtractor) -> None:
    items = [
        ("Meta a acheté 350 000 GPU H100.", "fr", None),
        ("OpenAI raised $6.6 billion.", "en", None),
        ("", "fr", None),
    ]
    out = extractor.extract_many(items)
    assert [len(x) for x in out] == [1, 1, 0]
    assert out[0][0].lang == "fr" and out[1][0].lang == "en"
    assert set(out[1][0].as_json()) == set(CONTRACT_KEYS)


def test_currency_named_earlier_in_the_same_sentence_carries_over(extractor: ClaimExtractor) -> None:
    text = ("Selon Reuters, xAI a levé 6 milliards de dollars en décembre, et Amazon investira "
            "plus de 75 milliards en 2025.")
    claims = extractor.extract(text, "fr", published=datetime.date(2025, 1, 28))
    funding = _one(claims, "funding")
    assert (funding.subject, funding.value_low, funding.unit, funding.time) == ("xAI", 6e9, "USD", "2024-12")
    amazon = _one(claims, "investment")
    assert (amazon.subject, amazon.value_low, amazon.value_high) == ("Amazon", 75e9, None)
    assert amazon.unit == "USD" and amazon.currency_implied and amazon.hedge == "at_least"
    assert amazon.time == "2025"
