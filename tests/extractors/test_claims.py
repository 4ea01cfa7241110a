"""Claims from the corpus's real sentences and from English sentences of the same kinds."""

from __future__ import annotations

import datetime

import pytest

from config.errors import ExtractionError
from config.settings import CONFIG_DIR, NlpSettings
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


def test_gpu_cluster_is_its_makers_not_the_models(extractor: ClaimExtractor) -> None:
    # Issue 10: a figure is never filed under a model when it is its maker's cluster.
    text = ("Musk avait annoncé que Grok 3 serait une évolution majeure, développé sur un cluster "
            "colossal de 100 000 GPU H100. Rien que ça.")
    (claim,) = extractor.extract(text, "fr")
    assert (claim.metric, claim.subject, claim.value_low, claim.unit, claim.qualifier) == (
        "gpu_count", "xAI", 100_000, "GPU", "H100")
    assert text[claim.start:claim.end] == "100 000"
    text = "xAI said Grok 3 was trained on its supercomputer with 200,000 GPUs, more than anyone else."
    (claim,) = extractor.extract(text, "en")
    assert (claim.metric, claim.subject, claim.value_low) == ("gpu_count", "xAI", 200_000)


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
    # a loss of up to 600 billion: any change from -600 billion to nothing (extractors/modality.py)
    assert (claim.subject, claim.value_low, claim.value_high, claim.hedge) == ("Nvidia", -6e11, 0.0, "range")


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


def _facts(claims: list[Claim]) -> list[tuple[str, str | None, float | None, float | None, str | None]]:
    return [(c.metric, c.subject, c.value_low, c.value_high, c.unit) for c in claims]


def test_compared_and_part_of_figures_inherit_metric_and_subject(extractor: ClaimExtractor) -> None:
    text = ("Sur l'ensemble de l'exercice, le chiffre d'affaires de Nvidia s'établit à 130,5 Md$, "
            "contre 60,9 Md$ un an plus tôt. Mistral AI a bouclé une levée de fonds de 1,7 milliard d'euros, "
            "dont 1,3 milliard apporté par le néerlandais ASML.")
    assert _facts(extractor.extract(text, "fr")) == [
        ("revenue", "Nvidia", 130.5e9, 130.5e9, "USD"), ("revenue", "Nvidia", 60.9e9, 60.9e9, "USD"),
        ("funding", "Mistral AI", 1.7e9, 1.7e9, "EUR"), ("funding", "Mistral AI", 1.3e9, 1.3e9, "EUR")]
    en = "OpenAI expects revenue of $12.7 billion this year, up from $3.7 billion in 2024."
    assert [(c.metric, c.subject) for c in extractor.extract(en, "en")] == [("revenue", "OpenAI")] * 2


def test_a_currency_conversion_is_not_a_second_claim(extractor: ClaimExtractor) -> None:
    text = "DeepSeek affirme avoir entraîné V3 pour 5,6 millions de dollars, soit environ 5,4 M€."
    assert [(c.value_low, c.unit) for c in extractor.extract(text, "fr")] == [(5.6e6, "USD")]
    en = "Nvidia has pledged £2 billion ($2.7bn) to back UK AI start-ups."
    assert [(c.value_low, c.unit) for c in extractor.extract(en, "en")] == [(2e9, "GBP")]


def test_valuation_belongs_to_who_raised_or_was_invested_in(extractor: ClaimExtractor) -> None:
    text = ("OpenAI said it would raise up to $40 billion in a funding round led by SoftBank Group "
            "at a $300 billion post-money valuation.")
    assert ("valuation", "OpenAI", 300e9, 300e9, "USD") in _facts(extractor.extract(text, "en"))
    invest = "SoftBank has agreed to invest $40 billion in OpenAI at a $300 billion valuation."
    assert _facts(extractor.extract(invest, "en")) == [
        ("investment", "SoftBank", 40e9, 40e9, "USD"), ("valuation", "OpenAI", 300e9, 300e9, "USD")]


def test_gapped_list_shares_the_verb(extractor: ClaimExtractor) -> None:
    text = ("Microsoft prévoit de consacrer 80 Md$ aux centres de données sur son exercice 2025, "
            "Alphabet 75 Md$ et Meta entre 60 et 65 Md$.")
    assert _facts(extractor.extract(text, "fr")) == [
        ("investment", "Microsoft", 80e9, 80e9, "USD"), ("investment", "Google", 75e9, 75e9, "USD"),
        ("investment", "Meta", 60e9, 65e9, "USD")]


def test_market_value_level_is_a_valuation_a_loss_is_a_change(extractor: ClaimExtractor) -> None:
    level = "Microsoft briefly topped $4 trillion in market value on Thursday."
    assert _facts(extractor.extract(level, "en")) == [("valuation", "Microsoft", 4e12, None, "USD")]
    fr = "Depuis, Nvidia pèse aujourd'hui environ 3 000 milliards de dollars en Bourse."
    assert _one(extractor.extract(fr, "fr"), "valuation").value_low == 3e12
    change = "Le 27 janvier, l'action Nvidia a chuté de 17 % et sa capitalisation a fondu de 593 milliards de dollars."
    assert _facts(extractor.extract(change, "fr")) == [("market_value_change", "Nvidia", -593e9, -593e9, "USD")]


def test_agi_dates_relative_to_publication(extractor: ClaimExtractor) -> None:
    pub = datetime.date(2025, 4, 7)
    musk = "\u201cI think we'll have AGI probably next year,\u201d Elon Musk said in an interview."
    claim = _one(extractor.extract(musk, "en", published=pub), "agi_date")
    assert (claim.value_low, claim.value_high, claim.speaker) == (2026, 2026, "Elon Musk")
    fr = "Demis Hassabis (Google DeepMind) situe l'AGI « d'ici cinq à dix ans »."
    claim = _one(extractor.extract(fr, "fr", published=pub), "agi_date")
    assert (claim.value_low, claim.value_high, claim.hedge, claim.speaker) == (2030, 2035, "range", "Demis Hassabis")


@pytest.mark.parametrize(("text", "lang", "bounds"), [
    ("Ben Goertzel expects AGI within the next three years.", "en", (None, 2028, "at_most")),
    ("Selon Ben Goertzel, l'AGI arrivera dans les trois à huit prochaines années.", "fr", (2028, 2033, "range")),
    ("Jensen Huang envisage l'AGI dans les cinq ans à venir.", "fr", (None, 2030, "at_most")),
    ("Dario Amodei said powerful AI will arrive before the end of this decade.", "en", (None, 2029, "at_most")),
    ("Elon Musk believes AI will be smarter than the smartest human as soon as 2026 or by 2027.", "en",
     (2026, 2027, "range")),
    ("Selon Elon Musk, l'IA sera plus intelligente que l'homme en 2026 ou en 2027.", "fr", (2026, 2027, "range")),
    ("Elon Musk prédit une IA plus intelligente que n'importe quel humain dès l'an prochain.", "fr", (2026, 2026, None)),
    ("D'après Ray Kurzweil, les machines égaleront l'intelligence humaine en 2029.", "fr", (2029, 2029, None)),
    ("Les chercheurs interrogés situent l'arrivée d'une IA de niveau humain vers 2047.", "fr", (2047, 2047, "approx")),
    ("Ray Kurzweil says machines will match human intelligence by 2029.", "en", (None, 2029, "at_most")),
])
def test_agi_horizons_written_with_a_determiner_a_decade_or_two_dates(
        extractor: ClaimExtractor, text: str, lang: str, bounds: tuple[float | None, float | None, str]) -> None:
    """Forms read off real pages: "within the next three years", « dans les trois à huit prochaines
    années », "this decade", two dates of one forecast joined by "or" (one range, not two claims)."""
    claim = _one(extractor.extract(text, lang, published=datetime.date(2025, 4, 7)), "agi_date")
    assert (claim.value_low, claim.value_high, claim.hedge) == bounds


def test_parameters_belong_to_a_model_even_one_named_before(extractor: ClaimExtractor) -> None:
    text = ("Meta a été plus transparent avec Llama 3.1. Sa version à 405 milliards de paramètres a été "
            "entraînée sur plus de 16 000 GPU H100 pendant environ 54 jours.")
    assert [(c.metric, c.subject) for c in extractor.extract(text, "fr")] == [
        ("parameter_count", "Llama 3.1"), ("gpu_count", "Llama 3.1"), ("duration", "Llama 3.1")]
    en = ("Llama 4 Scout has 109 billion total parameters. The still-in-training Llama 4 Behemoth is bigger. "
          "Meta says it trained Behemoth on 32,000 GPUs.")
    assert [(c.metric, c.subject, c.value_low) for c in extractor.extract(en, "en")] == [
        ("parameter_count", "Llama 4 Scout", 109e9), ("gpu_count", "Llama 4 Behemoth", 32_000)]


def test_partners_and_named_sites_are_not_confused_with_the_subject(extractor: ClaimExtractor) -> None:
    text = ("Part of the new money will go to Stargate, the data-centre joint venture with SoftBank and "
            "Oracle that plans to invest $500 billion over four years.")
    assert _facts(extractor.extract(text, "en")) == [("investment", "Stargate", 500e9, 500e9, "USD")]
    fr = "Le supercalculateur Jean Zay, à Saclay, compte 1 456 GPU H100 depuis son extension."
    assert [(c.metric, c.subject, c.value_low) for c in extractor.extract(fr, "fr")] == [("gpu_count", "Jean Zay", 1456)]


def test_per_hour_and_per_token_prices(extractor: ClaimExtractor) -> None:
    text = "En location, l'heure de H100 est tombée à 2 dollars chez certains néo-clouds, contre 8 dollars début 2023."
    assert [(c.metric, c.subject, c.value_low) for c in extractor.extract(text, "fr")] == [
        ("price", "H100", 2), ("price", "H100", 8)]
    en = ("Llama 4 Maverick is out. Meta says Maverick can be served for between 19 and 49 cents per million tokens, "
          "compared with $4.38 for GPT-4o.")
    facts = [(c.metric, c.subject) for c in extractor.extract(en, "en")]
    assert facts == [("price", "Llama 4 Maverick"), ("price", "GPT-4o")]


def test_a_headline_naming_gpus_does_not_make_the_next_line_a_vendor(extractor: ClaimExtractor) -> None:
    text = "Inside Meta's GPU fleet\nMeta operates roughly 350,000 GPUs, according to two people."
    claim = _one(extractor.extract(text, "en", published=datetime.date(2025, 1, 25)), "gpu_count")
    assert (claim.subject, claim.value_low, claim.hedge) == ("Meta", 350_000, "approx")
    # within one line the vendor reading stays: "GPUs from Nvidia" are Nvidia's product
    vendor = "xAI bought 100,000 GPUs from Nvidia for Colossus."
    assert _one(extractor.extract(vendor, "en"), "gpu_count").subject != "Nvidia"


@pytest.mark.parametrize(
    ("text", "lang", "plans"),
    [
        ("xAI doubles Colossus to 200,000 GPUs as Musk eyes a million.", "en", [False, True]),
        ("Elon Musk ambitionne désormais de disposer de l’équivalent de 50 millions de GPU H100 sur cinq ans.", "fr", [True]),
        ("Musk a exprimé sa volonté de créer une infrastructure composée de dizaines de millions de processeurs.", "fr", [True]),
        ("Meta will have 1.3 million GPUs by the end of 2025.", "en", [True]),
        ("Meta now runs about 600,000 GPUs.", "en", [False]),
        ("OpenAI a levé 6,6 milliards de dollars en octobre.", "fr", [False]),
    ],
)
def test_a_plan_is_the_figure_s_own_clause_not_the_sentence_s(
    extractor: ClaimExtractor, text: str, lang: str, plans: list[bool]
) -> None:
    claims = extractor.extract(text, lang, published=datetime.date(2025, 1, 28))
    assert [c.is_plan for c in claims] == plans


def test_a_total_next_to_a_unit_price_is_not_a_price(extractor: ClaimExtractor) -> None:
    text = ("xAI built Colossus with 100,000 H100 chips. Each H100 sells for roughly $30,000, which puts "
            "the hardware of the first phase alone at about $3 billion.")
    prices = [c for c in extractor.extract(text, "en") if c.metric == "price"]
    assert [(c.subject, c.value_low) for c in prices] == [("H100", 30_000)]


# --- holdout2 pass: general rules, each with the kind of sentence it is for -----------------

def test_model_named_with_its_size_is_the_subject(extractor: ClaimExtractor) -> None:
    text = ("The larger of the pair, gpt-oss-120b, has 117 billion parameters in total. "
            "Le plus grand modèle dense de Meta, Llama 3.1 405B, aligne 405 milliards de paramètres.")
    en = extractor.extract(text.split(". ")[0] + ".", "en")
    fr = extractor.extract(text.split(". ")[1], "fr")
    assert [(c.metric, c.subject, c.value_low) for c in en] == [("parameter_count", "gpt-oss-120b", 117e9)]
    assert [(c.metric, c.subject, c.value_low) for c in fr] == [("parameter_count", "Llama 3.1 405B", 405e9)]


def test_noun_after_the_amount_names_the_metric(extractor: ClaimExtractor) -> None:
    text = ("Le cœur de la machine reste la division centres de données : 41,1 milliards de dollars "
            "de ventes pour Nvidia sur le trimestre.")
    claim = _one(extractor.extract(text, "fr"), "revenue")
    assert (claim.subject, claim.value_low, claim.unit) == ("Nvidia", 41.1e9, "USD")


def test_profit_and_buyback_are_not_revenue_or_investment(extractor: ClaimExtractor) -> None:
    text = ("Nvidia a réalisé un chiffre d'affaires de 46,7 milliards de dollars. Le bénéfice net atteint "
            "26,4 milliards de dollars. Le conseil d'administration a approuvé un programme de rachat "
            "d'actions de 60 milliards de dollars.")
    by_value = {c.value_low: c.metric for c in extractor.extract(text, "fr")}
    assert by_value == {46.7e9: "revenue", 26.4e9: "other", 60e9: "other"}
    # "net earnings" are profit, not the cost the sentence before speaks of
    text = ("DeepSeek said it spent just $5.6 million to train its model. From 2022 to 2024, Nvidia’s net "
            "earnings surged from $4.8 billion to a projected $66.7 billion.")
    assert {c.value_low: c.metric for c in extractor.extract(text, "en")} \
        == {5.6e6: "cost", 4.8e9: "other", 66.7e9: "other"}


@pytest.mark.parametrize(("text", "lang"), [
    ("OpenAI said it spent $5 billion on compute. The fourth quarter suggests a $3 billion annual run rate.", "en"),
    ("OpenAI said it spent $5 billion on compute. It anticipates generating around $3 billion by year-end.", "en"),
    ("OpenAI said it spent $5 billion on compute. It finds itself with $3 billion in RPO.", "en"),
    ("OpenAI a dépensé 5 milliards de dollars en calcul. Elle devrait générer 3 milliards de dollars cette année.", "fr"),
    ("OpenAI a dépensé 5 milliards de dollars en calcul. Son carnet de commandes atteint 3 milliards de dollars.", "fr"),
])
def test_run_rate_backlog_and_generating_money_are_revenue(extractor: ClaimExtractor, text: str, lang: str) -> None:
    """Sales words the registry lacked: a run rate written in two words, money generated, the
    backlog (RPO, « carnet de commandes »), after a sentence on spending."""
    by_value = {c.value_low: c.metric for c in extractor.extract(text, lang)}
    assert by_value == {5e9: "cost", 3e9: "revenue"}


def test_a_share_price_is_no_company_s_worth(extractor: ClaimExtractor) -> None:
    """"shares … ended the session up 3% at $207.04, giving it a market value of $5.03 trillion": the
    first figure is a share price (other), the second the company's worth."""
    text = ("Nvidia became the first company to reach $5 trillion in market value. Its shares ended Wednesday’s "
            "session up 3% at $207.04, giving it a market value of $5.03 trillion.")
    assert {c.value_low: c.metric for c in extractor.extract(text, "en")} \
        == {5e12: "valuation", 207.04: "other", 5.03e12: "valuation"}


def test_for_profit_is_no_profit_cue(extractor: ClaimExtractor) -> None:
    text = ("SoftBank will invest an initial $10 billion in OpenAI in mid-April. SoftBank's contribution "
            "could be cut to $20 billion if OpenAI does not restructure into a for-profit entity by year-end.")
    cut = next(c for c in extractor.extract(text, "en") if c.value_low == 20e9)
    assert cut.metric == "investment"  # carried from the sentence before, not "other"


def test_figure_in_brackets_after_a_name_is_that_names(extractor: ClaimExtractor) -> None:
    text = ("Nvidia est valorisée près de 4 400 milliards de dollars, devant Microsoft (3 800 milliards) "
            "et Apple (3 400 milliards).")
    got = {(c.subject, c.metric, c.value_low) for c in extractor.extract(text, "fr")}
    assert ("Microsoft", "valuation", 3.8e12) in got
    assert ("Apple", "valuation", 3.4e12) in got


def test_powerful_ai_is_an_agi_cue(extractor: ClaimExtractor) -> None:
    text = '"I think powerful AI could arrive in 2026 or 2027," Dario Amodei said.'
    claim = _one(extractor.extract(text, "en", published=datetime.date(2025, 9, 5)), "agi_date")
    assert (claim.subject, claim.speaker) == ("AGI", "Dario Amodei")
    assert claim.value_high == 2027
    # … but a powerful AI facility, data center or chip is hardware, and "the most powerful AI" a superlative
    text = ("Superintelligence is near, Altman said. The campus, touted as the world’s most powerful AI facility, "
            "is set to go online in 2026.")
    assert [c for c in extractor.extract(text, "en", published=datetime.date(2025, 9, 5)) if c.metric == "agi_date"] == []
    text = "Stargate will build powerful AI data centers by 2026."
    assert [c for c in extractor.extract(text, "en", published=datetime.date(2025, 9, 5)) if c.metric == "agi_date"] == []


def test_figure_alone_on_its_line_is_explained_by_the_next(extractor: ClaimExtractor) -> None:
    text = ("L'IA en dix chiffres\n\n1. 500 milliards de dollars\nC'est le montant que le projet Stargate "
            "prévoit d'investir aux États-Unis d'ici 2029.\n\n2. 13 milliards de dollars\nLe chiffre "
            "d'affaires annualisé qu'OpenAI espère atteindre cette année.\n")
    got = [(c.subject, c.metric, c.value_low) for c in extractor.extract(text, "fr", published=datetime.date(2025, 9, 20))]
    assert got == [("Stargate", "investment", 500e9), ("OpenAI", "revenue", 13e9)]


def test_total_over_several_companies_has_no_subject(extractor: ClaimExtractor) -> None:
    text = ("Microsoft, Alphabet, Amazon et Meta devraient dépenser ensemble plus de 350 milliards de dollars "
            "en investissements cette année. Meta prévoit à lui seul 66 à 72 milliards de dollars.")
    claims = extractor.extract(text, "fr", published=datetime.date(2025, 8, 28))
    assert [(c.subject, c.value_low, c.value_high) for c in claims] == [(None, 350e9, None), ("Meta", 66e9, 72e9)]


def test_money_put_into_something_is_an_investment(extractor: ClaimExtractor) -> None:
    text = ("Microsoft, which has put nearly $14 billion into OpenAI, is entitled to 20 percent of its revenue. "
            "Bpifrance promet de mettre 10 milliards d'euros dans l'IA d'ici 2029.")
    got = {(c.subject, c.metric, c.value_low) for c in extractor.extract(text.split(". ")[0] + ".", "en")}
    assert got == {("Microsoft", "investment", 14e9)}
    fr = _one(extractor.extract(text.split(". ")[1], "fr"), "investment")
    assert (fr.value_low, fr.unit, fr.is_plan) == (10e9, "EUR", True)


def test_a_machine_s_speed_in_flops_is_a_figure(extractor: ClaimExtractor) -> None:
    """« 125,9 pétaflops », "2.4 ZettaFLOPS": operations per second, scaled by the prefix."""
    en = "Oracle will build a supercluster of 131,072 GPUs delivering 2.4 ZettaFLOPS."
    got = {(c.subject, c.metric, c.value_low, c.unit) for c in extractor.extract(en, "en")}
    assert ("Oracle", "other", 2.4e21, "FLOP/s") in got
    fr = "Le supercalculateur du CNRS atteint une capacité de 125,9 pétaflops."
    got = {(c.subject, c.metric, c.value_low, c.unit) for c in extractor.extract(fr, "fr")}
    assert got == {("CNRS", "other", 1.259e17, "FLOP/s")}


def test_a_name_ends_at_its_possessive(extractor: ClaimExtractor) -> None:
    text = "The deal with CoreWeave is expected to reduce Core Scientific's debt to $1.1 billion."
    assert [c.subject for c in extractor.extract(text, "en")] == ["Core Scientific"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Collectively, the four companies plan to spend $380 billion in 2025 on AI infrastructure.", "en"),
    ("The combined capex of these companies hit $89 billion in the second quarter.", "en"),
    ("Ces quatre géants prévoient de dépenser ensemble 380 milliards de dollars en 2025.", "fr"),
    ("Amazon, Microsoft, Alphabet et Meta prévoient collectivement 360 milliards de dollars de dépenses.", "fr"),
])
def test_a_total_of_a_named_group_belongs_to_none_of_them(extractor: ClaimExtractor, text: str, lang: str) -> None:
    claims = extractor.extract(text, lang, published=datetime.date(2025, 8, 1))
    assert [c.subject for c in claims] == [None]


def test_each_of_several_names_has_the_figure(extractor: ClaimExtractor) -> None:
    """"A and B each …" gives the figure to every one of them; a plain "A and B" keeps one line,
    and a source named before them ("According to Bloomberg, …") is not one of them."""
    en = "According to Bloomberg, GIC and Coatue each intend to contribute an initial $1.5 billion."
    assert {c.subject for c in extractor.extract(en, "en")} == {"GIC", "Coatue"}
    fr = "Google, Microsoft et Amazon ont chacun investi 4 milliards de dollars dans Anthropic."
    assert {c.subject for c in extractor.extract(fr, "fr")} == {"Google", "Microsoft", "Amazon"}
    joint = "Microsoft and Nvidia invested $15 billion in Anthropic."
    assert [c.subject for c in extractor.extract(joint, "en")] == ["Microsoft"]
    # … also where the scorer would rather file the figure under the article's topic
    topic = ("Anthropic is in talks to raise $25 billion, the Financial Times reported. Anthropic would be valued "
             "at $350 billion. According to Bloomberg, GIC and Koto each intend to contribute an initial $1.5 billion.")
    got = extractor.extract(topic, "en", title="Anthropic is chasing $350 billion")
    assert {c.subject for c in got if c.value_low == 1.5e9} == {"GIC", "Koto"}


def test_bare_billions_of_dollars_give_no_figure(extractor: ClaimExtractor) -> None:
    """« des milliards de dollars » and "billions of dollars" say no amount; "tens of billions"
    and « plusieurs milliards » still bound one."""
    assert extractor.extract("Meta investit des milliards de dollars dans ses centres de données.", "fr") == []
    assert extractor.extract("Meta is spending billions of dollars on data centers.", "en") == []
    fr = extractor.extract("Meta investit plusieurs milliards de dollars dans ses centres de données.", "fr")
    assert [(c.value_low, c.value_high, c.hedge) for c in fr] == [(1e9, 1e10, "vague")]
    en = extractor.extract("Meta is spending tens of billions of dollars on data centers.", "en")
    assert [(c.value_low, c.value_high) for c in en] == [(1e10, 1e11)]


@pytest.mark.parametrize(("text", "lang"), [
    ("The first phase, powered by Nvidia’s Vera Rubin platform, is expected to go live in the second half of 2026.", "en"),
    ("La première phase sera opérationnelle au second semestre 2026 et utilisera les puces de la nouvelle "
     "plateforme Vera Rubin de Nvidia.", "fr"),
])
def test_the_platform_a_site_runs_on_is_not_what_goes_live(extractor: ClaimExtractor, text: str, lang: str) -> None:
    claims = extractor.extract(text, lang, published=datetime.date(2025, 9, 22))
    assert not [c for c in claims if c.metric == "release_date" and c.subject == "Vera Rubin"]
    assert [c.subject for c in extractor.extract("GPT-5 sortira en 2026.", "fr", published=datetime.date(2025, 9, 22))] \
        == ["GPT-5"]


@pytest.mark.parametrize(("text", "lang", "subject"), [
    ("Mistral AI grandit vite. La start-up, soutenue par Microsoft, est désormais valorisée 11,7 milliards d'euros.",
     "fr", "Mistral AI"),
    ("Anthropic is growing fast. The Amazon-backed company is now valued at $61.5 billion.", "en", "Anthropic"),
])
def test_a_backer_is_not_what_the_figure_is_about(extractor: ClaimExtractor, text: str, lang: str,
                                                  subject: str) -> None:
    """« soutenue par Microsoft », "Amazon-backed": the backer's own investment is its, nothing else."""
    claims = extractor.extract(text, lang, published=datetime.date(2025, 6, 1))
    assert [(c.metric, c.subject) for c in claims] == [("valuation", subject)]
    invest = extractor.extract("OpenAI, backed by Microsoft, which invested $13 billion, is growing.", "en")
    assert [(c.metric, c.subject) for c in invest] == [("investment", "Microsoft")]


def test_as_early_as_next_year_is_a_floor_and_or_less_away_a_ceiling(extractor: ClaimExtractor) -> None:
    """"by as early as next year" bounds the forecast from below; "20 years or less away" from above."""
    pub = datetime.date(2024, 4, 9)
    musk = "Musk forecast that artificial general intelligence will surpass the smartest humans by as early as next year."
    claim = _one(extractor.extract(musk, "en", published=pub), "agi_date")
    assert (claim.value_low, claim.value_high, claim.hedge) == (2025, None, "at_least")
    hinton = "Hinton now thinks AGI could be 20 years or less away."
    claim = _one(extractor.extract(hinton, "en", published=pub), "agi_date")
    assert (claim.value_low, claim.value_high, claim.hedge) == (None, 2044, "at_most")


def test_compute_written_in_e_notation_is_read(extractor: ClaimExtractor) -> None:
    """"between 1e25 and 1e26 FLOPS": a range of operations (FLOPS loosely written for FLOP)."""
    claims = extractor.extract("Estimates suggest that training GPT-4 required between 1e25 and 1e26 FLOPS.", "en")
    assert [(c.subject, c.value_low, c.value_high, c.unit) for c in claims] == [("GPT-4", 1e25, 1e26, "FLOP")]
    assert extractor.extract("The error code 1e3 appeared.", "en") == []


def test_a_stake_is_no_fall(extractor: ClaimExtractor) -> None:
    """« participation » is no fall word (« partis en fumée » is): the stake's value stays positive."""
    text = "Dans le cadre du nouvel accord, Microsoft détiendra une participation de 135 milliards de dollars dans OpenAI."
    claim = _one(extractor.extract(text, "fr"), "investment")
    assert (claim.subject, claim.value_low) == ("Microsoft", 135e9)
    fell = "La capitalisation de Nvidia a perdu 589 milliards de dollars, partis en fumée en une séance."
    assert _one(extractor.extract(fell, "fr"), "market_value_change").value_low == -589e9


def test_a_cost_apposed_to_a_model_is_that_models(extractor: ClaimExtractor) -> None:
    text = ("Training AI models like Google’s Gemini Ultra, costing $191 million, and OpenAI’s GPT-4, costing "
            "$78.4 million, is becoming increasingly expensive.")
    assert [(c.subject, c.value_low) for c in extractor.extract(text, "en")] == [("Gemini Ultra", 191e6), ("GPT-4", 78.4e6)]


def test_a_pronoun_does_not_stand_for_a_name_said_in_passing(extractor: ClaimExtractor) -> None:
    """« La start-up, créée par d'anciens salariés de Google et de Meta, assure qu'elle … »: « elle »
    is the start-up the article is about, not the last company named in the aside."""
    text = ("Mistral AI a été fondée en 2023. La start-up française, créée par d'anciens salariés de Google et de Meta, "
            "assure qu'elle vient d'engranger 600 millions d'euros de financement supplémentaire.")
    assert [c.subject for c in extractor.extract(text, "fr", published=datetime.date(2024, 6, 11))] == ["Mistral AI"]


def test_a_markets_total_spending_is_no_ones(extractor: ClaimExtractor) -> None:
    text = "Bank of America now sees global hyperscale spending rising 67% in 2025, with total outlays climbing to $611 billion."
    assert [(c.subject, c.value_low) for c in extractor.extract(text, "en", published=datetime.date(2025, 6, 1))] \
        == [(None, 611e9)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Selon lui, d'ici 2026, l'IA atteindra l'intelligence collective équivalente à « un pays de génies ».", "fr"),
    ("He said that by 2026 AI could be like a country of geniuses in a datacenter.", "en"),
])
def test_a_country_of_geniuses_is_an_agi_cue(extractor: ClaimExtractor, text: str, lang: str) -> None:
    claim = _one(extractor.extract(text, lang, published=datetime.date(2025, 1, 20)), "agi_date")
    assert (claim.value_low, claim.value_high) == (None, 2026)


def test_with_no_name_in_the_sentence_the_scorer_weighs_the_carried_topic_against_the_context(
        extractor: ClaimExtractor) -> None:
    """The carried topic is the rules' pick; the main organisation and the last ones named stand
    against it, so the scorer decides (and the choice is traced for training)."""
    text = ("OpenAI raised $6.6 billion from investors. OpenAI is preparing new models. Microsoft, its largest "
            "backer, took part in the round. The valuation now stands at $157 billion.")
    traces = extractor.trace_subjects([(text, "en", datetime.date(2024, 10, 2))])[0]
    carried = [t for t in traces if t.low == 157e9]
    assert len(carried) == 1
    assert [(c.name, c.source, c.rule) for c in carried[0].candidates] == [("Microsoft", "carried", 0.0),
                                                                         ("OpenAI", "carried", 1.0)]
    rules_only = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml", subject_model=None)
    assert _one(rules_only.extract(text, "en"), "valuation").subject == "Microsoft"


@pytest.mark.parametrize(("text", "lang", "subject"), [
    ("Lightspeed Venture Partners led the $100 million Series B in Mistral AI.", "en", "Mistral AI"),
    ("SoftBank will lead a $40 billion funding round for OpenAI, according to CNBC.", "en", "OpenAI"),
])
def test_the_round_in_or_for_a_company_is_its_funding(extractor: ClaimExtractor, text: str, lang: str,
                                                       subject: str) -> None:
    assert [(c.metric, c.subject) for c in extractor.extract(text, lang)] == [("funding", subject)]


def test_every_investor_after_aupres_de_is_a_source_of_funds(extractor: ClaimExtractor) -> None:
    """« auprès de General Catalyst et de Lightspeed »: neither is who raised the money."""
    text = "Le tour de table, mené par Nvidia, a permis de lever 600 millions d'euros auprès de General Catalyst et de Lightspeed."
    assert [c.subject for c in extractor.extract(text, "fr")] == []
    assert [c.subject for c in extractor.extract("Revenue grew from $1 billion, and OpenAI now expects $12.7 billion.",
                                                 "en")] == ["OpenAI", "OpenAI"]


def test_a_total_over_a_unit_price_is_a_cost_whatever_the_model_leans_to(extractor: ClaimExtractor) -> None:
    """No unit price is above $10 million: the metric model's weight on "price" for such a figure
    counts for "cost", as the rules' own conversion does."""
    text = "Meta veut 350 000 puces H100. À 30 000 dollars l'unité, ces 350 000 puces représenteraient 10,5 milliards de dollars."
    claims = extractor.extract(text, "fr", published=datetime.date(2025, 4, 2))
    assert [(c.metric, c.value_low) for c in claims if c.value_low == 10.5e9] == [("cost", 10.5e9)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Anthropic signe avec Google. La demande explose : son rival OpenAI a conclu des accords dépassant "
     "1 milliard de dollars pour des puces.", "fr"),
    ("Anthropic signed with Google. Its rival OpenAI has signed deals worth more than $1 billion for chips.", "en"),
])
def test_a_rival_who_is_the_clause_subject_is_the_figure_s_subject(extractor: ClaimExtractor, text: str,
                                                                    lang: str) -> None:
    """A name after "rival" is compared with the subject, except when it is the subject of the
    figure's own clause."""
    assert [(c.metric, c.subject) for c in extractor.extract(text, lang)] == [("investment", "OpenAI")]


@pytest.mark.parametrize(("text", "lang", "metric", "subject"), [
    ("Avec cette extension, Jean Zay compte désormais 1 456 GPU H100.", "fr", "gpu_count", "Jean Zay"),
    ("Microsoft's stake in Cursor is small; Cursor raised $900 million in June.", "en", "funding", "Cursor"),
    ("Kimi K2 has 1 trillion parameters.", "en", "parameter_count", "Kimi K2"),
])
def test_names_of_the_field_the_small_models_miss_come_from_the_entity_table(
        extractor: ClaimExtractor, text: str, lang: str, metric: str, subject: str) -> None:
    """A supercomputer named after a person, a product the press names as its company, a model."""
    assert [(c.metric, c.subject) for c in extractor.extract(text, lang)] == [(metric, subject)]


def test_a_bracketed_amount_after_a_one_word_name_the_ner_calls_a_person_is_that_name_s(
        extractor: ClaimExtractor) -> None:
    """The small models tag start-ups as persons ("Clio", "Firmus"): beside a bracketed amount
    such a name is the company, not the last organisation named."""
    text = ("Anysphere raised $2.3 billion in a round led by Accel. "
            "The top deals were Cursor ($2.3B), Clio ($500M) and Firmus ($325M).")
    subjects = [c.subject for c in extractor.extract(text, "en")]
    assert subjects[-3:] == ["Cursor", "Clio", "Firmus"]


def test_the_metric_model_reads_the_money_metric_the_article_leans_to(extractor: ClaimExtractor) -> None:
    """Feature ``art=<metric>``: the money metric of most of the article's claims so far, which
    reaches further back than the sentence before (``ctx=``)."""
    text = ("Anysphere raised $2.3 billion in new funding this week.\n\nHarvey raised $300 million from investors.\n\n"
            "The company said it expects to grow.\n\nElsewhere in the sector, Clio is worth $500 million.")
    features = [f for *_, f in extractor.trace_metrics([(text, "en", None)])[0]]
    assert features[-1].get("art=funding") == 1.0 and "ctx=funding" not in features[-1]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Dario Amodei prévoit l'émergence d'une AGI en 2027.", "Dario Amodei"),
    ("Masayoshi Son a affirmé que la superintelligence verra le jour dans 10 ans.", "Masayoshi Son"),
])
def test_a_forecaster_named_first_stays_in_the_forecast_s_sentence(
        extractor: ClaimExtractor, text: str, speaker: str) -> None:
    """The parser used to cut « Dario » off as a sentence of its own: the forecast lost its speaker."""
    claim = _one(extractor.extract(text, "fr", published=datetime.date(2024, 6, 1)), "agi_date")
    assert claim.speaker == speaker


@pytest.mark.parametrize(("text", "lang"), [
    ("Dario Amodei prévoit l'émergence de modèles capables d'atteindre un niveau Nobel, une AGI, dès 2026-2027.", "fr"),
    ("Musk expects AGI in 2026–2027.", "en"),
])
def test_two_years_joined_by_a_dash_are_one_forecast(extractor: ClaimExtractor, text: str, lang: str) -> None:
    claims = [c for c in extractor.extract(text, lang, published=datetime.date(2025, 1, 20)) if c.metric == "agi_date"]
    assert [(c.value_low, c.value_high, c.hedge) for c in claims] == [(2026, 2027, "range")]


@pytest.mark.parametrize(("text", "lang", "high"), [
    ("The respondents also predicted a 50% chance of High-Level Machine Intelligence (HLMI) by 2047.", "en", 2047),
    ("Leur scénario prévoit l’arrivée d’une intelligence générale artificielle d’ici deux ans.", "fr", 2026),
])
def test_survey_and_word_order_names_of_agi_are_agi_cues(
        extractor: ClaimExtractor, text: str, lang: str, high: int) -> None:
    claim = _one(extractor.extract(text, lang, published=datetime.date(2024, 6, 1)), "agi_date")
    assert (claim.value_low, claim.value_high) == (None, high)


@pytest.mark.parametrize(("text", "lang", "year"), [
    ("Some researchers think machines could be as smart as humans in 2031.", "en", 2031),
    ("Selon lui, les machines seront aussi intelligentes que les humains en 2031.", "fr", 2031),
])
def test_as_smart_as_humans_is_an_agi_cue(extractor: ClaimExtractor, text: str, lang: str, year: int) -> None:
    claim = _one(extractor.extract(text, lang, published=datetime.date(2024, 6, 1)), "agi_date")
    assert (claim.value_low, claim.value_high) == (year, year)


def test_a_list_s_header_names_the_metric_of_its_items() -> None:
    """ "Big Tech's capital expenditure for 2025:" then "- Meta: $60 billion …": the items are
    capital spending, though no item says so (a rule: read without the metric model)."""
    extractor = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml", metric_model=None)
    text = ("Nvidia shed $589 billion in market value on Monday.\n\n"
            "The sell-off did not dent spending plans. Big Tech's capital expenditure for 2025, as the companies gave it:\n"
            "- Meta: $60 billion to $65 billion\n- Microsoft: $80 billion\n- Amazon: more than $100 billion\n")
    claims = extractor.extract(text, "en", published=datetime.date(2025, 1, 28))
    assert [(c.subject, c.metric) for c in claims if c.subject in ("Meta", "Microsoft", "Amazon")] == [
        ("Meta", "investment"), ("Microsoft", "investment"), ("Amazon", "investment")]


@pytest.mark.parametrize(("text", "lang", "bounds"), [
    ("L'investissement, pouvant atteindre 100 milliards de dollars, sera échelonné pour Nvidia.", "fr", (None, 100e9)),
    ("Nvidia est valorisée au-dessus des 1 000 milliards de dollars en bourse.", "fr", (1000e9, None)),
    ("The plunge pushed Nvidia's market capitalization below the $3 trillion mark.", "en", (None, 3e12)),
])
def test_bounds_written_as_a_ceiling_or_a_floor(extractor: ClaimExtractor, text: str, lang: str, bounds: tuple) -> None:
    claim = extractor.extract(text, lang)[0]
    assert (claim.value_low, claim.value_high) == bounds


@pytest.mark.parametrize(("text", "lang"), [
    ("L'investissement de Nvidia dans OpenAI, pouvant atteindre 100 milliards de dollars, sera échelonné.", "fr"),
    ("Nvidia's investment in OpenAI, worth up to $100 billion, will be staggered.", "en"),
])
def test_the_name_after_an_investment_s_in_is_invested_in(extractor: ClaimExtractor, text: str, lang: str) -> None:
    assert [(c.metric, c.subject) for c in extractor.extract(text, lang)] == [("investment", "Nvidia")]
