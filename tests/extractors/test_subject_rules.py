"""Subject and metric rules read off real pages, each on a sentence of our own."""

from __future__ import annotations

import datetime

import pytest

from config.errors import ExtractionError
from config.settings import CONFIG_DIR, NlpSettings
from extractors.claims import Claim, ClaimExtractor
from extractors.ranker import Scorer
from extractors.subject import NO_ONE

_DAY = datetime.date(2025, 6, 1)


def _got(extractor: ClaimExtractor, text: str, lang: str) -> list[tuple[str | None, str, float | None]]:
    return [(c.subject, c.metric, c.value_low) for c in extractor.extract(text, lang, published=_DAY)]


def _releases(extractor: ClaimExtractor, text: str, lang: str) -> list[tuple[str | None, float | None]]:
    return [(c.subject, c.value_low) for c in extractor.extract(text, lang, published=_DAY) if c.metric == "release_date"]


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


def test_a_net_loss_is_a_negative_figure(extractor: ClaimExtractor) -> None:
    text = "xAI reported a net loss of $120 million in 2024, up from $80 million the year before."
    got = [(c.metric, c.value_low) for c in extractor.extract(text, "en", published=_DAY)]
    assert got == [("other", -120e6), ("other", -80e6)]
    en = "Mistral AI expects $300 million in losses this year."
    assert [(c.metric, c.value_low) for c in extractor.extract(en, "en", published=_DAY)] == [("other", -300e6)]


def test_losing_money_with_no_market_word_is_the_company_s_loss(extractor: ClaimExtractor) -> None:
    loss = _one(extractor.extract("Anthropic devrait perdre trois milliards de dollars cette année.", "fr",
                                  published=_DAY), "other")
    assert (loss.subject, loss.value_low, loss.value_high) == ("Anthropic", -3e9, -3e9)
    market = "Oracle a perdu 80 milliards de dollars de capitalisation en une séance."
    move = _one(extractor.extract(market, "fr", published=_DAY), "market_value_change")
    assert move.value_low == -80e9


def test_rivals_named_for_comparison_are_not_the_subject(extractor: ClaimExtractor) -> None:
    en = ("Meta released Llama 3.1. The 405 billion-parameter model competes against flagships like "
          "Claude 3.5 Sonnet and GPT-4o.")
    assert _one(extractor.extract(en, "en", published=_DAY), "parameter_count").subject == "Llama 3.1"
    fr = ("Mistral AI n'aurait dépensé que 20 millions d'euros pour développer des modèles capables de "
          "concurrencer ceux de géants comme Meta et Google.")
    assert _got(extractor, fr, "fr") == [("Mistral AI", "cost", 20e6)]


def test_the_worth_of_a_deal_is_no_valuation(extractor: ClaimExtractor) -> None:
    fr = "Nvidia a annoncé un achat d'une valeur de 2 milliards de dollars."
    assert _got(extractor, fr, "fr") == [("Nvidia", "investment", 2e9)]
    en = "Meta agreed to buy $10 billion worth of computing capacity from Google over six years."
    assert _got(extractor, en, "en") == [("Meta", "cost", 10e9)]


def test_its_model_is_the_model_last_named(extractor: ClaimExtractor) -> None:
    en = ("OpenAI's o1 model impressed the testers. Running the benchmark, OpenAI incurred a cost of "
          "$300,000 for its high-compute model.")
    assert _one(extractor.extract(en, "en", published=_DAY), "cost").subject == "o1"
    fr = ("Google a présenté Gemini Ultra en décembre. Google a dépensé 50 millions de dollars pour faire "
          "tourner son nouveau modèle sur le test.")
    assert _one(extractor.extract(fr, "fr", published=_DAY), "cost").subject == "Gemini Ultra"


def test_a_figure_set_beside_a_name_is_that_name_s(extractor: ClaimExtractor) -> None:
    fr = "Nvidia devance ses rivaux : Microsoft, valorisé à 3 500 milliards de dollars, et Apple, à 3 100 milliards."
    got = [(c.subject, c.value_low) for c in extractor.extract(fr, "fr", published=_DAY) if c.metric == "valuation"]
    assert got == [("Microsoft", 3500e9), ("Apple", 3100e9)]
    en = "Its rivals include Anthropic, valued at $61 billion, and Mistral AI."
    assert _one(extractor.extract(en, "en", published=_DAY), "valuation").subject == "Anthropic"


def test_the_agent_named_after_a_round_raised_it(extractor: ClaimExtractor) -> None:
    fr = ("Mistral AI lève 600 millions d'euros. Cette nouvelle injection de capitaux dans Mistral AI intervient "
          "un mois après la levée de 4 milliards de dollars par Anthropic, à laquelle Amazon a participé.")
    assert _got(extractor, fr, "fr") == [("Mistral AI", "funding", 600e6), ("Anthropic", "funding", 4e9)]
    en = ("Mistral AI raised $640 million. The new money for Mistral AI comes weeks after the $4 billion "
          "raised by Anthropic in a round Amazon joined.")
    assert _got(extractor, en, "en") == [("Mistral AI", "funding", 640e6), ("Anthropic", "funding", 4e9)]


def test_a_person_who_presents_a_project_does_not_own_its_figures(extractor: ClaimExtractor) -> None:
    text = ("Mistral AI construit un centre de données près de Paris avec Mistral AI Compute. Le projet a été "
            "présenté hier par Jean Martin. L'installation alimentera 18 000 processeurs d'ici 2026.")
    assert _one(extractor.extract(text, "fr", published=_DAY), "gpu_count").subject == "Mistral AI"


def test_a_possessive_name_is_no_partner(extractor: ClaimExtractor) -> None:
    text = ("xAI is raising more money. A person familiar with Mistral AI's annualized revenue said that "
            "this figure recently reached $300 million.")
    assert _one(extractor.extract(text, "en", published=_DAY), "revenue").subject == "Mistral AI"


def test_members_listed_after_a_venture_are_its_partners(extractor: ClaimExtractor) -> None:
    en = ("Backers of Stargate, including OpenAI, Oracle and SoftBank, have pledged to invest up to "
          "$500 billion in AI infrastructure.")
    assert _one(extractor.extract(en, "en", published=_DAY), "investment").subject == "Stargate"
    fr = ("Les partenaires de Stargate, dont OpenAI, Oracle et SoftBank, veulent investir 500 milliards "
          "de dollars dans les infrastructures.")
    assert _one(extractor.extract(fr, "fr", published=_DAY), "investment").subject == "Stargate"


def test_a_rack_holds_its_gpus(extractor: ClaimExtractor) -> None:
    en = "Microsoft's new site in Wisconsin is built from racks. Each GB300 rack contains 72 GPUs."
    assert _one(extractor.extract(en, "en", published=_DAY), "gpu_count").subject == "GB300"
    fr = "Microsoft construit Fairwater avec des baies GB200 NVL72, qui regroupent chacune 72 GPU Blackwell."
    assert _one(extractor.extract(fr, "fr", published=_DAY), "gpu_count").subject == "GB200 NVL72"


def test_revenue_for_a_name_is_that_name_s(extractor: ClaimExtractor) -> None:
    en = ('"Our partnership with OpenAI is expected to deliver tens of billions of dollars in revenue for '
          "Broadcom while accelerating OpenAI's buildout,\" said Broadcom's CFO.")
    assert _one(extractor.extract(en, "en", published=_DAY), "revenue").subject == "Broadcom"
    fr = ("OpenAI a signé avec Broadcom. Pour OpenAI, l'accord devrait rapporter 5 milliards de dollars de "
          "revenus pour Broadcom tout en accélérant les projets d'OpenAI.")
    assert _one(extractor.extract(fr, "fr", published=_DAY), "revenue").subject == "Broadcom"


def test_a_company_named_with_its_suffix_is_a_subject_the_table_lacks(extractor: ClaimExtractor) -> None:
    """"Moonshot AI", "Scale AI" are in no table and the small NER models miss them; "Meta AI"
    stays Meta's, "Generative AI" is no company, and a title-case headline makes no names."""
    text = "Alibaba led a $1 billion funding round in Moonshot AI, valuing the startup at $2.5 billion."
    assert {(c.subject, c.metric) for c in extractor.extract(text, "en", published=_DAY)} == {
        ("Moonshot AI", "funding"), ("Moonshot AI", "valuation")}
    text = "Scale AI said it had raised $1 billion in a round led by Accel."
    assert _one(extractor.extract(text, "en", published=_DAY), "funding").subject == "Scale AI"
    text = "Meta AI now reaches 1 billion users, and Meta spent $40 billion on capex. Generative AI startups raised $50 billion."
    assert {c.subject for c in extractor.extract(text, "en", published=_DAY)} <= {"Meta", None}
    headline = "Startup Lands $100 Million For Generative AI Chips As Rivals Grow\n\nThe money came from Accel."
    assert all(c.subject != "For Generative AI" for c in extractor.extract(headline, "en", published=_DAY))
    text = "Meta used 16,384 H100 GPUs on its Grand Teton AI server platform; a 1 GW AI datacenter costs $35 billion."
    assert {c.subject for c in extractor.extract(text, "en", published=_DAY)} <= {"Meta", None}


def test_an_investment_from_someone_is_the_receivers_funding(extractor: ClaimExtractor) -> None:
    en = "OpenAI is poised to reveal a new $40 billion investment from SoftBank."
    assert _got(extractor, en, "en") == [("OpenAI", "funding", 40e9)]
    fr = "OpenAI recevra 40 milliards de dollars de la part de SoftBank."
    assert _got(extractor, fr, "fr") == [("OpenAI", "funding", 40e9)]
    assert _got(extractor, "SoftBank made a $40 billion investment in OpenAI.", "en") == [
        ("SoftBank", "investment", 40e9)]


def test_a_company_named_in_full_once_is_the_one_its_first_word_names(extractor: ClaimExtractor) -> None:
    text = ("Lila Sciences raised $200 million in March. "
            "Lila said on Tuesday it had raised $235 million more, valuing it at $1.3 billion.")
    assert {c.subject for c in extractor.extract(text, "en", published=_DAY)} == {"Lila Sciences"}


def test_a_clause_tagged_as_a_name_is_no_subject(extractor: ClaimExtractor) -> None:
    text = ("Scale AI said it raised $1 billion. Early backers of Scale included Coatue, Tiger Global Management "
            "and Index Ventures. In 2021, it had raised $325 million in a series E funding round.")
    assert {c.subject for c in extractor.extract(text, "en", published=_DAY)} == {"Scale AI"}


def test_an_agi_horizon_with_a_floor_is_no_sooner_than_it(extractor: ClaimExtractor) -> None:
    def dates(text: str, lang: str) -> list[tuple[float | None, float | None, str | None, str]]:
        return [(c.value_low, c.value_high, c.hedge, c.modality) for c in extractor.extract(text, lang, published=_DAY)
                if c.metric == "agi_date"]

    assert dates("LeCun says AGI is at least a decade away.", "en") == [(2035.0, None, "at_least", "plan")]
    assert dates("AGI will not happen for another ten years, he said.", "en") == [(2035.0, None, "at_least", "plan")]
    assert dates("Pour Yann LeCun, l'AGI n'arrivera pas avant une décennie au moins.", "fr") == [
        (2035.0, None, "at_least", "plan")]
    assert dates("L'AGI arrivera dans plus de vingt ans, selon lui.", "fr") == [(2045.0, None, "at_least", "plan")]
    # how long someone has held a view is no horizon
    assert dates("Legg has for more than a decade put a 50% chance of AGI by 2028.", "en") == [
        (None, 2028.0, "at_most", "plan")]


def test_agi_horizons_named_by_decade(extractor: ClaimExtractor) -> None:
    def dates(text: str, lang: str) -> list[tuple[float | None, float | None, str | None]]:
        return [(c.value_low, c.value_high, c.hedge) for c in extractor.extract(text, lang, published=_DAY)
                if c.metric == "agi_date"]

    assert dates("Hassabis expects AGI within the next decade.", "en") == [(None, 2035.0, "at_most")]
    assert dates("Many researchers expect AGI in the 2030s.", "en") == [(2030.0, 2039.0, "range")]
    assert dates("AGI is likely in the early 2030s, the survey found.", "en") == [(2030.0, 2033.0, "range")]
    assert dates("Les chercheurs attendent l'AGI dans les années 2030.", "fr") == [(2030.0, 2039.0, "range")]
    assert dates("Une IA générale pourrait émerger au cours de la prochaine décennie, estime Hassabis.", "fr") == [
        (None, 2035.0, "at_most")]
    # a bare "in" (« dans ») dates the horizon itself; "within" (« d'ici ») sets a deadline
    assert dates("Son said ASI would arrive in 10 years.", "en") == [(2035.0, 2035.0, None)]
    assert dates("LeCun believes we will reach superintelligence in a decade.", "en") == [(2035.0, 2035.0, None)]
    assert dates("Selon lui, l'AGI arrivera dans dix ans.", "fr") == [(2035.0, 2035.0, None)]
    assert dates("Jensen Huang estime que l'IAG sera là dans cinq ans.", "fr") == [(2030.0, 2030.0, None)]
    assert dates("Hassabis said AGI could arrive within a decade.", "en") == [(None, 2035.0, "at_most")]
    assert dates("Pour Hassabis, l'AGI pourrait voir le jour d'ici dix ans.", "fr") == [(None, 2035.0, "at_most")]
    assert dates("Vers une intelligence artificielle générale dans la décennie ?", "fr") == [(None, 2029.0, "at_most")]
    # a forecast kept is a forecast: « sa chronologie de 2029 », "his 2029 timeline"
    assert dates("Ray Kurzweil parle de l'AGI depuis des années. Malgré les récentes avancées, Kurzweil maintient "
                 "sa chronologie de 2029.", "fr") == [(2029.0, 2029.0, None)]
    # a negated one is a deadline again ("not in two years": at the latest, no sooner)
    assert dates("AGI is not going to happen in two years, LeCun said.", "en") == [(None, 2027.0, "at_most")]


def test_agi_horizons_in_context_and_in_other_words(extractor: ClaimExtractor) -> None:
    def dates(text: str, lang: str) -> list[tuple[float | None, float | None, str | None]]:
        return [(c.value_low, c.value_high, c.hedge) for c in extractor.extract(text, lang, published=_DAY)
                if c.metric == "agi_date"]

    assert dates("LeCun has said that AGI is achievable in a 10-year timeframe.", "en") == [(None, 2035.0, "at_most")]
    assert dates("L'AGI est atteignable à un horizon de dix ans, selon LeCun.", "fr") == [(None, 2035.0, "at_most")]
    assert dates("Kurzweil says we will reach the singularity by 2045.", "en") == [(None, 2045.0, "at_most")]
    # the sentence after the one naming AGI goes on with the forecast
    assert dates("Amodei was asked about AGI. \u201cIt could also not happen for another 100 years.\u201d", "en") == [
        (2125.0, None, "at_least")]
    assert dates("Hassabis parle de l'AGI. Il évoque une fourchette de cinq à dix ans.", "fr") == [
        (2030.0, 2035.0, "range")]
    # ... unless the horizon is another figure's
    assert dates("Musk talked about AGI. He expects xAI to have 50 million H100 GPUs within five years.", "en") == []


def test_a_training_runs_cost_is_the_models_not_its_makers(extractor: ClaimExtractor) -> None:
    text = "To train its Gemini 1.0 Ultra model, Google reportedly spent $191 million."
    assert _got(extractor, text, "en") == [("Gemini 1.0 Ultra", "cost", 191e6)]
    fr = "Pour entraîner Llama 3.1, Meta a dépensé plus de 60 millions de dollars."
    assert _got(extractor, fr, "fr") == [("Llama 3.1", "cost", 60e6)]


def test_a_sectors_total_belongs_to_no_one_and_a_source_is_no_subject(extractor: ClaimExtractor) -> None:
    text = ("Scale AI raised $1 billion last year. AI startups raised $19.15 billion in venture capital funding "
            "in the first quarter, according to data from PitchBook.")
    assert _got(extractor, text, "en") == [("Scale AI", "funding", 1e9), (None, "funding", 19.15e9)]
    fr = "Selon les données de Dealroom, les jeunes pousses françaises ont levé 2 milliards d'euros au premier semestre."
    assert _got(extractor, fr, "fr") == [(None, "funding", 2e9)]
    # a company that raised is still the subject, with the source named
    one = "Mistral AI raised $640 million, according to data from PitchBook."
    assert _got(extractor, one, "en") == [("Mistral AI", "funding", 640e6)]


def test_a_year_past_or_a_dated_day_is_no_agi_forecast(extractor: ClaimExtractor) -> None:
    def dates(text: str, lang: str) -> list[tuple[float | None, float | None]]:
        return [(c.value_low, c.value_high) for c in extractor.extract(text, lang, published=_DAY)
                if c.metric == "agi_date"]

    assert dates("Founded in 2023, Lila aims to build scientific superintelligence.", "en") == []
    assert dates("Lors d'une interview (CBS, 20 avril 2025), il a affirmé que l'AGI pourrait arriver entre 2030 et 2035.",
                 "fr") == [(2030.0, 2035.0)]
    assert dates("Musk said AGI could arrive in 2025.", "en") == [(2025.0, 2025.0)]
    assert dates("Altman talked about AGI. OpenAI projects $100 billion in revenue by 2028.", "en") == []
    # the year of a figure the sentence names AGI beside is that figure's, not a forecast
    assert dates("Meta expects to spend $65 billion on data centers in 2025, in pursuit of what Zuckerberg "
                 "calls superintelligence.", "en") == []
    assert dates("Meta prévoit de dépenser 65 milliards de dollars dans les centres de données en 2026, à la "
                 "poursuite de la superintelligence.", "fr") == []
    # a chance is no such figure: "a 50% chance of AGI by 2047"
    assert dates("Experts see a 50% chance of superintelligence by 2047.", "en") == [(None, 2047.0)]
    # a source and year in brackets cite the saying
    assert dates("Il a affirmé que l’AGI pourrait devenir une réalité entre 2030 et 2035 [CBS, 2025].", "fr") \
        == [(2030.0, 2035.0)]
    assert dates("Hassabis expects AGI within five to ten years (Time, 2025).", "en") == [(2030.0, 2035.0)]
    # a company whose name holds an AGI word is no forecast of AGI
    assert dates("Safe Superintelligence will open a new lab in Tel Aviv in 2026.", "en") == []
    assert dates("Safe Superintelligence ouvrira un laboratoire à Tel-Aviv en 2026.", "fr") == []
    # a date inside an opening condition is no one's forecast, unless a forecaster's verb follows
    assert dates("If AGI does arrive by the end of the decade, the implications could be broad.", "en") == []
    assert dates("Si l'AGI arrive d'ici 2030, les conséquences seront immenses.", "fr") == []
    assert dates("If AGI arrives by 2030, as Altman expects, the implications could be broad.", "en") == [(None, 2030.0)]


def test_a_chip_or_a_site_has_a_release_date_too(extractor: ClaimExtractor) -> None:
    assert _releases(extractor, "Nvidia's Blackwell GPUs will ship before the end of 2025.", "en") == [("Blackwell", 2025.0)]
    assert _releases(extractor, "The first Stargate site will come online in the second half of 2026.", "en") == [
        ("Stargate", 2026.0)]
    assert _releases(extractor, "Le supercalculateur Alice Recoque sera mis en service en 2026.", "fr") == [("Alice Recoque", 2026.0)]
    # a bare year gone by is not a release to come
    assert _releases(extractor, "The 2021 lab will launch Claude 4 soon.", "en") == []


def test_each_release_date_goes_to_its_own_name(extractor: ClaimExtractor) -> None:
    # a date in brackets right after a model's name is its release, no cue needed; the
    # typographic hyphen (U+2011) of « GPT‑4 » names the model as "-" does
    assert _releases(extractor, "Après GPT\u20114 (mars 2023) et GPT-4o (mai 2024), cette itération va plus loin.", "fr") == [
        ("GPT-4", 2023.0), ("GPT-4o", 2024.0)]
    assert _releases(extractor, "Our picks: Claude 3 (2024) and Gemini 1.5 (2024).", "en") == [
        ("Claude 3", 2024.0), ("Gemini 1.5", 2024.0)]
    # a bracketed date after an organisation, or a bracket holding more than a date, is not one
    assert _releases(extractor, "Nvidia (2024) and OpenAI said they would work together.", "en") == []
    assert _releases(extractor, "GPT-4 (released to paying users in March 2023) is still sold.", "en") == [("GPT-4", 2023.0)]
    assert _releases(extractor, "Claude 3 (a model trained in 2023) came after Claude 2.", "en") == []
    # with two names and two dates, each date is paired in the parse
    assert _releases(extractor, "Mistral launched Mistral Large in 2024, while Meta plans to ship Llama 5 in 2026.", "en") == [
        ("Mistral Large", 2024.0), ("Llama 5", 2026.0)]


def test_a_release_verb_dates_a_named_model_it_takes(extractor: ClaimExtractor) -> None:
    # « publié », "unveiled" date a release only when what they take is a named model or chip
    assert _releases(extractor, "Alibaba a publié Qwen 2.5 le 19 septembre 2024, avec des poids ouverts.", "fr") == [("Qwen2.5", 2024.0)]
    assert _releases(extractor, "Google unveiled Gemini 2.0 in December 2024.", "en") == [("Gemini 2.0", 2024.0)]
    assert _releases(extractor, "Google a publié un rapport sur Gemini 2.0 en décembre 2024.", "fr") == []
    # a model named with its size is released as its family; "Mistral 7B" keeps its name
    assert _releases(extractor, "Meta a publié Llama 3.1 70B le 23 juillet 2024.", "fr") == [("Llama 3.1", 2024.0)]
    assert _releases(extractor, "OpenAI released gpt-oss-20b in August 2025.", "en") == [("gpt-oss", 2025.0)]
    assert _releases(extractor, "Mistral AI released Mistral 7B in September 2023.", "en") == [("Mistral 7B", 2023.0)]


def test_a_market_total_may_be_no_ones(extractor: ClaimExtractor) -> None:
    """An ambiguous choice between names in the sentence has a "no one" candidate, with what
    says a figure is a total of many; the rules never pick it, a scorer may, and its claim has
    no subject. A sentence that names no one keeps the carried topic: « À 30 000 dollars l'unité,
    la dépense atteindrait 1,5 milliard » is the article's company's bill, not no one's."""
    text = "Nvidia, AMD, Intel and Broadcom all sell AI chips; the global market for them will reach $400 billion in 2027."
    choice = next(c for c in extractor.trace_subjects([(text, "en", _DAY)])[0] if c.low == 400e9)
    none = next(c for c in choice.candidates if c.name == NO_ONE)
    assert none.rule > max(c.rule for c in choice.candidates if c.name != NO_ONE)
    assert {"none&aggregate", "none&many_names"} <= set(none.features)
    rules_only = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml", subject_model=None)
    assert [s for s, _, _ in _got(rules_only, text, "en")] == ["Nvidia"]
    leaning = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml", subject_model=Scorer({"none&aggregate": 20.0}))
    assert [(s, v) for s, _, v in _got(leaning, text, "en")] == [(None, 400e9)]
    carried = "DeepSeek a acheté 50 000 puces. À 30 000 dollars l'unité, la dépense atteindrait 1,5 milliard de dollars."
    assert [s for s, m, _ in _got(leaning, carried, "fr") if m == "cost"] == ["DeepSeek"]


def test_the_chipmaker_is_the_chip_maker_named_before(extractor: ClaimExtractor) -> None:
    """"The chipmaker", « le fabricant de puces » stand for the last chip maker the article named,
    not for whichever company the article is about."""
    en = ("OpenAI and Nvidia signed a letter of intent on Monday. "
          "The chipmaker announced plans to invest up to $100 billion in the startup.")
    assert [(s, m) for s, m, _ in _got(extractor, en, "en") if m == "investment"] == [("Nvidia", "investment")]
    fr = ("OpenAI a signé lundi un accord avec AMD. "
          "Le fabricant de puces a prévu d'investir 2 milliards de dollars dans une usine au Texas.")
    assert [(s, m) for s, m, _ in _got(extractor, fr, "fr") if m == "investment"] == [("AMD", "investment")]


def test_what_is_invested_in_is_no_investor_under_any_of_its_names(extractor: ClaimExtractor) -> None:
    """"invest $10 billion in Anthropic, backing Dario Amodei's push": Amodei stands for Anthropic,
    which the sentence says is invested in, so he is no candidate investor either."""
    text = "The plan is to invest up to $10 billion in Anthropic, backing Dario Amodei's push to build data centres."
    assert [s for s, m, _ in _got(extractor, text, "en") if m == "investment"] == []
    said = "Amazon said on Monday: the plan is to invest up to $10 billion in Anthropic, backing Dario Amodei's push."
    assert [s for s, m, _ in _got(extractor, said, "en") if m == "investment"] == ["Amazon"]


def test_a_release_verb_dates_the_model_its_object_names(extractor: ClaimExtractor) -> None:
    """"introduced its latest AI model, called Grok-1.5": the object is a model noun and the name
    right after it says which model."""
    assert _releases(extractor, "xAI introduced its latest AI model, called Grok-1.5, in March 2024.", "en") == [("Grok 1.5", 2024.0)]
    assert _releases(extractor, "Mistral AI a présenté son nouveau modèle, Mistral Large 2, en juillet 2024.", "fr") == [
        ("Mistral Large 2", 2024.0)]
    # a release participle right after the name: "GPT-4o, unveiled in May 2024"
    assert _releases(extractor, "OpenAI's GPT-4o, unveiled in May 2024, is faster.", "en") == [("GPT-4o", 2024.0)]
    # a season dates a release to its year: "a public release sometime this summer"
    assert _releases(extractor, "OpenAI said GPT-5 is slated for a public release sometime this summer.", "en") == [("GPT-5", 2025.0)]
    # a report is no model: « présenté un rapport, Gemini … » dates nothing
    assert _releases(extractor, "Google a présenté un rapport sur Gemini 2.0 en décembre 2024.", "fr") == []


def test_a_release_some_time_ago_is_dated_from_the_publication(extractor: ClaimExtractor) -> None:
    """"launched two years ago" in a paper of June 2025 is a 2023 release; a name in capitals
    ("GROK-2") is the table's name."""
    got = [(c.subject, c.value_low) for c in extractor.extract(
        "Only two years ago, xAI launched GROK-2 for X subscribers.", "en", published=_DAY) if c.metric == "release_date"]
    assert got == [("Grok 2", 2023.0)]


def test_parameters_go_to_the_model_nearest_in_the_parse(extractor: ClaimExtractor) -> None:
    """« DeepSeek-V3, au cœur de DeepSeek-R1, est un modèle … comptant 671 milliards de
    paramètres »: the clause is about V3; R1, named nearer the figure, sits in an aside."""
    fr = "DeepSeek-V3, au cœur de DeepSeek-R1, est un modèle de langage comptant 671 milliards de paramètres."
    assert [(s, m) for s, m, _ in _got(extractor, fr, "fr") if m == "parameter_count"] == [("DeepSeek V3", "parameter_count")]


def test_a_name_in_the_possessive_right_before_a_figure_owns_it(extractor: ClaimExtractor) -> None:
    """"versus o1's $60": the compared figure is o1's, not the first one's subject. The maker of
    the chips a figure is about owns nothing that way: "Nvidia's $40,000 Blackwell GPU" is no
    figure of Nvidia's."""
    text = ("DeepSeek-R1 is priced at $2.2 per million output tokens versus o1's $60.")
    assert [(c.subject, c.value_low) for c in extractor.extract(text, "en", published=_DAY) if c.metric == "price"] \
        == [("DeepSeek R1", 2.2), ("o1", 60.0)]
    chip = "Nvidia's $40,000 Blackwell GPU is the most expensive chip it sells."
    assert [c.subject for c in extractor.extract(chip, "en", published=_DAY) if c.subject == "Nvidia"] == []


def test_whom_money_goes_into_is_no_investor_anywhere_in_the_sentence(extractor: ClaimExtractor) -> None:
    """"invest up to $4 billion in Anthropic, bringing its total investment to $8 billion": Anthropic
    is invested in for both figures; "OpenAI's largest backer" and « premier actionnaire d'OpenAI »
    name whom the backer backs."""
    def investors(text: str, lang: str) -> list[str | None]:
        return [s for s, m, _ in _got(extractor, text, lang) if m == "investment"]

    carried = ("Anthropic raised new money this year. Last fall, Amazon agreed to invest up to $4 billion in "
               "Anthropic, bringing its total investment since 2023 to $8 billion.")
    assert investors(carried, "en") == ["Amazon", "Amazon"]
    for text, lang in (("Microsoft, OpenAI's largest backer, put in about $750 million.", "en"),
                       ("Microsoft, premier actionnaire d'OpenAI, a investi environ 750 millions de dollars.", "fr")):
        choices = [c for c in extractor.trace_subjects([(text, lang, _DAY)])[0] if c.metric == "investment"]
        assert choices and all("OpenAI" not in {x.name for x in c.candidates} for c in choices), choices


def test_the_cost_of_training_a_model_in_general_is_no_ones(extractor: ClaimExtractor) -> None:
    """"Training a large language model like GPT-4 costs …": the model is any model, GPT-4 an
    example; "Training GPT-4 cost …" stays GPT-4's."""
    def costs(text: str, lang: str) -> list[str | None]:
        return [s for s, m, _ in _got(extractor, text, lang) if m == "cost"]

    assert costs("Training a large language model like GPT-4 costs between $78 million and $192 million.", "en") == [None]
    assert costs("Entraîner un grand modèle de langage comme GPT-4 coûte entre 78 et 192 millions de dollars.", "fr") \
        == [None]
    assert costs("Training GPT-4 cost more than $100 million.", "en") == ["GPT-4"]
    # models in general as the sentence's subject, after a sentence on one model
    assert costs("OpenAI spent $100 million on GPT-4. Some models in development could cost up to a billion "
                 "dollars.", "en") == ["OpenAI", None]
    assert costs("OpenAI a dépensé 100 millions de dollars pour GPT-4. Certains modèles en développement "
                 "pourraient coûter jusqu’à un milliard de dollars.", "fr") == ["GPT-4", None]
    # … unless a company is named: "Some models OpenAI trains cost …" stays its own
    assert costs("Some models OpenAI is training cost $500 million.", "en") == ["OpenAI"]


def test_who_the_money_comes_from_invests_it(extractor: ClaimExtractor) -> None:
    """"a commitment from Nvidia, which will invest up to $100 billion in OpenAI": where money comes
    from is the investor of an investment, though never the subject of a raise ("$40 billion from
    SoftBank" is OpenAI's funding)."""
    en = "The deal includes a commitment from Nvidia, which plans to invest up to $100 billion into OpenAI."
    assert _got(extractor, en, "en") == [("Nvidia", "investment", None)]
    assert _got(extractor, "OpenAI raised $40 billion from SoftBank.", "en") == [("OpenAI", "funding", 40e9)]
    assert _got(extractor, "Mistral AI a levé 600 millions d'euros auprès de General Catalyst.", "fr") == [
        ("Mistral AI", "funding", 600e6)]


def test_a_company_named_with_its_web_address_is_the_company(extractor: ClaimExtractor) -> None:
    en = "Amazon.com said on Monday it will invest up to $4 billion in the start-up Anthropic."
    assert [(s, m) for s, m, _ in _got(extractor, en, "en")] == [("Amazon", "investment")]


def test_a_release_verb_whose_subject_is_the_named_model(extractor: ClaimExtractor) -> None:
    """"GPT-4 came out", « Gemini 1.5 a été annoncé », a fronted or relative participle (« Annoncée
    fin 2023, Maia … », "o3, which OpenAI announced last December"): the named model or chip is
    the verb's subject, so the date is its release; a price that "dropped" dates nothing."""
    assert _releases(extractor, "GPT-4 came out in March 2023.", "en") == [("GPT-4", 2023.0)]
    assert _releases(extractor, "Gemini 1.5 was announced in February 2024.", "en") == [("Gemini 1.5", 2024.0)]
    assert _releases(extractor, "Claude 3 a été présenté en mars 2024.", "fr") == [("Claude 3", 2024.0)]
    assert _releases(extractor, "GPT-4 est arrivé en mars 2023.", "fr") == [("GPT-4", 2023.0)]
    assert _releases(extractor, "Annoncée fin 2023, Maia est la puce maison de Microsoft.", "fr") == [("Maia", 2023.0)]
    assert _releases(extractor, "o3, which OpenAI announced last December, is its latest reasoning model.", "en") == [
        ("o3", 2024.0)]
    assert _releases(extractor, "H100 rental prices dropped in 2025.", "en") == []


def test_a_model_it_is_compared_with_has_no_release_date(extractor: ClaimExtractor) -> None:
    text = "DeepSeek-R1 is an open-weights reasoning model released on January 20th, 2025, comparable to OpenAI’s o1."
    assert _releases(extractor, text, "en") == [("DeepSeek R1", 2025.0)]


def test_rubin_named_as_a_chip(extractor: ClaimExtractor) -> None:
    """Nvidia's Rubin alone is the chip only where the text says so ("Rubin GPUs", « puces Rubin »)."""
    assert _releases(extractor, "Les puces Rubin de Nvidia devraient être livrées au second semestre 2026.", "fr") == [
        ("Rubin", 2026.0)]
    assert _releases(extractor, "Nvidia's Rubin GPUs are expected to ship in the second half of 2026.", "en") == [
        ("Rubin", 2026.0)]
    assert _releases(extractor, "Andy Rubin will ship a new phone in 2026.", "en") == []


def test_a_grace_superchip_counts_as_its_gpu(extractor: ClaimExtractor) -> None:
    got = extractor.extract("Mistral has access to around 18,000 Nvidia Grace Blackwell chips.", "en", published=_DAY)
    assert [(c.subject, c.metric, c.value_low, c.qualifier) for c in got] == [("Mistral AI", "gpu_count", 18000, "Blackwell")]


def test_what_a_company_is_worth_is_its_valuation(extractor: ClaimExtractor) -> None:
    """"Nvidia is now worth more than $4 trillion": a company that is worth a sum is valued at it,
    whatever the metric model makes of "worth" (shares or a deal "worth" a sum are something else);
    « … d'OpenAI avec AMD pèserait 300 milliards »: AMD is not what weighs."""
    assert _got(extractor, "Nvidia is now worth more than $4 trillion.", "en") == [("Nvidia", "valuation", 4e12)]
    assert _got(extractor, "Nvidia vaut désormais 5 000 milliards de dollars.", "fr") == [("Nvidia", "valuation", 5e12)]
    fr = "Le projet de 6 gigawatts d'OpenAI avec AMD pèserait 300 milliards de dollars."
    assert all(m != "valuation" for _, m, _ in _got(extractor, fr, "fr"))


def test_what_a_company_will_spend_is_an_investment_and_a_bill_a_cost(extractor: ClaimExtractor) -> None:
    """« Meta dépensera 65 milliards » is "Meta will spend": its investment; « la dépense atteindrait
    1,5 milliard » prices a bill: a cost."""
    assert _got(extractor, "Meta dépensera entre 64 et 72 milliards de dollars cette année.", "fr") == [
        ("Meta", "investment", 64e9)]
    bill = "DeepSeek aurait 50 000 puces H100. À 30 000 dollars l’unité, la dépense atteindrait 1,5 milliard de dollars."
    assert [(s, m) for s, m, v in _got(extractor, bill, "fr") if v == 1.5e9] == [("DeepSeek", "cost")]


def test_an_article_the_tagger_takes_into_a_name_is_not_the_name(extractor: ClaimExtractor) -> None:
    """"The Anthem Group faced a loss of …": the small models tag "The" with the name; the same
    company named without it must be the same subject (one word after "The" is the name's own)."""
    got = _got(extractor, "The Anthem Labs Group reported a net loss of $2.4 billion.", "en")
    assert got == [("Anthem Labs Group", "other", -2.4e9)]


def test_burning_money_is_a_cost(extractor: ClaimExtractor) -> None:
    assert _got(extractor, "Anthropic is burning $2 billion a year.", "en") == [("Anthropic", "cost", 2e9)]
    assert [(s, m) for s, m, _ in _got(extractor, "Le Vision Fund a essuyé une perte de 2,4 milliards de dollars.",
                                       "fr")] == [("Vision Fund", "other")]


def test_a_persons_fortune_is_theirs_not_their_companys(extractor: ClaimExtractor) -> None:
    """"Ellison's net worth", « la fortune de Jensen Huang »: the person's own money, where any
    other figure a chief announces is filed under the company."""
    en = _got(extractor, "The rally lifted Ellison's net worth by over $101 billion in a single day.", "en")
    assert [s for s, _, _ in en] == ["Larry Ellison"]
    fr = _got(extractor, "La fortune de Jensen Huang a fondu de 21 milliards de dollars.", "fr")
    assert [s for s, _, _ in fr] == ["Jensen Huang"]


def test_a_date_given_for_listed_models_is_each_ones(extractor: ClaimExtractor) -> None:
    assert _releases(extractor, "Claude 3.7 Sonnet, GPT-4.5 and Gemini 2.5 Pro all came out in early 2025.", "en") == [
        ("Claude 3.7 Sonnet", 2025.0), ("GPT-4.5", 2025.0), ("Gemini 2.5 Pro", 2025.0)]
    assert _releases(extractor, "Mistral launched Mistral Large in 2024, while Meta plans to ship Llama 5 in 2026.",
                     "en") == [("Mistral Large", 2024.0), ("Llama 5", 2026.0)]


def test_what_a_company_will_pay_in_is_its_investment(extractor: ClaimExtractor) -> None:
    assert _got(extractor, "SoftBank versera 10 milliards de dollars à OpenAI en avril.", "fr") == [
        ("SoftBank", "investment", 10e9)]


def test_respectively_pairs_names_and_figures_in_order(extractor: ClaimExtractor) -> None:
    assert _got(extractor, "Meta and Microsoft bought 350,000 and 150,000 H100s respectively.", "en") == [
        ("Meta", "gpu_count", 350000), ("Microsoft", "gpu_count", 150000)]
    assert _got(extractor, "Amazon et Google ont respectivement acquis 196 000 et 169 000 GPU H100.", "fr") == [
        ("Amazon", "gpu_count", 196000), ("Google", "gpu_count", 169000)]


def test_a_part_named_by_one_word_where_its_whole_is_named(extractor: ClaimExtractor) -> None:
    """"Maverick" in an article about Llama 4 is Llama 4 Maverick (``short`` in the table); the
    same word in an article that names no Llama 4 is no model of it."""
    en = _got(extractor, "Meta unveiled Llama 4 on Saturday. Maverick packs 400 billion parameters, "
                         "while Scout has 109 billion.", "en")
    assert [(s, v) for s, m, v in en if m == "parameter_count"] == [("Llama 4 Maverick", 400e9), ("Llama 4 Scout", 109e9)]
    fr = _got(extractor, "Behemoth, le plus gros des modèles Llama 4, compte 2 000 milliards de paramètres.", "fr")
    assert fr == [("Llama 4 Behemoth", "parameter_count", 2e12)]
    other = _got(extractor, "Maverick Capital raised $500 million for its new fund.", "en")
    assert all(s != "Llama 4 Maverick" for s, _, _ in other)


def test_a_makers_parameters_are_its_model_s(extractor: ClaimExtractor) -> None:
    """Parameters are a model's: where the sentence gives them to the maker ("Meta's latest model"),
    the maker's model the article names has them, not a rival named after them; and a company's
    figure about a table model's part goes to the company, however deep the part."""
    en = _got(extractor, "Meta released Llama 3.1 on Tuesday. Meta's latest AI model has 405 billion parameters, "
                         "while OpenAI's GPT-4 is reportedly 220 billion.", "en")
    assert [(s, v) for s, m, v in en if m == "parameter_count"] == [("Llama 3.1", 405e9), ("GPT-4", 220e9)]
    assert _got(extractor, "Llama 4 Scout subscriptions brought in $2 billion in revenue last year.", "en") == [
        ("Meta", "revenue", 2e9)]


def test_one_named_startup_is_no_sector(extractor: ClaimExtractor) -> None:
    """"AI startups raised …" is a sector's total; "the startup" just named, or « la startup
    américaine Anthropic » with its name beside the noun, is one company."""
    en = _got(extractor, "Mistral AI is in talks with investors. The startup raised $2 billion last year.", "en")
    assert en == [("Mistral AI", "funding", 2e9)]
    fr = _got(extractor, "La startup américaine Anthropic, spécialisée dans les modèles de langage d’intelligence "
                         "artificielle, serait sur le point de conclure une levée de fonds massive de 3 à 5 milliards "
                         "de dollars, selon un rapport de Bloomberg.", "fr")
    assert [(s, m) for s, m, _ in fr] == [("Anthropic", "funding")]
    assert _got(extractor, "AI startups raised $19 billion in the first quarter.", "en") == [(None, "funding", 19e9)]
    assert _got(extractor, "Anthropic raised $4 billion. U.S.-based AI companies have raised $2.7 billion so far "
                           "this year.", "en")[-1] == (None, "funding", 2.7e9)


def test_the_company_long_after_its_name_is_the_article_s(extractor: ClaimExtractor) -> None:
    """"La société", "the supercomputer" many sentences after the last name: the company or site
    the article names most, not a figure dropped for want of a subject."""
    fr = ("Microsoft a publié ses résultats jeudi. Microsoft confirme sa stratégie. Les marchés ont salué les "
          "annonces. Les analystes restent prudents. Le cloud progresse vite. La demande ne faiblit pas. "
          "Les concurrents suivent. La société a déclaré un chiffre d’affaires de 81,3 milliards de dollars "
          "sur le trimestre.")
    assert _got(extractor, fr, "fr") == [("Microsoft", "revenue", 81.3e9)]
    en = ("xAI built Colossus in Memphis. Colossus was switched on in July. Engineers worked in shifts. Power came "
          "from turbines. Locals complained about the noise. Regulators took note. Crews moved on. "
          "The supercomputer incorporates over 100,000 Nvidia H100 GPUs across four halls.")
    assert _got(extractor, en, "en") == [("Colossus", "gpu_count", 100000)]


def test_big_tech_is_no_company(extractor: ClaimExtractor) -> None:
    """"Big Tech" names a sector, not an organisation a figure can belong to."""
    got = _got(extractor, "Its initial $1 billion funding round explicitly lacked Big Tech participation.", "en")
    assert got == [(None, "funding", 1e9)]


def test_who_leads_or_joins_a_round_does_not_raise_it(extractor: ClaimExtractor) -> None:
    """A round's size and valuation are the raising company's, not those of the investor that
    leads it or takes part in it."""
    en = _got(extractor, "OpenAI is raising money. SoftBank, leading a $40 billion funding round at a "
                         "$300 billion valuation, will put in most of it.", "en")
    assert en == [("OpenAI", "funding", 40e9), ("OpenAI", "valuation", 300e9)]
    fr = _got(extractor, "Anthropic discute avec des investisseurs. Sequoia compte participer à une levée de fonds "
                         "visant au moins 25 milliards de dollars.", "fr")
    assert fr == [("Anthropic", "funding", 25e9)]


def test_a_size_set_before_a_sites_name_is_the_sites(extractor: ClaimExtractor) -> None:
    """"xAI brings 1GW Colossus 2 online": the power is Colossus's, not its maker's, though the
    maker is the sentence's possessive subject."""
    got = _got(extractor, "Elon Musk's xAI brings 1GW Colossus 2 AI training cluster online.", "en")
    assert got == [("Colossus", "other", 1e9)]
    gpus = _got(extractor, "xAI doubled its 100,000-GPU Colossus cluster in Memphis.", "en")
    assert [(s, m) for s, m, _ in gpus if m == "gpu_count"] == [("Colossus", "gpu_count")]


def test_a_makers_training_bill_is_its_model_s(extractor: ClaimExtractor) -> None:
    """"Meta releases 'world's largest' AI model trained on $400 million worth of GPUs": a training
    run's cost is the model's the article names, not its maker's."""
    got = _got(extractor, "Meta released Llama 3.1 on Tuesday. Meta releases 'world's largest' AI model trained "
                          "on $400 million worth of GPUs.", "en")
    assert [(s, v) for s, m, v in got if m == "cost"] == [("Llama 3.1", 400e6)]


def test_a_loss_is_a_loss_whatever_came_before(extractor: ClaimExtractor) -> None:
    """"a loss of $2.4 billion" after a sentence about capital spending is a loss (an ``other``
    figure, negative), not the spending the sentence before was about."""
    en = ("Son said AI could require $900 trillion in capital expenditure for data centers. "
          "As of June 2024, the Vision Fund faced a collective loss of $2.4 billion.")
    got = [(c.subject, c.metric, c.value_low) for c in extractor.extract(en, "en", published=_DAY)]
    assert got[-1] == ("Vision Fund", "other", -2.4e9)
    fr = ("SoftBank a investi 30 milliards de dollars dans OpenAI. Le Vision Fund a essuyé une perte de "
          "2,4 milliards de dollars sur le trimestre.")
    assert _got(extractor, fr, "fr")[-1] == ("Vision Fund", "other", -2.4e9)


def test_money_brought_in_gathered_or_taken_from_named_backers(extractor: ClaimExtractor) -> None:
    """"brought in $75 billion over the fiscal year" is revenue; « a récolté 220 millions auprès
    d'investisseurs » is funding; and the backers listed after "from companies including" are no
    subject of the money they put in."""
    assert _got(extractor, "Microsoft's Azure business brought in $75 billion over the fiscal year.", "en") == [
        ("Microsoft", "revenue", 75e9)]
    assert _got(extractor, "H Company a récolté 220 millions de dollars auprès d'investisseurs.", "fr") == [
        ("H Company", "funding", 220e6)]
    en = _got(extractor, "Anthropic is growing fast. After bringing in more than $7 billion from companies "
                         "including Amazon and Google, its losses still mount.", "en")
    assert en[0][:2] == ("Anthropic", "funding")
    fr = _got(extractor, "Anthropic grandit vite. La start-up a levé 7 milliards de dollars auprès "
                         "d'investisseurs comme Amazon et Google.", "fr")
    assert fr == [("Anthropic", "funding", 7e9)]


def test_a_compound_adjective_before_ai_is_no_company(extractor: ClaimExtractor) -> None:
    """"a Zeta-scale AI supercluster" names no company "Zeta-scale AI"; "Moonshot AI" is one."""
    got = _got(extractor, "Oracle will build a Zeta-scale AI supercluster consisting of 131,072 Nvidia GPUs.", "en")
    assert got == [("Oracle", "gpu_count", 131072)]
    assert _got(extractor, "Moonshot AI raised $1 billion.", "en") == [("Moonshot AI", "funding", 1e9)]


def test_a_price_is_never_a_companys(extractor: ClaimExtractor) -> None:
    """A unit price is a chip's or a model's: the buyers named around it do not take it; with no
    chip or model in sight there is no price claim."""
    fr = ("Il est peu surprenant que des entreprises comme OpenAI, Microsoft ou Meta souhaitent acquérir ces cartes "
          "dont le prix devrait se situer entre 30 000 et 40 000 dollars l’unité.")
    assert [c for c in extractor.extract(fr, "fr", published=_DAY) if c.metric == "price"] == []
    with_chip = "Nvidia a présenté ses puces Blackwell en mars. " + fr
    assert [(s, v) for s, m, v in _got(extractor, with_chip, "fr") if m == "price"] == [("Blackwell", 30000)]


def test_a_backer_named_at_the_start_of_the_sentence(extractor: ClaimExtractor) -> None:
    """« Financé en grande partie par Crusoe, le projet a levé … »: the backer, with an adverb in
    between and a capital at the sentence's start, is not who raised the money."""
    fr = ("Stargate avance vite. Financé en grande partie par Crusoe, le projet a déjà levé environ "
          "15 milliards de dollars.")
    assert _got(extractor, fr, "fr") == [("Stargate", "funding", 15e9)]
    en = "Stargate is moving fast. Backed largely by Crusoe, the project has already raised about $15 billion."
    assert _got(extractor, en, "en") == [("Stargate", "funding", 15e9)]


def test_what_a_market_value_falls_to_is_a_valuation(extractor: ClaimExtractor) -> None:
    """A market value's move is a change; where it moves from and to are levels (valuations);
    "up to", « jusqu'à » bound the change and are no level."""
    assert _got(extractor, "Nvidia's market value fell to $2.9 trillion.", "en") == [("Nvidia", "valuation", 2.9e12)]
    assert _got(extractor, "Nvidia's market capitalisation fell from $3.5 trillion to $2.9 trillion.", "en") == [
        ("Nvidia", "valuation", 3.5e12), ("Nvidia", "valuation", 2.9e12)]
    assert _got(extractor, "La capitalisation de Nvidia est passée de 3 500 à 2 900 milliards de dollars.", "fr") == [
        ("Nvidia", "valuation", 3.5e12), ("Nvidia", "valuation", 2.9e12)]
    assert _got(extractor, "Nvidia lost up to $600 billion in market value.", "en") == [
        ("Nvidia", "market_value_change", -600e9)]


def test_a_persons_wealth_moves_with_the_market_and_stands_as_another_figure(extractor: ClaimExtractor) -> None:
    """A change in a person's net worth is a market value change (signed); its level is an
    ``other`` figure; « sa fortune » after the person's name is theirs."""
    en = _got(extractor, "Jensen Huang's net worth dropped by $21 billion, to $103.1 billion.", "en")
    assert en == [("Jensen Huang", "market_value_change", -21e9), ("Jensen Huang", "other", 103.1e9)]
    fr = _got(extractor, "Le patron de Nvidia, Jensen Huang, n'a pas été épargné : sa fortune personnelle a fondu "
                         "de 21 milliards de dollars dans la journée.", "fr")
    assert fr == [("Jensen Huang", "market_value_change", -21e9)]


def test_a_part_named_by_one_word_beside_a_sibling(extractor: ClaimExtractor) -> None:
    """"Llama 4 Scout … ; Maverick monte à 400B": a named part names its whole, so the one word of
    its sibling is that sibling."""
    fr = _got(extractor, "Llama 4 Scout compte 109B paramètres ; Maverick monte à 400B.", "fr")
    assert fr == [("Llama 4 Scout", "parameter_count", 109e9), ("Llama 4 Maverick", "parameter_count", 400e9)]


def test_a_total_of_one_named_company_is_its_own(extractor: ClaimExtractor) -> None:
    """"in total" over one company's own clause is its total, not a joint one of the companies the
    sentence lists; « ensemble » after a list of companies still belongs to none."""
    en = _got(extractor, "Amazon has put $8 billion into the company in total and Google has committed $2 billion.", "en")
    assert en == [("Amazon", "investment", 8e9), ("Google", "investment", 2e9)]
    fr = _got(extractor, "Microsoft, Alphabet, Amazon et Meta devraient dépenser ensemble 350 milliards de dollars.", "fr")
    assert fr == [(None, "investment", 350e9)]


def test_whom_an_investment_is_paid_to_is_no_investor(extractor: ClaimExtractor) -> None:
    """« SoftBank versera 10 milliards de dollars à OpenAI » in an article about OpenAI: the money
    paid to OpenAI is SoftBank's investment, however much the article is about OpenAI."""
    fr = ("OpenAI change de statut. OpenAI lève des fonds. Les financements suivent, avec des conditions. "
          "SoftBank versera 10 milliards de dollars à OpenAI en avril.")
    assert _got(extractor, fr, "fr")[-1] == ("SoftBank", "investment", 10e9)


def test_a_series_round_is_funding(extractor: ClaimExtractor) -> None:
    """« Série F : 13 milliards de dollars » in a list of key figures is the round, as "Series F" is."""
    fr = _got(extractor, "Anthropic a bouclé son tour.\n\nLes chiffres clés\n- Série F : 13 milliards de dollars", "fr")
    assert fr == [("Anthropic", "funding", 13e9)]


def test_money_said_by_its_participle(extractor: ClaimExtractor) -> None:
    """« Anthropic : 13 milliards levés, 183 milliards de valorisation »: a bare sum followed by a
    money participle is money (in the article's currency), and the participle right after it names
    its metric, whatever sum comes next."""
    fr = _got(extractor, "Anthropic : 13 milliards levés, 183 milliards de valorisation\n\n"
                         "La start-up a bouclé une série F de 13 milliards de dollars.", "fr")
    assert fr[:2] == [("Anthropic", "funding", 13e9), ("Anthropic", "valuation", 183e9)]
    en = _got(extractor, "Anthropic: 13 billion raised in one round. The startup closed a $13 billion Series F.", "en")
    assert en[0] == ("Anthropic", "funding", 13e9)


def test_money_a_company_contributes_is_its_investment(extractor: ClaimExtractor) -> None:
    """« Nvidia y apporterait jusqu'à 2 milliards » beside a raise is Nvidia's investment, not its funding."""
    fr = _got(extractor, "xAI lèverait 6 milliards de dollars. Nvidia y apporterait jusqu'à 2 milliards de dollars.", "fr")
    assert fr[-1][:2] == ("Nvidia", "investment")
    en = _got(extractor, "OpenAI is raising $10 billion. Nvidia would contribute up to $2 billion.", "en")
    assert en[-1][:2] == ("Nvidia", "investment")


def test_an_investor_or_partner_named_in_passing_is_no_subject(extractor: ClaimExtractor) -> None:
    """"Databricks, whose investors include Nvidia, was valued at …": the investor named in passing;
    « Le fonds MGX, associé à Mistral AI et Bpifrance, investira … »: the partners."""
    assert _got(extractor, "Databricks, whose investors include Nvidia, was valued at $62 billion.", "en") == [
        ("Databricks", "valuation", 62e9)]
    fr = _got(extractor, "Le fonds MGX, associé à Mistral AI et Bpifrance, investira 8,5 milliards d'euros dans un "
                         "campus à Fouju.", "fr")
    assert fr == [("MGX", "investment", 8.5e9)]


def test_money_a_company_injects_is_its_investment(extractor: ClaimExtractor) -> None:
    """« Amazon a injecté 4 milliards de dollars » is Amazon's investment (it was a funding cue, as
    if Amazon had raised the money), as "Amazon injected $4 billion" is."""
    fr = _got(extractor, "Amazon, premier investisseur d'Anthropic, a injecté 4 milliards de dollars de plus.", "fr")
    assert fr == [("Amazon", "investment", 4e9)]


def test_a_list_of_all_members_is_a_joint_total_and_examples_are_not(extractor: ClaimExtractor) -> None:
    """"The four so-called hyperscalers — Microsoft, Meta, Alphabet and Amazon — … $470 billion":
    their joint total, no one's; "AI chip companies such as Groq and Cerebras …, with Groq in talks
    to raise $600 million": an example's own figure."""
    en = _got(extractor, "The four so-called hyperscalers—Microsoft, Meta, Alphabet, and Amazon—are projected to "
                         "boost their capital expenditures to over $470 billion in 2026.", "en")
    assert en == [(None, "investment", 470e9)]
    examples = _got(extractor, "AI chip companies such as Groq and Cerebras Systems are pursuing funding rounds, with "
                               "Groq in talks to raise $600 million.", "en")
    assert examples == [("Groq", "funding", 600e6)]


def test_with_no_name_said_lately_a_figure_is_the_headlines_subject(extractor: ClaimExtractor) -> None:
    """Far from any name, "the full-year revenue" is what the title is about; without the title
    the figure has no subject (and no claim)."""
    en = "Revenue grew eightfold last year. The full-year revenue reached $1.92 billion in 2024."
    title = "CoreWeave files for IPO as revenue soars"
    assert [(c.subject, c.metric) for c in extractor.extract(en, "en", published=_DAY, title=title)] \
        == [("CoreWeave", "revenue")]
    assert all(c.subject != "CoreWeave" for c in extractor.extract(en, "en", published=_DAY))
    fr = "Le chiffre d'affaires annuel atteindrait 30 millions d'euros."
    got = extractor.extract(fr, "fr", published=_DAY, title="Mistral AI lève 600 millions d'euros")
    assert [(c.subject, c.metric, c.value_low) for c in got] == [("Mistral AI", "revenue", 30e6)]
    assert extractor.extract(fr, "fr", published=_DAY) == []


def test_the_company_long_after_any_name_is_the_headlines_not_the_most_named(extractor: ClaimExtractor) -> None:
    """« La société », five sentences after the last name: the company the title is about,
    rather than the one the text names most."""
    fr = ("Hugging Face a présenté ses comptes. Mistral AI a rencontré des investisseurs. Hugging Face a "
          "discuté longuement. Les marchés ont salué l'opération. Les analystes restent prudents. Le secteur "
          "attend la suite. Les concurrents observent. Les banques suivent. La société a déclaré un chiffre "
          "d'affaires de 30 millions d'euros.")

    def revenue(title: str | None) -> list[str | None]:
        return [c.subject for c in extractor.extract(fr, "fr", published=_DAY, title=title) if c.metric == "revenue"]

    assert revenue(None) == ["Hugging Face"]
    assert revenue("Mistral AI boucle une levée record") == ["Mistral AI"]


def test_titles_must_match_the_items(extractor: ClaimExtractor) -> None:
    with pytest.raises(ExtractionError, match="1 titles for 2 items"):
        extractor.extract_many([("10 GPU.", "fr", None), ("10 GPUs.", "en", None)], titles=["x"])


def test_a_name_in_the_possessive_owns_the_noun_that_takes_the_figure(extractor: ClaimExtractor) -> None:
    """"Helix Compute's total debt of $800 million" is Helix Compute's, even in an article about
    the buyer that names the buyer in every sentence and in its headline."""
    text = ("Microsoft announced an all-stock takeover of Helix Compute worth about $9 billion. Microsoft "
            "expects the purchase to close next spring, and Microsoft shareholders must still approve it. "
            "Last year, Microsoft used an option that could raise Helix Compute's revenue by $3 billion over "
            "ten years. At closing, Microsoft would also assume Helix Compute's total debt of $800 million.")
    got = extractor.extract(text, "en", published=_DAY, title="What Microsoft's $9B takeover of Helix Compute means")
    assert {(c.subject, c.value_low) for c in got if c.value_low in (3e9, 800e6)} \
        == {("Helix Compute", 3e9), ("Helix Compute", 800e6)}


def test_a_participle_after_a_raise_that_takes_its_own_amount_is_that_amounts_cue(extractor: ClaimExtractor) -> None:
    """« une levée de 600 millions d'euros valorisant la start-up 5,8 milliards »: the participle
    introduces the valuation; the raise before it stays funding."""
    for text, lang in [
        ("Mistral AI a bouclé une levée de 600 millions d'euros valorisant la start-up 5,8 milliards d'euros.", "fr"),
        ("Mistral AI a bouclé une levée de fonds de 600 millions d'euros, qui valorise la start-up à 5,8 milliards d'euros.", "fr"),
        ("Mistral AI closed a raise of $640 million valuing the start-up at $6 billion.", "en"),
    ]:
        got = [(c.metric, c.value_low) for c in extractor.extract(text, lang, published=_DAY)]
        assert [m for m, _ in got] == ["funding", "valuation"], (text, got)


def test_the_seller_of_the_chips_earns_their_sales(extractor: ClaimExtractor) -> None:
    """A chip maker is a vendor, never the subject, except of its own sales."""
    en = extractor.extract("Nvidia's chip sales reached $26 billion.", "en", published=_DAY)
    fr = extractor.extract("Les ventes de puces de Nvidia ont atteint 26 milliards de dollars.", "fr", published=_DAY)
    assert [(c.subject, c.metric, c.value_low) for c in en + fr] == [("Nvidia", "revenue", 26e9)] * 2
    bought = extractor.extract("OpenAI spent $10 billion on Nvidia's chips.", "en", published=_DAY)
    assert [c.subject for c in bought] == ["OpenAI"]


def test_a_loss_said_to_reach_a_figure_is_a_negative_other_figure(extractor: ClaimExtractor) -> None:
    for text, lang in [("OpenAI's losses could reach $14 billion next year.", "en"),
                       ("OpenAI's cumulative losses could reach $44 billion by 2029.", "en"),
                       ("Les pertes cumulées d'OpenAI pourraient atteindre 44 milliards de dollars d'ici 2029.", "fr"),
                       ("Les pertes d'OpenAI se sont élevées à 5 milliards de dollars.", "fr")]:
        [claim] = extractor.extract(text, lang, published=_DAY)
        assert (claim.subject, claim.metric) == ("OpenAI", "other") and claim.value_low is not None \
            and claim.value_low < 0, (text, claim)
    # with a market word the loss is the market's, not the company's own
    [fall] = extractor.extract("Nvidia's losses in market value reached $600 billion.", "en", published=_DAY)
    assert fall.metric != "other"


def test_what_is_bought_is_not_the_buyer_of_its_price(extractor: ClaimExtractor) -> None:
    for text, lang in [("OpenAI a racheté Windsurf pour 3 milliards de dollars.", "fr"),
                       ("Meta a racheté 49 % de Scale AI pour 14,3 milliards de dollars.", "fr"),
                       ("OpenAI acquired Windsurf for $3 billion.", "en")]:
        [claim] = extractor.extract(text, lang, published=_DAY)
        assert claim.metric == "investment" and claim.subject == text.split()[0], (text, claim)


def test_debt_is_funding_in_both_languages(extractor: ClaimExtractor) -> None:
    fr = extractor.extract("La dette de CoreWeave atteint 8 milliards de dollars.", "fr", published=_DAY)
    en = extractor.extract("CoreWeave's debt reached $8 billion.", "en", published=_DAY)
    assert [(c.subject, c.metric) for c in fr + en] == [("CoreWeave", "funding")] * 2


def test_the_name_that_opens_a_figures_relative_clause_is_its_subject(extractor: ClaimExtractor) -> None:
    en = extractor.extract("The new funding values xAI at $24 billion, well ahead of the $18 billion that Anthropic "
                           "is now valued at.", "en", published=_DAY)
    assert [(c.subject, c.value_low) for c in en] == [("xAI", 24e9), ("Anthropic", 18e9)]
    fr = extractor.extract("C'est bien plus que les 6,6 milliards de dollars qu'OpenAI a levés en octobre.", "fr",
                           published=_DAY)
    assert [(c.subject, c.metric) for c in fr] == [("OpenAI", "funding")]


def test_a_source_with_no_name_speaks_through_the_outlet_it_told(extractor: ClaimExtractor) -> None:
    en = extractor.extract("OpenAI is in talks to raise $40 billion, people familiar with the matter told Bloomberg.",
                           "en", published=_DAY)
    fr = extractor.extract("Des sources proches du dossier ont indiqué à Reuters qu'OpenAI veut lever 40 milliards "
                           "de dollars.", "fr", published=_DAY)
    assert [c.speaker for c in en + fr] == ["Bloomberg", "Reuters"]
    named = extractor.extract("Anthropic is raising $5 billion, its chief executive Dario Amodei told Reuters.", "en",
                              published=_DAY)
    assert [c.speaker for c in named] == ["Dario Amodei"]


def test_a_headline_naming_agi_makes_its_forecasts_agi_dates(extractor: ClaimExtractor) -> None:
    """A forecast that names AGI only through "it" is an AGI date when the headline names AGI; the
    same sentence under a headline about something else dates nothing."""
    def dates(text: str, lang: str, title: str) -> list[tuple[float | None, float | None]]:
        return [(c.value_low, c.value_high) for c in extractor.extract(text, lang, published=_DAY, title=title)
                if c.metric == "agi_date"]

    en = "He expects it to arrive by 2030."
    assert dates(en, "en", "Hassabis says AGI is coming sooner than thought") == [(None, 2030.0)]
    assert dates(en, "en", "Hassabis says the new lab is coming sooner than thought") == []
    assert dates("Altman predicts that we will get there by 2027.", "en", "Altman: AGI is closer than you think") \
        == [(None, 2027.0)]
    fr = "Il s'attend à ce qu'elle arrive d'ici 2030."
    assert dates(fr, "fr", "Demis Hassabis annonce l'AGI pour bientôt") == [(None, 2030.0)]
    assert dates(fr, "fr", "Demis Hassabis annonce un laboratoire pour bientôt") == []
    assert dates("D'après lui, cette étape pourrait être franchie d'ici 2028.", "fr",
                 "Selon un expert, l'IAG pourrait être atteinte d'ici trois ans") == [(None, 2028.0)]
    # a forecast of something else the sentence names is not AGI's
    assert dates("The first phase is expected to go live in the second half of 2026.", "en",
                 "Nvidia to invest $100 billion in OpenAI to build infrastructure for superintelligence") == []


def test_machines_better_than_humans_at_everything_name_agi(extractor: ClaimExtractor) -> None:
    """"Better than humans at almost everything", « surpasser les humains dans presque tous les
    domaines », « plus intelligente que l'humanité »: ways of naming AGI."""
    def dates(text: str, lang: str) -> list[float | None]:
        return [c.value_high for c in extractor.extract(text, lang, published=_DAY) if c.metric == "agi_date"]

    assert dates("Amodei wrote that AI systems could be better than humans at almost everything by 2027.", "en") \
        == [2027.0]
    assert dates("The survey gives a 10% chance of machines outperforming humans in every task by 2027.", "en") \
        == [2027.0]
    assert dates("Selon Amodei, les systèmes d'IA pourraient surpasser les humains dans presque tous les domaines "
                 "d'ici 2027.", "fr") == [2027.0]
    assert dates("Pour Elon Musk, l'IA sera plus intelligente que l'humanité entière d'ici 2030.", "fr") == [2030.0]
    assert dates("Elon Musk pense que l’IA sera plus intelligente qu’un humain d'ici 2026.", "fr") == [2026.0]
    assert dates("Musk thinks AI will be smarter than a human by 2026.", "en") == [2026.0]


def test_agi_horizons_with_a_hedge_a_year_word_or_a_contraction(extractor: ClaimExtractor) -> None:
    """"within, let's say, the next three to eight years", "by the year 2116" (a deadline, as "by
    2116"), "it doesn't happen for 100 years" (a floor: the contraction is a negation), and
    "smarter than humans" names AGI with no quantifier."""
    def dates(text: str, lang: str, title: str | None = None) -> list[tuple[float | None, float | None]]:
        return [(c.value_low, c.value_high) for c in extractor.extract(text, lang, published=_DAY, title=title)
                if c.metric == "agi_date"]

    assert dates("We could get to human-level AGI within, let's say, the next three to eight years.", "en") \
        == [(2028.0, 2033.0)]
    assert dates("Experts give a 50% chance of high-level machine intelligence by the year 2116.", "en") \
        == [(None, 2116.0)]
    assert dates("Selon lui, l'AGI sera là d'ici l'an 2030.", "fr") == [(None, 2030.0)]
    assert dates("Hinton said AGI could come, but it doesn’t happen for 100 years.", "en") == [(2125.0, None)]
    assert dates("I can tell a story where it doesn't happen for 100 years.", "en",
                 "AI likely to get smarter than humans, says Anthropic CEO") == [(2125.0, None)]


def test_a_programme_named_with_its_suffix_is_a_subject_the_table_lacks(extractor: ClaimExtractor) -> None:
    """"the IndiaAI Mission", "the Genesis Mission": a programme the table and NER miss owns the
    figure it governs, over a company named elsewhere; a stop word makes no programme."""
    text = ("OpenAI opened an office in Delhi. Union IT Minister Ashwini Vaishnaw announced that under the "
            "IndiaAI Mission, 18,693 GPUs have been empanelled to strengthen AI research.")
    assert [(c.subject, c.value_low) for c in extractor.extract(text, "en", published=_DAY)
            if c.metric == "gpu_count"] == [("IndiaAI Mission", 18693.0)]
    names = {m.name for m in extractor.analyse_many([("The new Mission will need 10,000 GPUs.", "en", _DAY)])[0].mentions}
    assert "new Mission" not in names and "The new Mission" not in names


def test_a_sector_named_before_a_subject_the_parser_cut_short_is_no_ones(extractor: ClaimExtractor) -> None:
    """"US startup funding overall surged … to $162.8 billion" (the small English parser takes
    "funding" alone for the subject): a market's total, not the company of the sentence before;
    a name among those words still makes it that company's."""
    def funding(text: str) -> list[tuple[str | None, float | None]]:
        return [(c.subject, c.value_low) for c in extractor.extract(text, "en", published=_DAY) if c.metric == "funding"]

    assert funding("Groq raised $640 million in August. US startup funding overall surged 75.6% year over year "
                   "in the first half of 2025 to $162.8 billion, the strongest since H1 2021.") \
        == [("Groq", 640e6), (None, 162.8e9)]
    assert funding("Groq raised $640 million in August. Groq startup funding overall surged 75.6% year over "
                   "year in the first half of 2025 to $162.8 billion.") == [("Groq", 640e6), ("Groq", 162.8e9)]


def test_a_data_tracker_is_a_source_not_a_subject(extractor: ClaimExtractor) -> None:
    """PitchBook, McKinsey and the like count and estimate; the figure is the market's, or the
    company's the sentence names, and the tracker is who states it."""
    got = extractor.extract("Groq raised $640 million. As the investment tracker PitchBook told the newspaper, "
                            "there has been $330 billion poured into roughly 26,000 AI startups.", "en", published=_DAY)
    assert all(c.subject != "PitchBook" for c in got), got
    fr = extractor.extract("Selon McKinsey, Meta a investi 30 milliards de dollars dans un data center géant.", "fr",
                           published=_DAY)
    assert [(c.subject, c.speaker) for c in fr if c.metric == "investment"] == [("Meta", "McKinsey")]


def test_the_base_of_a_multiple_is_not_its_subject(extractor: ClaimExtractor) -> None:
    """« C'est près de cinquante fois le budget de calcul de Llama 2 70B », after a sentence on
    Llama 3.1 405B: the multiple is the model just named's, the one after « fois le … de » its base."""
    text = ("Meta indique avoir entraîné Llama 3.1 405B avec 16 000 GPU H100. "
            "C'est près de cinquante fois le budget de calcul de Llama 2 70B.")
    got = [(c.subject, c.value_low) for c in extractor.extract(text, "fr", published=_DAY)
           if c.metric == "compute_multiplier"]
    assert got == [("Llama 3.1 405B", 50.0)]


def test_a_weekday_next_to_a_word_of_saying_dates_no_release(extractor: ClaimExtractor) -> None:
    """"Zuckerberg on Monday said … expected to come online in 2026": Monday is when he said it;
    « a sorti jeudi GPT-5 » dates the release."""
    en = ("Mark Zuckerberg on Monday said the first multi-gigawatt data center, called Prometheus, is "
          "expected to come online in Ohio in 2026.")
    assert _releases(extractor, en, "en") == [("Prometheus", 2026.0)]
    fr = "OpenAI, leader de l'IA générative depuis le lancement de ChatGPT fin 2022, a sorti jeudi GPT-5."
    assert ("GPT-5", 2025.0) in _releases(extractor, fr, "fr")


def test_a_founding_date_is_no_release(extractor: ClaimExtractor) -> None:
    assert _releases(extractor, "xAI, founded in July 2023, launched its Grok chatbot and Grok 1.5 model in 2024.",
                     "en") == [("Grok 1.5", 2024.0)]
    assert _releases(extractor, "Mistral AI, fondée en 2023, a lancé Mistral Large en 2024.", "fr") \
        == [("Mistral Large", 2024.0)]


def test_a_french_sector_named_after_its_head_is_no_ones(extractor: ClaimExtractor) -> None:
    """« les investissements mondiaux dans les centres de calcul », « les investissements dans ces
    infrastructures », "data center projects around the world": French puts the words that make a
    subject a market's after its head; the total is no one's, not the company named before."""
    def investments(text: str, lang: str) -> list[tuple[str | None, float | None]]:
        return [(c.subject, c.value_low) for c in extractor.extract(text, lang, published=_DAY)
                if c.metric == "investment"]

    fr = ("Microsoft a annoncé investir 80 milliards de dollars. Cette année, les investissements mondiaux dans "
          "les centres de calcul ont atteint 61 milliards de dollars.")
    assert investments(fr, "fr") == [("Microsoft", 80e9), (None, 61e9)]
    fr = ("Microsoft a annoncé investir 80 milliards de dollars. D'après le cabinet, les investissements dans ces "
          "infrastructures pourraient s'élever à 6 700 milliards de dollars d'ici 2030.")
    assert investments(fr, "fr") == [("Microsoft", 80e9), (None, 6.7e12)]
    # a name among those words keeps the figure its own
    fr = ("Microsoft a annoncé investir 80 milliards de dollars. Les investissements mondiaux de Microsoft dans "
          "les centres de calcul ont atteint 61 milliards de dollars.")
    assert investments(fr, "fr") == [("Microsoft", 80e9), ("Microsoft", 61e9)]


def test_a_count_whose_chips_go_unsaid_counts_the_chips_named_before(extractor: ClaimExtractor) -> None:
    """« Amazon et Google en ont respectivement acquis 196 000 et 169 000 », "…, while Meta bought
    224,000": the chips of the GPU count just before; a bare count with no chips before stays none."""
    def gpus(text: str, lang: str) -> list[tuple[str | None, float | None]]:
        return [(c.subject, c.value_low) for c in extractor.extract(text, lang, published=_DAY) if c.metric == "gpu_count"]

    fr = "Microsoft a acheté 485 000 puces Hopper en 2024. Amazon et Google en ont respectivement acquis 196 000 et 169 000."
    assert gpus(fr, "fr") == [("Microsoft", 485e3), ("Amazon", 196e3), ("Google", 169e3)]
    assert gpus("Microsoft bought 485,000 Hopper chips this year, while Meta bought 224,000.", "en") \
        == [("Microsoft", 485e3), ("Meta", 224e3)]
    assert gpus("Amazon et Google en ont respectivement acquis 196 000 et 169 000.", "fr") == []
    # a count grown to a new size: "(later expanded to 200,000)", "double in size to 200K (…)"
    assert gpus("Colossus has 100,000 Nvidia H100 GPUs (later expanded to 200,000).", "en") \
        == [("Colossus", 100e3), ("Colossus", 200e3)]
    assert gpus("Colossus has 100,000 Nvidia H100 GPUs. It will double in size to 200K in a few months.", "en") \
        == [("Colossus", 100e3), ("Colossus", 200e3)]
    assert gpus("Colossus compte 100 000 GPU H100, et sera porté à 200 000 d’ici la fin de l’année.", "fr") \
        == [("Colossus", 100e3), ("Colossus", 200e3)]
    # a count grown with no chips before it stays none
    assert gpus("Its staff will be expanded to 2,000 in a few months.", "en") == []


def test_investors_putting_money_into_a_named_company_fund_it(extractor: ClaimExtractor) -> None:
    """"Investors poured $2 billion into Thinking Machines Lab": the round of the company named
    after the figure; "… into AI startups" stays a sector's total."""
    def funding(text: str, lang: str) -> list[str | None]:
        return [c.subject for c in extractor.extract(text, lang, published=_DAY) if c.metric == "funding"]

    assert funding("Investors poured $2 billion into Thinking Machines Lab, Mira Murati's startup.", "en") \
        == ["Thinking Machines Lab"]
    assert funding("Investors poured $330 billion into AI startups over three years.", "en") == [None]


def test_the_name_before_an_investing_participle_invests(extractor: ClaimExtractor) -> None:
    """"Mistral AI closed a €1.7 billion round, with ASML investing €1.3 billion", « …, ASML
    apportant 1,3 milliard »: the participle's agent puts the money in, not the company raising."""
    def investments(text: str, lang: str) -> list[tuple[str | None, float | None]]:
        return [(c.subject, c.value_low) for c in extractor.extract(text, lang, published=_DAY)
                if c.metric == "investment"]

    assert investments("Mistral AI closed a €1.7 billion round, with ASML investing €1.3 billion.", "en") \
        == [("ASML", 1.3e9)]
    assert investments("OpenAI raised $40 billion, with SoftBank contributing $30 billion.", "en") \
        == [("SoftBank", 30e9)]
    assert investments("Mistral AI a levé 1,7 milliard d'euros, ASML apportant 1,3 milliard.", "fr") \
        == [("ASML", 1.3e9)]


def test_money_taken_in_is_revenue(extractor: ClaimExtractor) -> None:
    """"Nvidia took in $35.1 billion during the quarter", « Nvidia a engrangé 35 milliards de
    dollars »: sales, not a round nor an investment (registry cues of ``revenue``)."""
    assert [(c.metric, c.subject) for c in extractor.extract(
        "Nvidia took in $35.1 billion during the quarter.", "en", published=_DAY)] == [("revenue", "Nvidia")]
    assert [(c.metric, c.subject) for c in extractor.extract(
        "Nvidia a engrangé 35 milliards de dollars au dernier trimestre.", "fr", published=_DAY)] == [("revenue", "Nvidia")]


def test_the_company_after_a_model_is_the_company_the_article_is_about(extractor: ClaimExtractor) -> None:
    """"… trained GPT-3 175B in under 11 minutes. The company reported a net loss of $863 million"
    under a headline on CoreWeave: "the company" is never the model just named but the article's
    organisation."""
    def losses(title: str, text: str, lang: str) -> list[str | None]:
        return [c.subject for c in extractor.extract(text, lang, published=_DAY, title=title) if c.metric == "other"]

    assert losses("CoreWeave files for IPO", "The supercomputer trained GPT-3 175B in under 11 minutes. The company "
                  "reported a net loss of $863 million in 2024.", "en") == ["CoreWeave"]
    assert losses("CoreWeave dépose son dossier d'introduction en Bourse", "Le supercalculateur a entraîné GPT-3 175B "
                  "en moins de 11 minutes. La société a déclaré une perte nette de 863 millions de dollars en 2024.",
                  "fr") == ["CoreWeave"]


def test_a_sites_funding_round_is_its_operators(extractor: ClaimExtractor) -> None:
    """"Colossus 2 is online. The launch follows an upsized $20 billion Series E round": a round is
    raised by the company that runs the site (Colossus is part of xAI); money put into a site
    stays the site's."""
    def subjects(text: str, lang: str, metric: str) -> list[str | None]:
        return [c.subject for c in extractor.extract(text, lang, published=_DAY) if c.metric == metric]

    assert subjects("Colossus 2 came online this week. The launch follows an upsized $20 billion Series E round.",
                    "en", "funding") == ["xAI"]
    assert subjects("Colossus 2 est entré en service cette semaine. Le lancement suit une levée de fonds de 20 "
                    "milliards de dollars.", "fr", "funding") == ["xAI"]
    assert subjects("Colossus 2 came online this week. Colossus will invest $5 billion in new turbines.", "en",
                    "investment") == ["Colossus"]


def test_la_start_up_split_by_the_parser_is_still_the_company(extractor: ClaimExtractor) -> None:
    """The French model splits « start-up » into three tokens: « La start-up, que Microsoft soutient
    …, a levé 600 millions d'euros » is the start-up's round, not that of the name in its clause."""
    text = "Mistral AI a été fondée en 2023. La start-up, que Microsoft soutient depuis l'an dernier, a levé 600 millions d'euros."
    assert [c.subject for c in extractor.extract(text, "fr", published=_DAY) if c.metric == "funding"] == ["Mistral AI"]


def test_a_price_or_size_that_names_no_model_is_the_headline_model_s(extractor: ClaimExtractor) -> None:
    """Under "GPT-4.5 : un modèle de transition avant la vraie révolution ?", a price after a word
    on GPT-5 is GPT-4.5's: the one model the headline names, before the last one named."""
    def subjects(title: str, text: str, lang: str, metric: str) -> list[str | None]:
        return [c.subject for c in extractor.extract(text, lang, published=_DAY, title=title) if c.metric == metric]

    assert subjects("GPT-4.5 : un modèle de transition avant la vraie révolution ?",
                    "OpenAI prépare déjà GPT-5. Facturé 75 dollars par million de tokens en entrée, c'est très cher.",
                    "fr", "price") == ["GPT-4.5"]
    assert subjects("DeepSeek-R1: AI New Star", "DeepSeek V3 came first. Training a 1.5B model requires only 7GB of "
                    "GPU memory.", "en", "parameter_count") == ["DeepSeek R1"]
    # with no model in the headline, the last one named
    assert subjects("OpenAI's new pricing", "OpenAI prépare déjà GPT-5. Facturé 75 dollars par million de tokens en "
                    "entrée, c'est très cher.", "fr", "price") == ["GPT-5"]


def test_a_name_in_the_speaker_phrase_after_the_figure_is_not_its_subject(extractor: ClaimExtractor) -> None:
    """« Meta a proposé plus de 100 millions de dollars de salaire par an, a ajouté le directeur
    général d'OpenAI »: OpenAI's chief says it; the offer is Meta's."""
    def subjects(text: str, lang: str) -> list[str | None]:
        return [c.subject for c in extractor.extract(text, lang, published=_DAY)]

    assert subjects("Meta a offert des primes aux ingénieurs. L'empire des réseaux sociaux a proposé plus de 100 "
                    "millions de dollars de salaires par an à chacun, a ajouté le directeur général d’OpenAI.", "fr") \
        == ["Meta"]
    assert subjects("Meta offered bonuses to engineers. The social media empire offered more than $100 million in "
                    "pay packages a year to each of them, added the chief executive of OpenAI.", "en") == ["Meta"]
