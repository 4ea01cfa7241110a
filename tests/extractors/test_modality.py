"""Modality, speaker and sign of claims, through the real extractor (extractors/modality.py).

Each kind of modality has ten sentences or more per language, written for this test (real
figures, our own wording) and never used to train the model (train/data/modality.jsonl holds
other sentences); at least nine in ten must come out right, per kind and language.
"""

from __future__ import annotations

import datetime

import pytest

from extractors.claims import MODALITIES, Claim, ClaimExtractor
from extractors.modality import negate

PUBLISHED = datetime.date(2025, 6, 2)
SHARE = 0.9

MODALITY_CASES: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("en", "denied"): [
        ("Meta denied spending $10 billion on a single GPU order.", "$10 billion"),
        ("Anthropic has not raised $5 billion this month, the company said.", "$5 billion"),
        ("Microsoft never planned to spend $100 billion on Stargate, Satya Nadella said.", "$100 billion"),
        ("xAI raised $6 billion, not $10 billion as some outlets wrote.", "$10 billion"),
        ("Nvidia dismissed a report that it had sold 2 million Blackwell GPUs to Meta.", "2 million"),
        ("Google rejected claims that Gemini Ultra cost $500 million to train.", "$500 million"),
        ("Mistral said it did not receive €2 billion from Microsoft.", "€2 billion"),
        ("OpenAI's training cluster does not contain 500,000 GPUs.", "500,000"),
        ("Amazon denied that it would invest $25 billion in Anthropic.", "$25 billion"),
        ("SoftBank put in $30 billion rather than the $40 billion initially announced.", "$40 billion"),
        ("DeepSeek never used 50,000 H100 GPUs, its founder insisted.", "50,000"),
    ],
    ("en", "hypothetical"): [
        ("If Meta bought 1 million Blackwell chips, it would pay about $40 billion.", "$40 billion"),
        ("At $40,000 each, 350,000 GPUs would cost Meta $14 billion.", "$14 billion"),
        ("OpenAI would need $300 billion in compute if demand keeps doubling.", "$300 billion"),
        ("Assuming $3 million per rack, xAI's Colossus expansion works out to $6 billion.", "$6 billion"),
        ("If the deal goes through, Microsoft would own chips worth $20 billion.", "$20 billion"),
        ("Unless prices drop, Google would spend $90 billion on servers next year.", "$90 billion"),
        ("At $25,000 per GPU, Amazon's order of 400,000 chips would come to $10 billion.", "$10 billion"),
        ("Should Anthropic win the contract, it would receive $15 billion from the government.", "$15 billion"),
        ("If xAI doubled Colossus again, it would run 400,000 GPUs.", "400,000"),
        ("In theory, Nvidia could ship 10 million GPUs a year if TSMC had the capacity.", "10 million"),
        ("If OpenAI raised prices, ChatGPT would earn $20 billion a year.", "$20 billion"),
    ],
    ("en", "plan"): [
        ("Amazon plans to spend $100 billion on data centers in 2025.", "$100 billion"),
        ("Meta will bring 1.3 million GPUs online by the end of the year.", "1.3 million"),
        ("Microsoft aims to spend $80 billion on AI data centers.", "$80 billion"),
        ("xAI expects to raise $12 billion in its next round.", "$12 billion"),
        ("Nvidia projected revenue of $54 billion for the third quarter.", "$54 billion"),
        ("Oracle intends to buy $40 billion of Nvidia chips for Stargate.", "$40 billion"),
        ("Google targets $75 billion in capital expenditures this year.", "$75 billion"),
        ("Anthropic is set to receive $4 billion from Amazon next year.", "$4 billion"),
        ("OpenAI hopes to reach $100 billion in revenue by 2028.", "$100 billion"),
        ("Mistral wants to deploy 18,000 GPUs in France.", "18,000"),
        ("Apple pledged to invest $500 billion in the US over four years.", "$500 billion"),
    ],
    ("en", "reported"): [
        ("According to Bloomberg, Meta bought 600,000 GPUs last year.", "600,000"),
        ("OpenAI reportedly spent $7 billion on compute in 2024.", "$7 billion"),
        ("People familiar with the talks said xAI was valued at $80 billion.", "$80 billion"),
        ("DeepSeek claims its R1 model cost $6 million to train.", "$6 million"),
        ("The Wall Street Journal reported that Microsoft invested $10 billion in OpenAI.", "$10 billion"),
        ("Anthropic is said to be raising $3.5 billion.", "$3.5 billion"),
        ("Sources say Google paid $2.7 billion to license Character.AI.", "$2.7 billion"),
        ("Per The Information, Anthropic's revenue reached $1 billion.", "$1 billion"),
        ("Musk insists that Colossus already holds 200,000 GPUs.", "200,000"),
        ("Safe Superintelligence is reported to be valued at $32 billion.", "$32 billion"),
        ("Analysts quoted by Reuters said Nvidia shipped 3.7 million GPUs.", "3.7 million"),
    ],
    ("en", "stated"): [
        ("Nvidia posted revenue of $35.1 billion for the quarter.", "$35.1 billion"),
        ("Anthropic raised $13 billion in a round led by Iconiq.", "$13 billion"),
        ("Meta trained Llama 3.1 on 16,000 H100 GPUs.", "16,000"),
        ("Microsoft spent $88 billion on capital expenditures in fiscal 2025.", "$88 billion"),
        ("Mistral is valued at €11.7 billion after the round.", "€11.7 billion"),
        ("xAI's Colossus cluster houses 200,000 GPUs.", "200,000"),
        ("Amazon invested another $4 billion in Anthropic in November.", "$4 billion"),
        ("Intel lost $30 billion in market value on Friday.", "$30 billion"),
        ("Google bought 100,000 TPUs from Broadcom last year.", "100,000"),
        ("Even if demand slows, Nvidia sold 1 million H20 chips.", "1 million"),
        ("Meta raised $29 billion for its Louisiana data center.", "$29 billion"),
    ],
    ("fr", "denied"): [
        ("Meta n'a pas dépensé 10 milliards de dollars pour une seule commande.", "10 milliards"),
        ("Anthropic a démenti avoir levé 5 milliards de dollars ce mois-ci.", "5 milliards"),
        ("xAI n'exploite pas 300 000 GPU à Memphis, contrairement aux rumeurs.", "300 000"),
        ("OpenAI a levé 6,6 milliards de dollars, et non 10 milliards de dollars comme écrit.", "10 milliards"),
        ("Nvidia dément avoir vendu 2 millions de GPU Blackwell à Meta.", "2 millions"),
        ("Google nie que Gemini ait coûté 500 millions de dollars.", "500 millions"),
        ("Mistral n'a jamais reçu 2 milliards d'euros de Microsoft.", "2 milliards"),
        ("Amazon n'investira jamais 25 milliards de dollars dans Anthropic.", "25 milliards"),
        ("SoftBank a versé 30 milliards de dollars plutôt que les 40 milliards de dollars initialement annoncés.",
         "40 milliards"),
        ("DeepSeek conteste avoir utilisé 50 000 puces H100.", "50 000"),
        ("Microsoft n'a pas consacré 100 milliards de dollars à Stargate.", "100 milliards"),
    ],
    ("fr", "hypothetical"): [
        ("Si Meta achetait un million de puces Blackwell, la facture de Meta dépasserait 40 milliards de dollars.",
         "40 milliards"),
        ("À 40 000 dollars pièce, Meta dépense 14 milliards de dollars pour 350 000 GPU.", "14 milliards"),
        ("OpenAI aurait besoin de 300 milliards de dollars si la demande doublait encore.", "300 milliards"),
        ("En supposant 3 millions de dollars par baie, l'extension de Colossus coûterait 6 milliards de dollars.",
         "6 milliards"),
        ("Si l'accord aboutit, Microsoft détiendrait des puces pour 20 milliards de dollars.", "20 milliards"),
        ("Si les prix ne baissent pas, Google dépenserait 90 milliards de dollars l'an prochain.", "90 milliards"),
        ("À 25 000 dollars le GPU, la commande d'Amazon atteindrait 10 milliards de dollars.", "10 milliards"),
        ("Si Anthropic remportait le contrat, elle recevrait 15 milliards de dollars de l'État.", "15 milliards"),
        ("Si xAI doublait encore Colossus, le cluster compterait 400 000 GPU.", "400 000"),
        ("Dans l'hypothèse d'une pénurie, Nvidia ne livrerait que 2 millions de GPU.", "2 millions"),
        ("S'il fallait équiper 1 million de GPU, xAI dépenserait 30 milliards de dollars.", "30 milliards"),
    ],
    ("fr", "plan"): [
        ("Amazon prévoit de dépenser 100 milliards de dollars en 2025.", "100 milliards"),
        ("Meta disposera de 1,3 million de GPU d'ici la fin de l'année.", "1,3 million"),
        ("Microsoft ambitionne d'investir 80 milliards de dollars dans l'IA.", "80 milliards"),
        ("xAI compte lever 12 milliards de dollars lors de son prochain tour.", "12 milliards"),
        ("Nvidia anticipe un chiffre d'affaires de 54 milliards de dollars au troisième trimestre.", "54 milliards"),
        ("Oracle veut acheter pour 40 milliards de dollars de puces Nvidia.", "40 milliards"),
        ("Google vise 75 milliards de dollars d'investissements cette année.", "75 milliards"),
        ("Anthropic devrait recevoir 4 milliards de dollars d'Amazon l'an prochain.", "4 milliards"),
        ("OpenAI table sur 100 milliards de dollars de revenus en 2028.", "100 milliards"),
        ("Mistral envisage d'installer 40 000 GPU dans l'Essonne.", "40 000"),
        ("Apple s'est engagé à investir 500 milliards de dollars aux États-Unis.", "500 milliards"),
    ],
    ("fr", "reported"): [
        ("Selon Bloomberg, Meta aurait acheté 600 000 GPU l'an dernier.", "600 000"),
        ("OpenAI aurait dépensé 7 milliards de dollars en calcul en 2024.", "7 milliards"),
        ("xAI serait valorisée 80 milliards de dollars, selon des sources proches du dossier.", "80 milliards"),
        ("DeepSeek affirme que R1 a coûté 6 millions de dollars.", "6 millions"),
        ("D'après le Wall Street Journal, Microsoft a investi 10 milliards de dollars dans OpenAI.", "10 milliards"),
        ("Anthropic lèverait 3,5 milliards de dollars.", "3,5 milliards"),
        ("Google aurait payé 2,7 milliards de dollars pour Character.AI, selon The Information.", "2,7 milliards"),
        ("Le chiffre d'affaires d'Anthropic atteindrait 1 milliard de dollars.", "1 milliard"),
        ("Elon Musk assure que Colossus abrite déjà 200 000 GPU.", "200 000"),
        ("Safe Superintelligence vaudrait 32 milliards de dollars.", "32 milliards"),
        ("Selon Reuters, Nvidia a livré 3,7 millions de GPU.", "3,7 millions"),
    ],
    ("fr", "stated"): [
        ("Nvidia a publié un chiffre d'affaires de 35,1 milliards de dollars au trimestre.", "35,1 milliards"),
        ("Anthropic a levé 13 milliards de dollars lors d'un tour mené par Iconiq.", "13 milliards"),
        ("Meta a entraîné Llama 3.1 sur 16 000 GPU H100.", "16 000"),
        ("Microsoft a dépensé 88 milliards de dollars en investissements sur l'exercice 2025.", "88 milliards"),
        ("Mistral est valorisée 11,7 milliards d'euros après ce tour.", "11,7 milliards"),
        ("Le cluster Colossus de xAI abrite 200 000 GPU.", "200 000"),
        ("Amazon a investi 4 milliards de dollars supplémentaires dans Anthropic en novembre.", "4 milliards"),
        ("Intel a perdu 30 milliards de dollars de valeur boursière vendredi.", "30 milliards"),
        ("Google a acheté 100 000 TPU à Broadcom l'an dernier.", "100 000"),
        ("Même si la demande ralentit, Nvidia a vendu 1 million de puces H20.", "1 million"),
        ("Mistral n'a levé que 600 millions d'euros en juin.", "600 millions"),
    ],
}

SPEAKER_CASES: dict[str, list[tuple[str, str, str | None]]] = {
    "en": [
        ("Google operates 1 million TPUs in its data centers, Sundar Pichai said.", "1 million", "Sundar Pichai"),
        ("According to the Financial Times, Anthropic raised $13 billion.", "$13 billion", "Financial Times"),
        ("Satya Nadella said Microsoft would spend $80 billion on AI data centers.", "$80 billion", "Satya Nadella"),
        ('"xAI will have 1 million GPUs in Memphis," said Elon Musk.', "1 million", "Elon Musk"),
        ("Mark Zuckerberg joined the call. He said Meta would end the year with 1.3 million GPUs.", "1.3 million",
         "Mark Zuckerberg"),
        ("Per Bloomberg, OpenAI spent $7 billion on compute.", "$7 billion", "Bloomberg"),
        ("Amazon said it would invest $100 billion in data centers this year.", "$100 billion", "Amazon"),
        ("Meta raised $29 billion for its Louisiana data center.", "$29 billion", None),
        ("Sam Altman told reporters that OpenAI expects $12.7 billion in revenue this year.", "$12.7 billion",
         "Sam Altman"),
        ("Reuters reported that SoftBank invested $30 billion in OpenAI.", "$30 billion", "Reuters"),
        ("Jensen Huang spoke on Monday. Nvidia will ship 2 million Blackwell GPUs, Huang said.", "2 million",
         "Jensen Huang"),
    ],
    "fr": [
        ("Nvidia a vendu 3 millions de GPU Hopper l'an dernier, a déclaré Jensen Huang.", "3 millions", "Jensen Huang"),
        ("Selon Reuters, Mistral a levé 1,7 milliard d'euros.", "1,7 milliard", "Reuters"),
        ("Satya Nadella a indiqué que Microsoft dépenserait 80 milliards de dollars.", "80 milliards", "Satya Nadella"),
        ("« xAI aura 1 million de GPU à Memphis », a affirmé Elon Musk.", "1 million", "Elon Musk"),
        ("Mark Zuckerberg était en visioconférence. Il a précisé que Meta finirait l'année avec 1,3 million de GPU.",
         "1,3 million", "Mark Zuckerberg"),
        ("D'après le Financial Times, OpenAI a dépensé 7 milliards de dollars en calcul.", "7 milliards",
         "Financial Times"),
        ("Amazon a annoncé un investissement de 100 milliards de dollars.", "100 milliards", "Amazon"),
        ("Meta a levé 29 milliards de dollars pour son centre de données en Louisiane.", "29 milliards", None),
        ("Sam Altman a expliqué qu'OpenAI visait 12,7 milliards de dollars de revenus.", "12,7 milliards", "Sam Altman"),
        ("Selon Bloomberg, SoftBank a investi 30 milliards de dollars dans OpenAI.", "30 milliards", "Bloomberg"),
        ("Jensen Huang était à Paris lundi. Nvidia livrera 2 millions de GPU Blackwell, a précisé Huang.", "2 millions",
         "Jensen Huang"),
    ],
}


def _claim_at(text: str, figure: str, claims: list[Claim]) -> Claim | None:
    start = text.index(figure)
    end = start + len(figure)
    return next((c for c in claims if c.start < end and start < c.end), None)


@pytest.mark.parametrize(("lang", "modality"), list(MODALITY_CASES))
def test_modality_nine_in_ten(extractor: ClaimExtractor, lang: str, modality: str) -> None:
    cases = MODALITY_CASES[(lang, modality)]
    assert modality in MODALITIES and len(cases) >= 10
    found = extractor.extract_many([(text, lang, PUBLISHED) for text, _ in cases])
    wrong = []
    for (text, figure), claims in zip(cases, found, strict=True):
        claim = _claim_at(text, figure, claims)
        if claim is None or claim.modality != modality:
            wrong.append(f"{text!r}: {claim.modality if claim else 'no claim'}")
    assert (len(cases) - len(wrong)) / len(cases) >= SHARE, "\n".join(wrong)


@pytest.mark.parametrize("lang", list(SPEAKER_CASES))
def test_speaker_nine_in_ten(extractor: ClaimExtractor, lang: str) -> None:
    cases = SPEAKER_CASES[lang]
    assert len(cases) >= 10
    found = extractor.extract_many([(text, lang, PUBLISHED) for text, _, _ in cases])
    wrong = []
    for (text, figure, speaker), claims in zip(cases, found, strict=True):
        claim = _claim_at(text, figure, claims)
        if claim is None or claim.speaker != speaker:
            wrong.append(f"{text!r}: {claim.speaker if claim else 'no claim'}")
    assert (len(cases) - len(wrong)) / len(cases) >= SHARE, "\n".join(wrong)


def _bare(low: float | None, high: float | None, hedge: str | None) -> Claim:
    return Claim(subject="Nvidia", metric="market_value_change", value_low=low, value_high=high, unit="USD",
                 qualifier=None, hedge=hedge, time=None, speaker=None, probability=None, sentence="", start=0,
                 end=0, lang="en")


@pytest.mark.parametrize(
    ("low", "high", "hedge", "expected"),
    [
        (600e9, 600e9, None, (-600e9, -600e9, None)),             # "lost $600 billion"
        (600e9, 600e9, "approx", (-600e9, -600e9, "approx")),     # "lost about $600 billion"
        (None, 600e9, "at_most", (-600e9, 0.0, "range")),         # "lost up to $600 billion": nothing to 600
        (600e9, None, "at_least", (None, -600e9, "at_most")),     # "lost more than $600 billion"
        (500e9, 600e9, "range", (-600e9, -500e9, "range")),       # "lost $500 to $600 billion"
    ],
)
def test_a_fall_mirrors_the_interval(low: float | None, high: float | None, hedge: str | None,
                                     expected: tuple[float | None, float | None, str | None]) -> None:
    c = negate(_bare(low, high, hedge))
    assert (c.value_low, c.value_high, c.hedge) == expected


@pytest.mark.parametrize(
    ("text", "lang", "metric", "expected"),
    [
        ("Nvidia lost up to $600 billion in market value on Monday.", "en", "market_value_change", (-600e9, 0.0)),
        ("Nvidia lost $600 billion in market value on Monday.", "en", "market_value_change", (-600e9, -600e9)),
        ("Nvidia's slide obliterated $600 billion of its market value on Monday.", "en", "market_value_change",
         (-600e9, -600e9)),
        ("Meta added $200 billion in market value as its shares jumped.", "en", "market_value_change", (200e9, 200e9)),
        ("Intel cut its capital spending by $5 billion this year.", "en", "investment", (-5e9, -5e9)),
        ("La capitalisation de Nvidia a fondu de 593 milliards de dollars.", "fr", "market_value_change",
         (-593e9, -593e9)),
        ("Le chiffre d'affaires d'Intel a reculé de 2 milliards de dollars.", "fr", "revenue", (-2e9, -2e9)),
        ("Le chiffre d'affaires d'Intel a reculé à 12 milliards de dollars.", "fr", "revenue", (12e9, 12e9)),
        ("Intel's revenue fell to $12 billion in the quarter.", "en", "revenue", (12e9, 12e9)),
        ("Meta's capital expenditure dipped by $3 billion in the quarter.", "en", "investment", (-3e9, -3e9)),
        ("Les investissements de Meta se sont repliés de 3 milliards de dollars.", "fr", "investment", (-3e9, -3e9)),
        ("OpenAI brûle du cash. Plus de douze milliards de dollars envolés en trois mois.", "fr", "other",
         (None, -12e9)),
    ],
)
def test_the_sign_of_a_change(extractor: ClaimExtractor, text: str, lang: str, metric: str,
                              expected: tuple[float, float]) -> None:
    claims = [c for c in extractor.extract(text, lang) if c.metric == metric]
    assert [(c.value_low, c.value_high) for c in claims] == [expected]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("xAI raised $6 billion in December, while OpenAI denied reports that it had raised $10 billion.", "en",
         ["stated", "denied"]),
        ("Meta spent $39 billion last year and plans to spend $65 billion in 2025.", "en", ["stated", "plan"]),
        ("If the round closes, Anthropic would be worth $350 billion. Anthropic raised $13 billion in September.", "en",
         ["hypothetical", "stated"]),
        ("Selon Bloomberg, xAI lèverait 6 milliards de dollars. Meta a dépensé 39 milliards de dollars l'an dernier.",
         "fr", ["reported", "stated"]),
        ("Nvidia a vendu 3 millions de GPU, mais n'a pas livré 5 millions de puces Blackwell.", "fr",
         ["stated", "denied"]),
    ],
)
def test_a_cue_in_another_clause_does_not_leak(extractor: ClaimExtractor, text: str, lang: str,
                                               expected: list[str]) -> None:
    assert [c.modality for c in extractor.extract(text, lang)] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Meta's chief AI scientist Yann LeCun says human-level AI is not before 2032 at the earliest.", "en"),
        ("He puts AGI no earlier than 2040.", "en"),
        ("Meta runs no fewer than 600,000 GPUs.", "en"),
        ("xAI exploite pas moins de 200 000 GPU à Memphis.", "fr"),
        ("xAI n'a que 100 000 GPU à Memphis.", "fr"),
    ],
)
def test_a_bound_or_only_is_not_a_denial(extractor: ClaimExtractor, text: str, lang: str) -> None:
    claims = extractor.extract(text, lang, published=PUBLISHED)
    assert claims and all(c.modality != "denied" for c in claims)


@pytest.mark.parametrize(("text", "lang"), [
    ("SoftBank mène le tour de table d'OpenAI. Le conglomérat japonais a déclaré qu’il apporterait 10 milliards de dollars en avril.", "fr"),
    ("SoftBank leads OpenAI's round. The conglomerate said it would invest $10 billion in April.", "en"),
])
def test_a_company_called_by_a_descriptive_noun_speaks_for_itself(extractor: ClaimExtractor, text: str, lang: str) -> None:
    [claim] = extractor.extract(text, lang, published=PUBLISHED)
    assert (claim.subject, claim.speaker, claim.modality) == ("SoftBank", "SoftBank", "plan")


@pytest.mark.parametrize(("text", "lang", "speaker"), [
    ("Alphabet, Amazon, Apple, Meta and Microsoft posted $128 billion in net income, as Barron's has noted.", "en",
     "Barron's"),
    ("Nvidia sold $30 billion of chips, as the Wall Street Journal reported.", "en", "Wall Street Journal"),
    ("Nvidia a perdu 589 milliards de dollars en une séance, comme l'a rapporté Bloomberg.", "fr", "Bloomberg"),
])
def test_an_attribution_closing_the_sentence_names_the_speaker(
        extractor: ClaimExtractor, text: str, lang: str, speaker: str) -> None:
    [claim] = extractor.extract(text, lang, published=PUBLISHED)
    assert (claim.speaker, claim.modality) == (speaker, "reported")


@pytest.mark.parametrize(("text", "speaker"), [
    ("Anthropic raised another $300 million in its latest round, The Verge reported.", "The Verge"),
    ("Google previously invested $400 million in Anthropic, per the Korea Herald.", "Korea Herald"),
])
def test_a_source_the_table_lacks_is_named_after_its_verb_or_per_the(
        extractor: ClaimExtractor, text: str, speaker: str) -> None:
    """A name no table or NER knows is the speaker where it cannot be a capitalised first word:
    after its verb, or after "per the"."""
    [claim] = extractor.extract(text, "en", published=PUBLISHED)
    assert (claim.speaker, claim.modality) == (speaker, "reported")


def test_a_capitalised_first_word_is_not_taken_for_a_source(extractor: ClaimExtractor) -> None:
    [claim] = extractor.extract("Analysts said Nvidia sold $30 billion of chips last year.", "en", published=PUBLISHED)
    assert claim.speaker is None


@pytest.mark.parametrize(("text", "lang"), [
    ("Ce projet pharaonique, validé par Emmanuel Macron, représente un investissement initial de 10 milliards "
     "d’euros pour Fluidstack.", "fr"),
    ("The Abilene campus, a project of Crusoe, represents an investment of $15 billion.", "en"),
])
def test_the_investment_of_a_project_to_be_built_is_a_plan_in_the_present_tense_too(
        extractor: ClaimExtractor, text: str, lang: str) -> None:
    """No plan word reaches the figure, but a project's investment is money still to be spent;
    an investment made is not ("Microsoft invested $10 billion in OpenAI in 2023")."""
    [claim] = extractor.extract(text, lang, published=PUBLISHED)
    assert (claim.metric, claim.modality) == ("investment", "plan")
    [made] = extractor.extract("Microsoft invested $10 billion in OpenAI in 2023.", "en", published=PUBLISHED)
    assert made.modality == "stated"


@pytest.mark.parametrize(("text", "lang"), [
    ("Groq is in talks to raise $600 million at a valuation of around $6 billion.", "en"),
    ("Surge AI is negotiating a $1 billion funding round.", "en"),
    ("Mistral AI est en discussions pour lever 600 millions d'euros.", "fr"),
    ("Mistral AI négocie une levée de 600 millions d'euros.", "fr"),
])
def test_a_round_still_in_talks_is_reported_not_stated(extractor: ClaimExtractor, text: str, lang: str) -> None:
    """The gold's convention: a round being negotiated is unverified, not a plan and not a fact."""
    assert {c.modality for c in extractor.extract(text, lang, published=PUBLISHED)} == {"reported"}


@pytest.mark.parametrize(
    ("text", "lang", "speaker"),
    [
        ("Google previously invested $400 million in Anthropic and took a 10% stake, per the Financial Times.",
         "en", "Financial Times"),
        ("xAI is discussing a valuation of $15 billion to $20 billion, though terms could still change, "
         "Bloomberg reported, citing people familiar with the matter.", "en", "Bloomberg"),
        ("Google a investi 400 millions de dollars dans Anthropic et a pris 10 % du capital, selon le Financial Times.",
         "fr", "Financial Times"),
    ],
)
def test_an_attribution_closing_the_sentence_names_every_figure_s_speaker(
        extractor: ClaimExtractor, text: str, lang: str, speaker: str) -> None:
    """", per the Financial Times.", ", Bloomberg reported, citing …", « , selon le Financial Times. »
    at the end of a sentence attribute its figures whichever clause they stand in."""
    claims = extractor.extract(text, lang, published=PUBLISHED)
    assert claims and all(c.speaker == speaker for c in claims), claims


@pytest.mark.parametrize(("text", "lang", "speaker"), [
    ("Nvidia planned to invest up to $2 billion in the round, as Bloomberg previously reported.", "en", "Bloomberg"),
    ("Google invested $400 million in Anthropic, per the Financial Times, and has a cloud deal with it.", "en",
     "Financial Times"),
    ("Nvidia prévoyait d'y investir jusqu'à 2 milliards de dollars, comme l'avait précédemment indiqué Bloomberg.",
     "fr", "Bloomberg"),
    ("OpenAI a levé 6,6 milliards de dollars, a confirmé CNBC.", "fr", "CNBC"),
])
def test_an_attribution_after_the_figure_with_an_adverb_or_more_to_come(
        extractor: ClaimExtractor, text: str, lang: str, speaker: str) -> None:
    """"as Bloomberg previously reported", ", per the FT, and …", « comme l'avait précédemment
    indiqué Bloomberg », « , a confirmé CNBC »."""
    claims = extractor.extract(text, lang, published=PUBLISHED)
    assert claims and all(c.speaker == speaker for c in claims), claims


@pytest.mark.parametrize(("text", "speaker"), [
    ("OpenAI raised $6.6 billion, according to The Wall Street Journal.", "Wall Street Journal"),
    ("OpenAI raised $6.6 billion, the WSJ reported.", "Wall Street Journal"),
    ("Huang said Nvidia sold $30 billion of chips last quarter.", "Jensen Huang"),
    ("xAI does not have 200,000 GPUs, Musk said.", "Elon Musk"),
    ("The five companies posted $128 billion in net income, as Barron’s has noted.", "Barron’s"),
])
def test_a_source_has_one_name_however_it_is_spelt(extractor: ClaimExtractor, text: str, speaker: str) -> None:
    [claim] = extractor.extract(text, "en", published=PUBLISHED)
    assert claim.speaker == speaker


@pytest.mark.parametrize("text", [
    "People familiar with the matter told the Wall Street Journal that the deal will require 4.5 gigawatts.",
    "The company raised $1.1 billion, per The Wall Street Journal.",
    "Bloomberg's tally puts the round at $2 billion.",
])
def test_a_news_outlet_is_no_subject(extractor: ClaimExtractor, text: str) -> None:
    """What an outlet reports is about someone else; with no one else named there is no claim."""
    subjects = [c.subject or "" for c in extractor.extract(text, "en", published=PUBLISHED)]
    assert not any("Journal" in s or "Bloomberg" in s for s in subjects), subjects


@pytest.mark.parametrize(("text", "lang", "speaker"), [
    ("According to Bloomberg, GIC and Koto each intend to contribute an initial $1.5 billion.", "en", "Bloomberg"),
    ("Dans son rapport, DeepSeek indique que le coût total de la formation s'élève à 5,576 millions de dollars.", "fr",
     "DeepSeek"),
    ("Les ventes ont bondi de 171 % en un an, a déclaré le patron de l’entreprise Jensen Huang, pour dépasser "
     "les 10 milliards de dollars sur le trimestre.", "fr", "Jensen Huang"),
])
def test_a_speaker_the_parser_misplaces(extractor: ClaimExtractor, text: str, lang: str, speaker: str) -> None:
    """The attribution's own name, not the names the parser coordinates with it; a name read as an
    indirect object before its speech verb; an inverted speaker after a subject the parser invented."""
    claims = [c for c in extractor.extract(text, lang, published=PUBLISHED) if c.unit != "%"]
    assert claims and all(c.speaker == speaker for c in claims), claims


@pytest.mark.parametrize("text", ["Poolside est en passe de lever 2 milliards de dollars.",
                                  "Poolside est sur le point de lever 2 milliards de dollars."])
def test_a_raise_about_to_happen_is_a_plan(extractor: ClaimExtractor, text: str) -> None:
    """« en passe de », « sur le point de » are "poised to": the money is not raised yet."""
    [claim] = extractor.extract(text, "fr", published=PUBLISHED)
    assert claim.modality == "plan"


@pytest.mark.parametrize(("text", "lang"), [
    ("Grok 2 apparently made do with 15,000 H100 chips for training.", "en"),
    ("xAI characterized Grok 4 as approximately 1.7 trillion parameters.", "en"),
    ("Reports indicate GPT-4 has a total of 1.7 trillion parameters.", "en"),
    ("Grok 2 a apparemment été entraîné sur 15 000 puces H100.", "fr"),
    ("Mistral AI a officialisé une levée record de 1,7 milliard d’euros.", "fr"),
])
def test_apparently_characterised_or_made_official_is_reported(extractor: ClaimExtractor, text: str, lang: str) -> None:
    """"apparently", "reports indicate", "characterized … as", « apparemment », « a officialisé »:
    the figure is someone's account, not the writer's own statement."""
    [claim] = extractor.extract(text, lang, published=PUBLISHED)
    assert claim.modality == "reported"


@pytest.mark.parametrize(("text", "lang", "modality"), [
    ("Microsoft : 80 milliards de dollars de capex en 2026.", "fr", "plan"),
    ("Meta: $65 billion of capex in 2026.", "en", "plan"),
    ("Nvidia's revenue reaches $200 billion in 2026.", "en", "plan"),
    ("Microsoft : 80 milliards de dollars de capex en 2024.", "fr", "stated"),
])
def test_a_figure_of_a_year_to_come_is_a_plan(extractor: ClaimExtractor, text: str, lang: str, modality: str) -> None:
    """A figure dated after the article ("$65 billion of capex in 2026" written in 2025) is a
    budget or a forecast, whatever the tense; one of a year gone by is stated."""
    [claim] = extractor.extract(text, lang, published=PUBLISHED)
    assert claim.modality == modality


@pytest.mark.parametrize(("text", "lang"), [
    ("Meta bought 350,000 H100s. With each H100 unit priced at around $30,000, the total cost for the GPUs alone "
     "is estimated to be about $10.5 billion.", "en"),
    ("Meta a acheté 350 000 H100. Chaque H100 coûte environ 30 000 $, portant le coût total estimé à "
     "10,5 milliards de dollars.", "fr"),
])
def test_a_total_computed_from_a_unit_price_is_hypothetical(extractor: ClaimExtractor, text: str, lang: str) -> None:
    """The total worked out from an assumed unit price is an illustrative computation; the unit
    price it starts from, and the count, stay stated."""
    got = {c.metric: c.modality for c in extractor.extract(text, lang, published=PUBLISHED)}
    assert got == {"gpu_count": "stated", "price": "stated", "cost": "hypothetical"}


@pytest.mark.parametrize(("text", "lang"), [
    ("Elon Musk has said a report that his company, xAI, has secured $500 million in commitments from investors "
     "is inaccurate.", "en"),
    ("Musk a affirmé que l'information selon laquelle xAI aurait levé 500 millions de dollars est fausse.", "fr"),
])
def test_a_figure_in_a_report_said_to_be_false_is_denied(extractor: ClaimExtractor, text: str, lang: str) -> None:
    """The figure sits inside the report; the verdict ("is inaccurate", « est fausse ») comes after
    it, outside the figure's clause."""
    [claim] = extractor.extract(text, lang, published=PUBLISHED)
    assert (claim.subject, claim.modality) == ("xAI", "denied")
