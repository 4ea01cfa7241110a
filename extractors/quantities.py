"""Quantities: a number with its unit, currency, hedge and hardware qualifier.

``find_quantities(text, lang, numbers, chips)`` looks around each :class:`Number` for a
currency (``$``, ``US$``, ``€``, ``dollars``, ``de dollars``), a counted noun (``GPU``,
``puces``, ``chips``, ``paramètres``, ``jours``), a multiplier (``x``, ``fois``, ``times``) or a
percent sign, and for the hedge words before it (``environ``, ``plus de``, ``up to``).

French ``billion``/``trillion``: French is long scale (``billion`` = 10^12, ``trillion`` =
10^18) and careful French writers use ``milliard`` for 10^9. Tech press translating English
sources also writes ``500 billions de dollars`` meaning 5×10^11. Rule: a French ``billion`` is
read long scale unless (a) it is written the English way, with a ``$`` before the number or a
decimal point (``$1.5 billion``), or (b) the long-scale value would exceed 10^13 units (ten
trillion dollars, GPUs or parameters: more than any budget or chip output on record), in which
case it is short scale. ``trillion`` is read short scale (10^12) by the same rule (b), since its
long reading (10^18) is never plausible.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from extractors.entities import Mention
from extractors.numbers import Number

_LONG_SCALE_CEILING = 1e13

_CURRENCY_PREFIX = re.compile(r"(?:(?P<usd>US\s?\$|\$\s?US|\$[ \u00a0]?|USD\s?)|(?P<eur>€[ \u00a0]?|EUR\s?)|(?P<gbp>£[ \u00a0]?|GBP\s?))$")
_FOREIGN_DOLLAR = re.compile(r"(?<![A-Za-z])(?:A|AU|C|CA|HK|NT|NZ|R|S|SG)\$[ \u00a0]?$")
_CURRENCY_SUFFIX = re.compile(
    r"[ \u00a0\u202f]*(?:(?:de|d['’]|of(?=[ \u00a0\u202f]))[ \u00a0\u202f]*)?(?:(?P<usd>dollars?(?:[ \u00a0]+(?:américains|US))?|USD|\$[ \u00a0]?(?:US)?)|(?P<eur>euros?|EUR|€)|(?P<gbp>livres(?: sterling)?|pounds?(?: sterling)?|GBP|£))(?!\w)",
    re.IGNORECASE,
)
_GPU_NOUN = (
    r"GPUs?|puces?|chips?|accélérateurs?|accelerators?|processeurs?|processors?|"
    r"cartes graphiques|graphics cards|graphics processing units|semi-conducteurs|semiconductors|"
    r"superpuces|superchips?|TPUs?|units"
)
_COUNTED = re.compile(
    r"[ \u00a0\u202f-]*(?:[»”\"][ \u00a0\u202f]*)?(?:(?:de|d['’]|of)[ \u00a0\u202f]*"
    r"(?:(?:ces|ses|leurs|these|those|its|their)[ \u00a0]+)?)?"  # « 350 000 de ces GPU », "350,000 of its chips"
    r"(?:(?:Nvidia|NVIDIA|AMD|Google)(?:['’]s)?[ \u00a0]+(?:(?:Blackwell|Hopper|Rubin|Ampere|Instinct)[ \u00a0]+)?)?"
    r"(?:(?:HGX|DGX|MGX)[ \u00a0]+)?"  # "100,000 NVIDIA HGX H100 GPUs": the server board, then the chip
    r"(?:\d{3,4}[ \u00a0]?W(?:[ \u00a0]+TDP)?[ \u00a0]+)?"  # "16,384 700W TDP H100 GPUs": a spec, not the count
    r"(?:(?:such|liquid-cooled|air-cooled|high-end|top-end)[ \u00a0]+)?"  # "2,000 such GPUs", "100,000 liquid-cooled H100 GPUs"
    r"(?P<pre>[A-Z][A-Za-z]*\d+[A-Za-z]*s?[ \u00a0-]+)?"
    r"(?:(?:total|totaux|actifs|active|activated|dense|trainable|new|nouveaux|nouvelles|additional|supplémentaires|more|de plus)[ \u00a0]+)?"
    rf"(?:(?P<gpu>{_GPU_NOUN})(?P<gpu_hours>[ \u00a0-]hours?)?|(?P<param>paramètres|parameters?|params)"
    r"|(?P<gpu_heures>heures(?:[ \u00a0]+(?:de[ \u00a0]+)?|[ \u00a0]*-[ \u00a0]*)GPU)"
    r"|(?P<dur>jours?|days?|semaines?|weeks?|mois|months?|ans|années?|years?|heures?|hours?|minutes?)"
    r"|(?P<mult>x|×|fois|times|-fold|fold)|(?P<pct>%|pour[ \u00a0]?cent|percent|per[ \u00a0]cent)"
    r"|(?P<energy>[kMGT]Wh|(?:kilo|méga|mega|giga|téra|tera)wattheures?|(?:kilo|mega|giga|tera)watt-hours?)"
    r"|(?P<power>GW|gigawatts?|MW|mégawatts?|megawatts?)|(?P<share>actions|shares)|(?P<flop>FLOPs?|FLOPS)"  # "1e25 FLOPS": the count, loosely written
    # "16 zettaFLOPS", « 125,9 pétaflops »: a machine's speed, operations per second
    r"|(?P<rate>[Pp][ée]ta|[Ee]xa|[Zz][eê]tta|[Yy]otta|[PEZY])[ \u00a0-]?(?:FLOPS|[Ff]lops|FLOP/s|flop/s|FLOPs))(?!\w)",
)
# the verb that takes a count whose chips are left unsaid, and what may follow the count
_ELIDED_COUNT_BEFORE = re.compile(
    r"(?:\ben\s+(?:a|ont|avait|avaient|aurait|auraient|aura|auront)\s+(?:\w+ment\s+)?(?:achet\w*|acquis|command\w*|reçu|déployé|installé)"
    r"|\ben\s+(?:achète\w*|acquiert|acquièrent|possède\w*|détien\w*|compte\w*|command\w*|déploie\w*)"
    r"|\b(?:bought|purchased|acquired|ordered|received|deployed)(?:\s+\w+ly)?"
    # a count grown to a new size ("100,000 H100 GPUs (later expanded to 200,000)", « porté à 200 000 »)
    r"|\b(?:expand\w*|doubl\w*(?: in size)?|grow\w*|grew|scal\w*(?: up)?|upgrad\w*|increas\w*|extend\w*) to"
    r"|\b(?:port\w*|étendu\w*|doublé\w*|augment\w*|passer|passé\w*|passera) à)"
    r"\s+(?:(?:about|around|some|nearly|roughly|environ|près de|quelque)\s+)?$", re.IGNORECASE)
_COUNT_JOIN = re.compile(r"\s*(?:,|et|and|,\s*(?:et|and))\s*", re.IGNORECASE)
_ELIDED_COUNT_AFTER = re.compile(r"\s*(?:$|[.,;()]|et\b|and\b|respectivement\b|respectively\b|chacune?\b|each\b"
                                 r"|(?:in|by|within|d['’]ici|dans|en)\s+(?:the\s+|a\s+|les\s+|la\s+|quelques\s+)?"
                                 r"(?:\d|next|coming|few|end|fin|prochain\w*|mois|months?|years?|ans?))")
_ENERGY_SCALE = {"k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}
_RATE_SCALE = {"p": 1e15, "e": 1e18, "z": 1e21, "y": 1e24}
_CENTS = re.compile(r"[ \u00a0\u202f]*(?:(?P<usd>cents?|¢)|(?P<eur>centimes?(?: d['’]euros?)?|cents? d['’]euros?))(?!\w)",
                    re.IGNORECASE)
_CHIP_ALONE = re.compile(r"[ \u00a0\u202f]*(?:(?:équivalents?|equivalents?)[ \u00a0\u202f]+)?(?:(?:de|d['’]|of)[ \u00a0\u202f]*"
                         r"(?:(?:ces|ses|leurs|these|those|its|their)[ \u00a0]+)?)?"
                         r"(?:(?:Nvidia|NVIDIA|AMD)(?:['’]s)?[ \u00a0]+)?(?:(?:HGX|DGX)[ \u00a0]+)?$")
_HEDGES = {
    "fr": [
        ("approx", re.compile(r"(?:environ|près d[e'’]|presque|quelque|quasiment|approximativement|autour d[e'’]|aux alentours d[e'’]|de l['’]ordre d[e'’]|à peu près|pas loin d[e'’]|grosso modo|~)\s*$", re.IGNORECASE)),
        ("at_least", re.compile(r"(?:plus d[e'’]|au moins|plus grand que|dépass\w*|franchi\w*|au-delà d[e'’]|pas moins d[e'’]|supérieur(?:e|s)? à|minimum|plus d['’]un|au-dessus d(?:e|es|u)|\+|(?<![-=])>|≥)"
                                 r"(?:\s+(?:désormais|déjà|aujourd['’]hui|largement|allègrement))?(?:\s+(?:les|la barre des?|le cap des?|le seuil des?))?\s*$", re.IGNORECASE)),
        ("at_most", re.compile(r"(?:jusqu['’](?:à|a)|moins d[e'’]|au plus|au maximum|pas plus d[e'’]|inférieur(?:e|s)? à|maximum|pouvant atteindre|en dessous d(?:e|es|u)|sous la barre des?|<(?![-=])|≤)\s*$", re.IGNORECASE)),
    ],
    "en": [
        ("approx", re.compile(r"\b(?:about|around|nearly|almost|roughly|approximately|some|close to|an estimated|estimated|circa|approx\.|~)\s*$", re.IGNORECASE)),
        ("at_least", re.compile(r"(?:\b(?:more than|over|at least|bigger than|larger than|pass(?:es|ed)?|surpass(?:es|ed)?|tops?|topped|exceed(?:s|ed|ing)?|cross(?:es|ed)?|upwards of|upward of|in excess of|north of|greater than|no fewer than|no less than|above|well over|(?:to )?top)|\+|(?<![-=])>|≥)"
                                 r"(?:\s+(?:the|a)(?:\s+(?:mark|threshold) of)?)?\s*$", re.IGNORECASE)),
        ("at_most", re.compile(r"(?:\b(?:up to|at most|less than|under|no more than|fewer than|as much as|as many as|below|a maximum of|as little as)(?:\s+the)?|<(?![-=])|≤)\s*$", re.IGNORECASE)),
    ],
}
_MULT_WORDS = re.compile(
    r"\b(?P<w>doubl\w*|tripl\w*|quadrupl\w*|décupl\w*|twofold|threefold|fourfold|fivefold|tenfold|hundredfold)\b",
    re.IGNORECASE,
)
_MULT_VALUES = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0, "décupl": 10.0, "twofold": 2.0, "threefold": 3.0,
                "fourfold": 4.0, "fivefold": 5.0, "tenfold": 10.0, "hundredfold": 100.0}
_DURATION_UNITS = {"jour": "day", "day": "day", "semaine": "day", "week": "day", "mois": "month",
                   "month": "month", "an": "year", "année": "year", "year": "year", "heure": "hour",
                   "hour": "hour", "minute": "minute"}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with what it counts or costs; ``start``/``end`` cover the figure as written."""

    start: int
    end: int
    low: float | None
    high: float | None
    hedge: str | None
    unit: str | None
    """``USD``/``EUR``/``GBP``, ``GPU``, ``GPU-hour``, ``parameter``, ``day``/``month``/``year``/
    ``hour``/``minute``, ``x``, ``%``, ``W``, ``Wh``, ``share``, ``FLOP``, ``FLOP/s``, or None."""
    currency_explicit: bool
    qualifier: str | None
    number: Number
    unit_end: int
    """End of the unit words (``… de GPU H100``), for scanning what follows."""


def find_quantities(text: str, lang: str, numbers: list[Number], chips: list[Mention]) -> list[Quantity]:
    """Attach units and hedges to ``numbers``; ``chips`` are chip-name mentions in ``text``. An
    amount in another country's dollars ("US$4 billion (S$5.5 billion)", "NT$1 trillion") is
    no figure: it is neither US dollars nor the currency the text goes on in."""
    out = [_quantity(text, lang, n, chips) for n in numbers
           if not _FOREIGN_DOLLAR.search(text, max(0, n.start - 4), n.start)]
    out = _elided_gpus(text, out)
    out.extend(_multiplier_words(text, numbers))
    out.sort(key=lambda q: q.start)
    return out


def _elided_gpus(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """A bare count that a verb takes with the chips left unsaid (« Amazon et Google en ont
    respectivement acquis 196 000 et 169 000 », "Microsoft bought 485,000 Hopper chips, while Meta
    bought 224,000") counts the chips of a GPU count just before it (300 characters at most)."""
    out: list[Quantity] = []
    elided: Quantity | None = None
    for q in quantities:
        n = q.number
        thousands = n.scale is None or n.scale.lower() == "k"  # "200K" too
        if q.unit is None and n.low >= 1000 and thousands and not (n.bare_integer and 1900 <= n.low <= 2100) \
                and _ELIDED_COUNT_AFTER.match(text, q.end):
            # … or joined to one such count ("acquis 196 000 et 169 000")
            joined = elided is not None and _COUNT_JOIN.fullmatch(text, elided.end, q.start) is not None
            if (joined or _ELIDED_COUNT_BEFORE.search(text, max(0, q.start - 60), q.start)) \
                    and any(p.unit == "GPU" and p.start < q.start and q.start - p.end <= 300 for p in out):
                q = dataclasses.replace(q, unit="GPU")
                elided = q
        out.append(q)
    return out


def _quantity(text: str, lang: str, n: Number, chips: list[Mention]) -> Quantity:
    start, end = n.start, n.end
    unit: str | None = None
    qualifier: str | None = None
    explicit = False
    unit_end = end
    pm = _CURRENCY_PREFIX.search(text, max(0, start - 6), start)
    # "250,000+ GPUs": a plus sign against the number is a lower bound
    shift = 1 if text.startswith("+", end) else 0
    after = text[end + shift:end + shift + 80]
    if pm is not None:
        unit, explicit, start = _currency(pm), True, pm.start()
    sm = _CURRENCY_SUFFIX.match(after)
    if sm is not None and unit is None:
        unit, explicit = _currency(sm), True
        end = unit_end = n.end + shift + sm.end()
    low: float | None
    high: float | None
    low, high = n.low, n.high
    cents = _CENTS.match(after) if unit is None and n.scale is None else None
    if cents is not None:
        # "19 to 49 cents per million tokens": hundredths of the currency named in the text
        unit, explicit = ("EUR" if cents.group("eur") else "USD"), True
        end = unit_end = n.end + shift + cents.end()
        low, high = low / 100, high / 100
    factor = _french_long_scale(text, lang, n, pm is not None)
    low, high = low * factor, high * factor
    if unit is None:
        cm = _COUNTED.match(after)
        if cm is not None:
            unit_end = n.end + shift + cm.end()
            if cm.group("gpu_hours") or cm.group("gpu_heures"):
                unit = "GPU-hour"  # "39.3 million GPU hours", « 2,8 millions d'heures GPU »
            elif cm.group("gpu"):
                unit = "GPU"
            elif cm.group("param"):
                unit = "parameter"
            elif cm.group("dur"):
                word = cm.group("dur").lower()  # whole: « mois » is no plural of « moi »
                unit = next((u for k, u in _DURATION_UNITS.items() if word.startswith(k)), "day")
                if word.startswith(("semaine", "week")):
                    low, high = low * 7, high * 7
            elif cm.group("mult"):
                unit = "x"
            elif cm.group("pct"):
                unit = "%"
            elif cm.group("energy"):
                unit = "Wh"
                mult = _ENERGY_SCALE[cm.group("energy")[0].lower()]
                low, high = low * mult, high * mult
            elif cm.group("share"):
                unit = "share"
            elif cm.group("flop"):
                unit = "FLOP"
            elif cm.group("rate"):
                unit = "FLOP/s"
                mult = _RATE_SCALE[cm.group("rate")[0].lower()]
                low, high = low * mult, high * mult
            elif cm.group("power"):
                unit = "W"
                mult = 1e9 if cm.group("power").lower().startswith(("gw", "giga")) else 1e6
                low, high = low * mult, high * mult
            if cm.group("pre") and unit != "GPU":
                unit, unit_end = None, end
        if unit is None:
            chip = next((c for c in chips if end <= c.start <= end + 24 and _CHIP_ALONE.match(text[end:c.start])), None)
            if chip is not None:
                unit, qualifier, unit_end = "GPU", chip.name, chip.end
    if unit == "GPU" and qualifier is None:
        qualifier = next((c.name for c in chips if n.start - 30 <= c.start and c.end <= unit_end + 30
                          and not _sentence_break(text, min(c.start, n.end), max(c.end, n.start))
                          and (c.start >= n.end or c.end >= n.start - 12)), None)
    hedge: str | None = {"range": "range", "vague": "vague", "approx": "approx"}.get(n.kind)
    if hedge is None and unit is not None and (shift or text.startswith("+", unit_end)):
        hedge, high = "at_least", None  # "250,000+ GPUs", "a 2GW+ data center"
    if hedge is None:
        before = text[max(0, start - 30):start]
        for name, rx in _HEDGES[lang]:
            if rx.search(before):
                hedge = name
                break
        if hedge == "at_least" and unit in ("day", "month", "year") and re.search(r"\b(?:over|sur)\s*$", before):
            hedge = None  # "over two months" is how long, not a lower bound
        if hedge == "at_least":
            high = None
        elif hedge == "at_most":
            low = None
    return Quantity(start, end if unit in ("USD", "EUR", "GBP") else n.end, low, high, hedge, unit, explicit,
                    qualifier, n, unit_end)


def _currency(m: re.Match[str]) -> str:
    if m.group("usd"):
        return "USD"
    if m.group("eur"):
        return "EUR"
    return "GBP"


def _french_long_scale(text: str, lang: str, n: Number, dollar_prefix: bool) -> float:
    if lang != "fr" or n.scale not in ("billion", "billions", "trillion", "trillions"):
        return 1.0
    written = text[n.start:n.end]
    if dollar_prefix or re.match(r"\d+\.\d", written):
        return 1.0
    long_factor = 1e3 if n.scale.startswith("billion") else 1e6
    if max(abs(n.low), abs(n.high)) * long_factor > _LONG_SCALE_CEILING:
        return 1.0
    return long_factor


def _sentence_break(text: str, a: int, b: int) -> bool:
    return bool(re.search(r"[.!?;\n]\s", text[a:b]))


def _multiplier_words(text: str, numbers: list[Number]) -> list[Quantity]:
    out = []
    for m in _MULT_WORDS.finditer(text):
        word = m.group("w").lower()
        value = next((v for k, v in _MULT_VALUES.items() if word.startswith(k)), None)
        if value is None or word.startswith("double") and word not in ("doubler", "doublera", "doublé", "double", "doubles", "doubled", "doubling", "doublent"):
            continue
        n = Number(m.start(), m.end(), value, value, "point")
        out.append(Quantity(m.start(), m.end(), value, value, None, "x", False, None, n, m.end()))
    return out
