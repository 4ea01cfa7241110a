"""Reading figures as real French and English pages write them (sentences of our own, after the
phenomena found in the real-page development set): dotted thousands, number words, suffixes,
scientific notation, units glued to the digits, currency carried from context, and the traps
that are no figures."""

from __future__ import annotations

import datetime

import pytest

from extractors.claims import ClaimExtractor
from extractors.numbers import find_numbers
from extractors.quantities import Quantity, find_quantities


def _quantities(text: str, lang: str) -> list[Quantity]:
    return find_quantities(text, lang, find_numbers(text, lang), [])


def _values(text: str, lang: str) -> list[tuple[str, float, float, str]]:
    return [(text[n.start:n.end], n.low, n.high, n.kind) for n in find_numbers(text, lang)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("la capitalisation d'Alphabet atteint 2.900 milliards", 2.9e12),  # 3-digit group: thousands
        ("Nvidia a perdu 3.230 milliards en une semaine", 3.23e12),
        ("l'entraînement n'aurait coûté que 294.000 dollars", 294_000),
        ("le fonds compte 1.000.000 d'euros", 1e6),
        ("Mistral a levé 1.5 milliard", 1.5e9),  # one or two digits after the dot: a decimal point
        ("une action à 2.25 euros", 2.25),
    ],
)
def test_french_dot_digit_group_rule(text: str, value: float) -> None:
    (n,) = find_numbers(text, "fr")
    assert n.low == pytest.approx(value)


def test_english_dots_are_decimal_points() -> None:
    (n,) = find_numbers("a loss of 2.900 billion", "en")
    assert n.low == pytest.approx(2.9e9)


@pytest.mark.parametrize(
    ("lang", "text", "value", "kind"),
    [
        ("fr", "Amazon injecte cinq milliards dans le projet", 5e9, "point"),
        ("fr", "Treize milliards en série F : du jamais vu", 13e9, "point"),
        ("fr", "vingt et un millions de visiteurs", 21e6, "point"),
        ("fr", "Claude Code rapporte déjà un demi-milliard", 5e8, "point"),
        ("fr", "un demi-million de comptes", 5e5, "point"),
        ("fr", "une enveloppe de 2 milliards et demi", 2.5e9, "point"),
        ("fr", "deux millions et demie de GPU", 2.5e6, "point"),
        ("fr", "la société a dépensé deux douzaines de millions", 24e6, "approx"),
        ("fr", "une douzaine de serveurs", 12, "approx"),
        ("fr", "Nvidia vise le trillion de dollars", 1e12, "point"),
        ("en", "Amazon is putting in half a billion dollars", 5e8, "point"),
        ("en", "a billion and a half in new debt", 1.5e9, "point"),
        ("en", "two dozen data centers", 24, "approx"),
        ("en", "the race to the trillion dollars mark", 1e12, "point"),
    ],
)
def test_number_words_and_idioms(lang: str, text: str, value: float, kind: str) -> None:
    (n,) = find_numbers(text, lang)
    assert (n.low, n.kind) == (pytest.approx(value), kind)


@pytest.mark.parametrize(
    ("lang", "text", "value", "unit"),
    [
        ("fr", "Maverick, 400B de paramètres, dont 17B actifs", 400e9, "parameter"),
        ("fr", "OpenAI boucle un tour de 40 Md$", 40e9, "USD"),
        ("fr", "xAI lève 6 Mds$ de plus", 6e9, "USD"),
        ("fr", "Mistral annonce 600 M€ de financement", 600e6, "EUR"),
        ("en", "Microsoft hits a $3.5T valuation", 3.5e12, "USD"),
        ("en", "a £1.2bn contract", 1.2e9, "GBP"),
        ("en", "a $40m seed round", 40e6, "USD"),  # lower-case m/b only after a currency sign
        ("en", "a €3b order", 3e9, "EUR"),
        ("en", "analysts see tens of billions of dollars in orders", 1e10, "USD"),
    ],
)
def test_scale_suffixes_and_currencies(lang: str, text: str, value: float, unit: str) -> None:
    q = next(q for q in _quantities(text, lang) if q.unit is not None)
    assert (q.low, q.unit) == (pytest.approx(value), unit)


def test_lower_case_m_without_a_currency_is_no_scale() -> None:
    assert _values("a 5m cable", "en") == []


def test_french_b_is_a_scale_only_glued_to_the_digits() -> None:
    assert _values("le modèle 109B", "fr") == [("109B", 109e9, 109e9, "point")]
    assert [v[1] for v in _values("la série B de 2024", "fr")] == [2024]
    assert [v[1] for v in _values("3 B", "fr")] == [3]


@pytest.mark.parametrize(
    ("lang", "text", "value", "unit"),
    [
        ("en", "training took 4.1 x 10^24 FLOPs", 4.1e24, "FLOP"),
        ("fr", "un budget de 2,5 × 10^25 FLOP", 2.5e25, "FLOP"),
        ("en", "a threshold of 10²⁶ FLOPs", 1e26, "FLOP"),
        ("en", "some 2.6 million GPU hours", 2.6e6, "GPU-hour"),
        ("fr", "plus de 3 millions d'heures GPU", 3e6, "GPU-hour"),
        ("en", "a 3GW campus", 3e9, "W"),
        ("en", "it drew 40 GWh last year", 40e9, "Wh"),
        ("fr", "une consommation de 12 MWh", 12e6, "Wh"),
        ("en", "a warrant for 90 million shares", 90e6, "share"),
        ("fr", "une attribution de 2 millions d'actions", 2e6, "share"),
        ("en", "the benchmark ran in 9 minutes", 9, "minute"),
        ("fr", "l'entraînement a duré 60 heures", 60, "hour"),
    ],
)
def test_compute_energy_share_and_time_units(lang: str, text: str, value: float, unit: str) -> None:
    q = next(q for q in _quantities(text, lang) if q.unit is not None)
    assert (q.low, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("lang", "text", "low", "unit"),
    [
        ("en", "a 120,000+ GPU fleet", 120_000, "GPU"),
        ("en", "a new 5GW+ campus", 5e9, "W"),
        ("fr", "une flotte de 8 000+ GPU", 8_000, "GPU"),
    ],
)
def test_a_trailing_plus_is_at_least(lang: str, text: str, low: float, unit: str) -> None:
    q = next(q for q in _quantities(text, lang) if q.unit is not None)
    assert (q.low, q.high, q.hedge, q.unit) == (pytest.approx(low), None, "at_least", unit)


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("en", "a cluster of 50,000 of Nvidia’s B200 chips", 50_000),  # typographic apostrophe
        ("en", "room for \"tens of thousands\" of Nvidia Blackwell GPUs", 1e4),
        ("en", "up to 24,576 700W TDP H100 GPUs", 24_576),  # a chip spec between count and noun
        ("fr", "elle dispose d'« un peu plus de 2 000 » GPU", 2_000),  # a closing quote before the noun
        ("en", "trained on roughly 2,000 such GPUs", 2_000),  # "such" between count and noun
        ("en", "comprising 100,000 liquid-cooled H100 GPUs", 100_000),  # a cooling adjective before the chip
    ],
)
def test_gpu_counts_with_words_between_figure_and_noun(lang: str, text: str, value: float) -> None:
    q = next(q for q in _quantities(text, lang) if q.unit is not None)
    assert q.unit == "GPU"
    assert (q.low if q.low is not None else q.high) == pytest.approx(value)


def test_a_year_before_to_is_no_range_start() -> None:
    text = "bringing its total stake since 2021 to $6 billion"
    assert [(n.low, n.kind) for n in find_numbers(text, "en")] == [(2021, "point"), (6e9, "point")]


def test_a_change_from_one_figure_to_another_shares_the_scale() -> None:
    text = "Microsoft a vu sa valorisation passer de 2 500 à 3 800 milliards de dollars."
    assert [(n.low, n.kind) for n in find_numbers(text, "fr")] == [(2.5e12, "point"), (3.8e12, "point")]
    # a first figure too large to share the scale keeps its own value
    text = "Le parc est passé de 20 000 à 3 millions de GPU."
    assert [n.low for n in find_numbers(text, "fr")] == [20_000, 3e6]


def test_the_changed_from_figure_takes_the_currency_of_the_second(extractor: ClaimExtractor) -> None:
    text = "En un an, Microsoft a vu sa valorisation passer de 2 500 à 3 800 milliards de dollars."
    got = [(c.value_low, c.unit) for c in extractor.extract(text, "fr")]
    assert got == [(2.5e12, "USD"), (3.8e12, "USD")]


def test_implied_currency_from_the_article_and_from_money_nouns(extractor: ClaimExtractor) -> None:
    text = ("Sept milliards en série D pour Anthropic : la somme surprend. "
            "Anthropic vaut désormais 68 milliards de dollars. "
            "Anthropic table sur 4,2 milliards de chiffre d'affaires l'an prochain.")
    got = [(c.value_low, c.unit, c.currency_implied) for c in extractor.extract(text, "fr")]
    assert got == [(7e9, "USD", True), (68e9, "USD", False), (4.2e9, "USD", True)]


def test_scaled_counts_of_other_things_take_no_currency(extractor: ClaimExtractor) -> None:
    text = ("Google a investi 75 milliards de dollars cette année. "
            "Gemini revendique 3 milliards d'utilisateurs et Google traite 2 milliards de requêtes par jour.")
    got = [(c.value_low, c.unit) for c in extractor.extract(text, "fr")]
    assert got == [(75e9, "USD")]


def test_traps_that_are_no_figures(extractor: ClaimExtractor) -> None:
    text = ("Publié le 14/03/2025 à 09:47. La RTX 4090 de Nvidia et Llama 3 de Meta restent des références ; "
            "Nvidia vaut désormais 4 200 milliards de dollars (3.610 milliards d'euros).")
    got = [(c.value_low, c.unit) for c in extractor.extract(text, "fr")]
    assert got == [(4.2e12, "USD")]


def test_a_figure_of_another_noun_does_not_inherit_the_elided_unit(extractor: ClaimExtractor) -> None:
    text = "Microsoft will install 200,000 Nvidia GPUs in racks that hold millions of memory modules."
    assert [(c.value_low, c.unit) for c in extractor.extract(text, "en")] == [(200_000, "GPU")]
    elided = "Llama 4 Behemoth has 2 trillion parameters, with 288 billion active."
    assert [(c.value_low, c.unit) for c in extractor.extract(elided, "en")] == [(2e12, "parameter"), (288e9, "parameter")]


def test_a_bare_glued_b_in_french_is_a_model_size_not_money(extractor: ClaimExtractor) -> None:
    text = ("Meta a investi 65 milliards de dollars cette année. "
            "Llama 4 Scout compte 109B paramètres. Llama 4 Maverick monte à 400B.")
    got = [(c.subject, c.value_low, c.unit) for c in extractor.extract(text, "fr")]
    assert got[1:] == [("Llama 4 Scout", 109e9, "parameter"), ("Llama 4 Maverick", 400e9, "parameter")]


def test_a_glued_size_in_an_english_sentence_about_models_is_a_parameter_count(extractor: ClaimExtractor) -> None:
    def sizes(text: str) -> list[tuple[str | None, float | None, str]]:
        return [(c.subject, c.value_low, c.unit) for c in extractor.extract(text, "en") if c.unit != "year"]

    # a model-card list line: the name, a date, then sizes with no unit
    assert sizes("Mistral Small 3 (March 2025): 24B and 8B") == [("Mistral Small 3", 24e9, "parameter"),
                                                                 ("Mistral Small 3", 8e9, "parameter")]
    # a capitalised function word before a size is no model name ("The 13B" was one)
    assert sizes("Meta trained Llama on public data. The 13B parameter model runs on one GPU.") == [
        ("Llama", 13e9, "parameter")]
    # a preposition after a size is no other noun it counts ("671B with 37B activated per token")
    assert sizes("DeepSeek-V3 (Late 2024): Mixture-of-Experts (MoE), 671B with 37B activated per token") == [
        ("DeepSeek V3", 671e9, "parameter"), ("DeepSeek V3", 37e9, "parameter")]
    fr = [(c.value_low, c.unit) for c in extractor.extract(
        "Meta a publié Llama 3.1. Plus petites versions 70B et 8B pour différents besoins.", "fr")]
    assert fr == [(70e9, "parameter"), (8e9, "parameter")]
    # a sum in the sentence keeps a bare B for money ("raised 6B" is rare, but never a size)
    assert all(u != "parameter" for _, _, u in sizes("Mistral AI raised $640 million, valuing the Mistral-Small maker at 6B."))


def test_a_unit_is_shared_across_and_or_with_the_next_figure(extractor: ClaimExtractor) -> None:
    got = [(c.subject, c.value_low, c.unit) for c in extractor.extract(
        "Qwen3 comes in two sizes, 14B and 72B parameters.", "en")]
    assert got == [("Qwen3", 14e9, "parameter"), ("Qwen3", 72e9, "parameter")]
    fr = [(c.value_low, c.unit) for c in extractor.extract("Qwen3 existe en 14 milliards et 72 milliards de paramètres.", "fr")]
    assert fr == [(14e9, "parameter"), (72e9, "parameter")]
    # a word saying which count may stand before the join; "of its" joins a part to its whole
    moe = [(c.value_low, c.unit) for c in extractor.extract(
        "Qwen3-235B has 22 billion active and 235 billion total parameters.", "en")]
    assert moe == [(22e9, "parameter"), (235e9, "parameter")]
    part = [(c.value_low, c.unit) for c in extractor.extract(
        "gpt-oss-120b activates 5.1 billion of its 117 billion parameters per token.", "en")]
    assert part == [(5.1e9, "parameter"), (117e9, "parameter")]
    fr_moe = [(c.value_low, c.unit) for c in extractor.extract(
        "Qwen3 compte 22 milliards actifs et 235 milliards de paramètres au total.", "fr")]
    assert fr_moe == [(22e9, "parameter"), (235e9, "parameter")]


def test_gpus_counted_with_a_determiner_a_board_or_as_equivalents(extractor: ClaimExtractor) -> None:
    def gpus(text: str, lang: str) -> list[tuple[str | None, float | None, str | None]]:
        return [(c.subject, c.value_low, c.qualifier) for c in extractor.extract(text, lang, published=datetime.date(2025, 3, 1))
                if c.metric == "gpu_count"]

    assert gpus("En 2024, Meta avait déjà acquis 350 000 de ces GPU.", "fr") == [("Meta", 350000.0, None)]
    assert gpus("Meta disposera de 600 000 équivalents H100.", "fr") == [("Meta", 600000.0, "H100")]
    assert gpus("xAI's Colossus incorporates over 100,000 NVIDIA HGX H100 GPUs.", "en") == [("Colossus", 100000.0, "H100")]
    # one box's configuration is no fleet
    assert gpus("Each rack holds eight systems, each system equipped with 8 NVIDIA HGX H100 GPUs.", "en") == []
    assert gpus("xAI utilise 8 GPU H100 par serveur.", "fr") == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Colossus a été construit en trois mois.", "fr", (3.0, "month")),
        ("Colossus a été construit en 122 jours.", "fr", (122.0, "day")),
        ("Colossus was built in three months.", "en", (3.0, "month")),
    ],
)
def test_a_duration_keeps_its_unit(extractor: ClaimExtractor, text: str, lang: str,
                                   expected: tuple[float, str]) -> None:
    """« mois » is months (it was read as days: its final s was cut as a plural's)."""
    got = [(c.value_low, c.unit) for c in extractor.extract(text, lang) if c.metric == "duration"]
    assert got == [expected]


def test_a_glued_size_in_brackets_after_a_model_is_its_size(extractor: ClaimExtractor) -> None:
    """"Google's PaLM (540B) model, which had cost $12.4 million": the bracketed 540B is PaLM's
    size, not $540 billion, though the sentence speaks of money."""
    text = "Training GPT-4 cost $78.4 million, far more than Google's PaLM (540B) model, which had cost $12.4 million."
    got = [(c.subject, c.metric, c.value_low) for c in extractor.extract(text, "en")]
    assert ("PaLM", "parameter_count", 540e9) in got
    assert all(c.value_low != 540e9 for c in extractor.extract(text, "en") if c.unit == "USD")
