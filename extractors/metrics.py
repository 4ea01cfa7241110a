"""What a figure measures: cue words around a quantity decide its metric.

Money is typed by the cue word nearest to the figure in its sentence (``valeur boursière`` →
market_value_change, ``lève`` → funding, ``l'unité`` → price …). A money figure with no cue
takes the metric of the money figure before it in the same or previous sentence (``Meta annonce
65 milliards pour ses infrastructures. Microsoft 80 milliards``).
"""

from __future__ import annotations

import re

_MONEY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Earnings lines that are neither sales nor spending: profit, per-share figures, charges,
    # buybacks, dividends. Listed first so that "rachat d'actions" is not an acquisition.
    ("other", re.compile(
        r"\b(?:bénéfices?(?: net)?|résultat net|perte nette|net (?:income|profit|loss)|(?:operating |gross )?(?<!-)profits?|"
        r"par action|per share|EPS|rachats? d['’]actions|(?:share )?buybacks?|(?:share )?repurchases?|dividendes?|"
        r"dividends?|(?:une|a) charge|dépréciations?|write-?downs?|impairments?)\b", re.IGNORECASE)),
    ("price", re.compile(
        r"\b(?:l['’]unité|par unité|l['’]exemplaire|pièce|prix unitaire|par (?:puce|GPU|carte|mois|an|utilisateur)|"
        r"each|apiece|per (?:unit|chip|GPU|card|month|year|user|seat|million tokens|hour)|a (?:unit|chip|month|piece)|"
        r"unit price|priced at|sells? for|retail|list price|prix de vente|vendu|coûte chacun|costs? about .{0,20} each|"
        r"abonnement|subscription|de l['’]heure|par heure|(?:l['’])?heure de|an hour|per GPU-hour|GPU-hour|"
        r"se négocie|s['’]échange|se vend|se monnaye|goes for|trades? (?:at|for)|factur(?:e|ent) (?:son|sa|ses|le|la|les)|"
        r"charges? (?:for|about)|rent(?:s|ed|al)?|locations?|en location|loué)\b", re.IGNORECASE)),
    ("market_value_change", re.compile(
        r"\b(?:valeur boursière|capitalisation(?: boursière)?|market (?:value|cap|capitalization|capitalisation)|"
        r"wip\w*|shed\w*|eras\w*|lost|los(?:e|es|ing)|perdu|perdre|perd|effacé|in (?:market )?value|s['’]est envolée?|gained|added .{0,10} in (?:market )?value|"
        r"en bourse|stock market value|share price)\b", re.IGNORECASE)),
    ("valuation", re.compile(
        r"\b(?:valoris\w*|valued|valuation|valuing|values?|value of the company|worth(?! of)|va(?:ut|lait|lent|udrait)|pès\w*|pes(?:ait|ant|er)|weighs?)\b",
        re.IGNORECASE)),
    ("funding", re.compile(
        r"\b(?:l[eè]v\w*|levée de fonds|tour de (?:table|financement)|financement|raised?|raising|raises|funding|"
        r"round|series [A-F]|investors? (?:poured|put)|injecté|seed)\b", re.IGNORECASE)),
    ("revenue", re.compile(
        r"\b(?:chiffre d['’]affaires|revenus?|recettes|ventes|revenue|sales|annualized|annualised|ARR|turnover|"
        r"a généré|generated|earned|bookings)\b", re.IGNORECASE)),
    ("investment", re.compile(
        r"\b(?:invest\w*|capex|dépenses d['’]investissement|programme|program|projet|project|plan|"
        r"infrastructures?|centres? de données|data ?cent(?:er|re)s?|datacenters?|commit\w*|engag\w*|"
        r"spend(?:ing)?|plans to spend|will spend|pledg\w*|annonce|announced?|consacrer|mobilis\w*|allouer|budget|"
        r"buy|buying|purchas\w*|achet\w*|achat|capital expenditures?|capital projects?|stake|participation|ticket|"
        r"mett(?:re|ra|rait|ent)|met|put(?:s|ting)?|poured|pumped|injected|"
        r"acqui\w*|rachat|rachet\w*|prise de contrôle|takeover)\b",
        re.IGNORECASE)),
    ("cost", re.compile(
        r"\b(?:co[uû]t\w*|nécessit\w*|requis|required?|requir\w*|dépens\w*|spent|train\w*|entraîn\w*|"
        r"construire|construction|build(?:ing)?|bill|facture|price tag|a coûté|cost(?:s|ing)?)\b", re.IGNORECASE)),
)
_PRICE_AFTER = re.compile(
    r"^[\s,]*(?:per (?:million|thousand|1M|M) (?:\w+ )?tokens|par million de tokens|l['’]unité|pièce|chacune?|each|apiece|per (?:unit|chip|GPU|card|month|year|user)|a (?:unit|chip|month|piece)|"
    r"par (?:unité|puce|GPU|carte|mois|an))\b", re.IGNORECASE)
COMPUTE_CUE = re.compile(
    r"\b(?:calcul|puissance|compute|computing|FLOPs?|flops|performance|capacit\w*|capacity|training run|"
    r"entraînement|cluster|GPU|rapide|faster|speed)\b", re.IGNORECASE)
BUILD_CUE = re.compile(
    r"\b(?:constru\w*|bâti\w*|monté|assembl\w*|entraîn\w*|mis en (?:service|route)|built|assembled|trained|took|"
    r"constructed|set up|brought online|stood up|developed|développé|training|train|in just|en seulement|en tout juste|only)\b"
    r"[^.;]{0,60}$", re.IGNORECASE)
PLAN_CUE = re.compile(
    r"\b(?:ambitionn\w*|ambition\w*|veut|voulait|vise\w*|prévoi\w*|prévu\w*|compte|projett\w*|objectif|envisag\w*|"
    r"planifi\w*|promis|promet|souhait\w*|compter|disposer|déploiera|atteindre|volontés?|lorgne\w*|"
    r"wants?|plans?|planned|planning|aims?|aiming|targets?|intends?|goal|expects? to|will|would|pledged|"
    r"promised|hopes?|seeks?|ambitions?|envisions?|eyes|eyeing|d['’]ici|by 20\d\d)\b", re.IGNORECASE)
DEADLINE_CUE = re.compile(r"\b(?:d['’]ici(?: à)? (?:20\d\d|la fin)|by (?:the end of )?20\d\d)\b", re.IGNORECASE)


_CHANGE = re.compile(
    r"\b(?:wip\w*|shed\w*|eras\w*|lost|los(?:e|es|ing)|perdu|perd\w*|effac\w*|fondu|fond|chut\w*|gagn\w*|gained|gains?|"
    r"added|adds?|adding|jump\w*|soar\w*|plung\w*|tumbl\w*|sank|sink\w*|dropp?\w*|fell|fall\w*|rose|ris(?:e|es|ing)|"
    r"envol\w*|bondi\w*|recul\w*|évapor\w*|wiped|wipeout|s['’]est envolée?|in (?:a|one) day|en une séance)\b",
    re.IGNORECASE)
_OPEX = re.compile(r"^[^.;]{0,25}?\b(?:on|en|pour (?:la|le|les|l['’])?|dans (?:la|le|les|l['’])?)\s*(?:\w+\s+){0,2}"
                   r"(?:cloud|comput\w*|calcul|inference|inférence|training|entraînement|salaries|salaires|"
                   r"energy|électricité|electricity|rent\w*|location)", re.IGNORECASE)
_STAKE = re.compile(r"\b(?:stake|participation|prise de participation|equity|au capital)\b", re.IGNORECASE)
_UNIT_PRICE = re.compile(r"\b(?:each|apiece|l['’]unité|chacune?|par unité|per unit)\b", re.IGNORECASE)


# The noun an amount is "of" names what it measures, whatever verb governs the sentence:
# "41,1 milliards de dollars de ventes", "1,2 Md€ de financement", "$5bn in new funding",
# "66 milliards d'investissements", "26 milliards de bénéfice".
_NOUN_AFTER: tuple[tuple[str, re.Pattern[str]], ...] = tuple((metric, re.compile(
    r"^[\s,]*(?:de |d['’]|in |of |en )(?:new |nouveaux |nouvelles )?" + nouns + r"\b", re.IGNORECASE)) for metric, nouns in (
    ("revenue", r"(?:chiffre d['’]affaires|ventes|revenus?|recettes|sales|revenues?|bookings)"),
    ("funding", r"(?:levées? de fonds|financements?|fonds propres|dotations?|funding|financing|venture capital)"),
    ("investment", r"(?:investissements?|dépenses d['’]investissement|capex|capital expenditures?|capital spending)"),
    ("other", r"(?:bénéfices?|profits?|net income|pertes?|losses|dividendes?|dividends?)"),
))


def money_metric(sentence: str, fig_start: int, fig_end: int, names_chip: bool = False) -> str | None:
    """The money metric whose cue is nearest the figure (offsets relative to ``sentence``)."""
    if _PRICE_AFTER.match(sentence[fig_end:fig_end + 40]):
        return "price"
    after = sentence[fig_end:fig_end + 50]
    for metric, rx in _NOUN_AFTER:
        if rx.match(after):
            return metric
    if names_chip and _UNIT_PRICE.search(sentence):
        return "price"  # "each Blackwell B200 chip will cost between $30,000 and $40,000"
    best: tuple[float, int, str] | None = None
    for rank, (metric, rx) in enumerate(_MONEY_CUES):
        for m in rx.finditer(sentence):
            if m.start() < fig_end and fig_start < m.end():
                continue
            dist = fig_start - m.end() if m.end() <= fig_start else (m.start() - fig_end) * 1.5
            # Cues after the figure weigh less: French and English put the verb before the amount.
            key = (dist, rank, metric)
            if best is None or key < best:
                best = key
    if best is None or best[0] >= 120:
        return None
    if best[2] == "investment" and _OPEX.search(sentence[fig_end:fig_end + 60]):
        return "cost"  # "spend $13 billion on cloud computing": running costs, not capital spending
    if best[2] in ("cost", "investment") and _STAKE.search(sentence):
        return "investment"  # "spent $14.3 billion for a 49% stake in Scale AI"
    if best[2] == "market_value_change" and not _CHANGE.search(sentence[max(0, fig_start - 50):fig_end + 25]):
        return "valuation"  # "topped $4 trillion in market value", "pèse 260 Md€ en Bourse": a level
    return best[2]
