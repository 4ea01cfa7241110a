"""Numbers, quantities, entities and times without the spaCy parse."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import CONFIG_DIR
from extractors.entities import EntityMatcher, load_entities, load_patterns
from extractors.numbers import find_numbers
from extractors.quantities import find_quantities
from extractors.timescope import find_times


@pytest.mark.parametrize(
    ("lang", "text", "low", "high", "kind"),
    [
        ("fr", "100 000", 1e5, 1e5, "point"),
        ("fr", "100\u202f000", 1e5, 1e5, "point"),
        ("fr", "100\u00a0000", 1e5, 1e5, "point"),
        ("fr", "1,5 milliard", 1.5e9, 1.5e9, "point"),
        ("fr", "1 500,25", 1500.25, 1500.25, "point"),
        ("fr", "un million", 1e6, 1e6, "point"),
        ("fr", "cinq ou six", 5, 6, "range"),
        ("fr", "5 ou 6 millions", 5e6, 6e6, "range"),
        ("fr", "des centaines de millions", 1e8, 1e9, "vague"),
        ("fr", "par centaines de milliers", 1e5, 1e6, "vague"),
        ("en", "100,000", 1e5, 1e5, "point"),
        ("en", "1.5", 1.5, 1.5, "point"),
        ("en", "a million", 1e6, 1e6, "point"),
        ("en", "5 to 6 million", 5e6, 6e6, "range"),
        ("en", "hundreds of millions", 1e8, 1e9, "vague"),
        ("en", "2bn", 2e9, 2e9, "point"),
        ("en", "10k", 1e4, 1e4, "point"),
        ("en", "1.5B", 1.5e9, 1.5e9, "point"),
        ("en", "twenty-two", 22, 22, "point"),
    ],
)
def test_numbers(lang: str, text: str, low: float, high: float, kind: str) -> None:
    (n,) = find_numbers(text, lang)
    assert (n.low, n.high, n.kind) == (pytest.approx(low), pytest.approx(high), kind)


def test_two_thirds_is_a_fraction() -> None:
    (n,) = find_numbers("two-thirds of the budget", "en")
    assert n.low == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("3 billions de dollars de capitalisation", 3e12, "USD"),  # long scale: 3×10^12
        ("500 billions de dollars", 5e11, "USD"),  # 5×10^14 is implausible: a calque of "$500 billion"
        ("$1.5 billion", 1.5e9, "USD"),
        ("1,8 billion de paramètres", 1.8e12, "parameter"),
        ("2 trillions de dollars", 2e12, "USD"),
    ],
)
def test_french_billion_rule(text: str, value: float, unit: str) -> None:
    lang = "en" if text.startswith("$") else "fr"
    (q,) = find_quantities(text, lang, find_numbers(text, lang), [])
    assert (q.low, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("lang", "text", "hedge", "low", "high"),
    [
        ("fr", "environ 200 000 GPU", "approx", 2e5, 2e5),
        ("fr", "près de 200 000 GPU", "approx", 2e5, 2e5),
        ("fr", "plus de 75 milliards de dollars", "at_least", 75e9, None),
        ("fr", "jusqu’à 600 milliards de dollars", "at_most", None, 6e11),
        ("en", "about 350,000 GPUs", "approx", 3.5e5, 3.5e5),
        ("en", "more than $75 billion", "at_least", 75e9, None),
        ("en", "up to $600 billion", "at_most", None, 6e11),
        ("en", "nearly 1 million GPUs", "approx", 1e6, 1e6),
        # comparison signs, as lists and tables write bounds ("Amazon >125 Mds$")
        ("fr", "Amazon >125 Mds$", "at_least", 125e9, None),
        ("fr", "≥ 200 000 GPU", "at_least", 2e5, None),
        ("en", "Microsoft: <$80 billion", "at_most", None, 8e10),
        ("en", "≤ 1 million GPUs", "at_most", None, 1e6),
    ],
)
def test_hedges(lang: str, text: str, hedge: str, low: float | None, high: float | None) -> None:
    (q,) = find_quantities(text, lang, find_numbers(text, lang), [])
    assert (q.hedge, q.low, q.high) == (hedge, low, high)


def test_entities_table_and_rules() -> None:
    entities = load_entities(CONFIG_DIR / "entities.toml")
    assert len(entities) >= 40
    matcher = EntityMatcher(entities, load_patterns())
    names = [m.name for m in matcher.find("Musk, x.AI, DeepSeek-R1, Grok-3, GPT-4o et B200 ; Elon Musk")]
    assert names == ["Elon Musk", "xAI", "DeepSeek R1", "Grok 3", "GPT-4o", "B200", "Elon Musk"]
    assert next(e for e in entities if e.name == "Elon Musk").org == "xAI"


def test_bad_entities_file_names_file_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "entities.toml"
    bad.write_text('[[entity]]\nname = "X"\nkind = "planet"\n')
    with pytest.raises(ConfigError) as err:
        load_entities(bad)
    assert str(bad) in str(err.value) and "kind" in str(err.value)
    bad.write_text("[[entity]\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_entities(bad)


def test_relative_times_use_published_only() -> None:
    published = datetime.date(2025, 1, 28)  # a Tuesday
    values = [t.value for t in find_times("lundi, cette semaine, l'an prochain, sur cinq ans, in Q3", published)]
    assert values == ["2025-01-27", "2025-W05", "2026", "2025-01-28/P5Y", "2025-Q3"]
    assert [t.value for t in find_times("lundi, next year", None)] == []


def test_from_to_after_a_change_verb_is_two_figures_not_a_range() -> None:
    text = "xAI veut porter son supercalculateur Colossus de 100 000 à 200 000 GPU H100."
    values = [(n.low, n.high, n.kind) for n in find_numbers(text, "fr")]
    assert values == [(100_000, 100_000, "point"), (200_000, 200_000, "point")]
    en = "OpenAI expects revenue to grow from $3.7 billion to $12.7 billion this year."
    assert [n.kind for n in find_numbers(en, "en")] == ["point", "point"]
    # without a change verb, "de X à Y" stays a range
    ranged = find_numbers("Le B200 se vend de 30 000 à 40 000 dollars.", "fr")
    assert [(n.low, n.high, n.kind) for n in ranged] == [(30_000, 40_000, "range")]


def test_french_approximate_counts() -> None:
    (n,) = find_numbers("contre une trentaine de millions un an plus tôt", "fr")
    assert (n.low, n.high, n.kind) == (30e6, 30e6, "approx")
    (q,) = find_quantities("une vingtaine de GPU", "fr", find_numbers("une vingtaine de GPU", "fr"), [])
    assert (q.low, q.unit, q.hedge) == (20, "GPU", "approx")
    assert [n.kind for n in find_numbers("des centaines de milliers de GPU", "fr")] == ["vague"]


@pytest.mark.parametrize(
    ("lang", "text", "hedge", "low", "high"),
    [
        ("fr", "son chiffre d'affaires dépasse désormais 300 millions d'euros", "at_least", 300e6, None),
        ("fr", "Amazon devrait dépasser les 100 Md$ cette année", "at_least", 100e9, None),
        ("en", "it projects revenue to exceed $125 billion", "at_least", 125e9, None),
        ("en", "trained on a cluster bigger than 100,000 GPUs", "at_least", 100_000, None),
    ],
)
def test_at_least_verbs_with_adverbs_and_articles(lang: str, text: str, hedge: str, low: float, high: float | None) -> None:
    (q,) = [q for q in find_quantities(text, lang, find_numbers(text, lang), []) if q.unit]
    assert (q.hedge, q.low, q.high) == (hedge, low, high)


def test_cents_and_spaced_currency_prefix() -> None:
    text = "Maverick can be served for between 19 and 49 cents per million tokens"
    (q,) = find_quantities(text, "en", find_numbers(text, "en"), [])
    assert q.unit == "USD" and q.low == pytest.approx(0.19) and q.high == pytest.approx(0.49)
    fr = "une extension financée à hauteur de € 40 millions"
    (q,) = find_quantities(fr, "fr", find_numbers(fr, "fr"), [])
    assert (q.low, q.unit) == (40e6, "EUR")


def test_model_variants_rack_names_and_plural_chips() -> None:
    matcher = EntityMatcher(load_entities(CONFIG_DIR / "entities.toml"), load_patterns())
    text = ("Llama 4 Behemoth and Gemini Ultra; une baie GB200 NVL72; 100,000 H100s; "
            "l'entraînement de Mistral Medium 3")
    names = [(m.name, m.kind) for m in matcher.find(text)]
    assert ("Llama 4 Behemoth", "model") in names
    assert ("Gemini Ultra", "model") in names
    assert ("GB200 NVL72", "chip") in names
    assert ("H100", "chip") in names
    assert ("Mistral Medium 3", "model") in names


@pytest.mark.parametrize(("lang", "text", "low", "high"), [
    ("fr", "se chiffrant entre dix et cent milliards de dollars", 10e9, 100e9),
    ("en", "between ten and twenty billion dollars", 10e9, 20e9),
    ("fr", "vingt et un milliards", 21e9, 21e9),
    ("fr", "soixante et onze millions", 71e6, 71e6),
    ("en", "one hundred and five", 105, 105),
])
def test_and_joins_number_words_only_inside_one_number(lang: str, text: str, low: float, high: float) -> None:
    nums = find_numbers(text, lang)
    assert [(n.low, n.high) for n in nums] == [(low, high)]


def test_another_countrys_dollars_are_no_figure() -> None:
    """"US$4 billion (S$5.5 billion)": the Singapore dollars restate the figure in a currency we do
    not convert; read bare, they would pass for US dollars."""
    text = "Amazon will invest up to US$4 billion (S$5.5 billion), TSMC NT$1 trillion and Atlassian A$ 2 billion."
    got = [(q.high or q.low, q.unit) for q in find_quantities(text, "en", find_numbers(text, "en"), [])]
    assert got == [(4e9, "USD")]


@pytest.mark.parametrize(("text", "value"), [
    ("OpenAI vise plus d'un million de GPU.", 1e6),
    ("Une levée de près d'un milliard de dollars.", 1e9),
    ("Il n'en faut guère plus qu'un million.", 1e6),
])
def test_a_number_word_after_an_elided_de(text: str, value: float) -> None:
    """« d'un million » is « de » + « un million »: the apostrophe does not glue them into one word."""
    assert [n.low for n in find_numbers(text, "fr")] == [value]
    assert find_numbers("C'est l'un des plus grands, d'un coût modeste.", "fr") == []


@pytest.mark.parametrize(("text", "value"), [
    ("OpenAI a levé 6,6 mds de dollars.", 6.6e9),
    ("Un plan de 15 mds d’euros.", 15e9),
    ("Un total de 15 md€.", 15e9),
])
def test_a_french_scale_abbreviation_in_lower_case_before_a_currency(text: str, value: float) -> None:
    assert [n.low for n in find_numbers(text, "fr")] == [pytest.approx(value)]
    assert [n.low for n in find_numbers("Les 3 mds restants.", "fr")] == [3.0]  # no currency: not a scale


@pytest.mark.parametrize(
    ("lang", "text", "watts"),
    [
        ("en", "representing one gigawatt of capacity", [1e9]),
        ("en", "a gigawatt of new capacity", [1e9]),
        ("fr", "un data center d'une capacité d'un gigawatt", [1e9]),
        ("fr", "plus d'un gigawatt de puissance de calcul", [1e9]),
        ("en", "a gigawatt-scale campus", []),  # a size class, no figure
        ("en", "the first gigawatt will come online", []),  # an ordinal counts nothing
    ],
)
def test_an_article_before_a_power_unit_counts_one(lang: str, text: str, watts: list[float]) -> None:
    qs = find_quantities(text, lang, find_numbers(text, lang), [])
    assert [q.low for q in qs if q.unit == "W"] == watts
