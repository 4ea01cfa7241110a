"""What a figure measures: its unit, then cue words from the metric registry.

The registry (``config/metrics.toml``, :data:`REGISTRY`) lists every metric with its units, its
label, how its figures group and, for money, its cue words per language. Money is typed by the
cue nearest the figure in its sentence (``valeur boursière`` → market_value_change, ``lève`` →
funding, ``l'unité`` → price …); a money figure with no cue takes the metric of the money figure
before it in the same or previous sentence (``Meta annonce 65 milliards pour ses infrastructures.
Microsoft 80 milliards``). Other units name their metric (GPU → gpu_count), with a cue required
for durations and multipliers.

Rules propose, a model decides: for a money figure the rules' pick is one feature among the
cues of every metric by distance, the words around the figure, the word that governs it in the
parse and the article's money metric so far (:func:`money_features`). A multinomial logistic
regression trained on the annotated gold by ``python -m train.metrics``
(``extractors/models/metrics.json``) picks the metric; a company's loss and the price cap stay
hard rules.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Span

from config.errors import ConfigError
from config.settings import CONFIG_DIR, read_toml
from extractors import lexicon
from extractors.document import Document
from extractors.entities import Mention
from extractors.quantities import Quantity
from extractors.ranker import MODELS_DIR, Multinomial

REGISTRY_FILE = CONFIG_DIR / "metrics.toml"
METRIC_MODEL = MODELS_DIR / "metrics.json"
OVERRIDE = 0.0
"""The probability the model must give another metric to overrule the rules' pick: none (grouped
cross-validation, `python -m train.metrics`: the argmax beats every threshold tried, 0.4 to 0.8)."""
log = logging.getLogger(__name__)
GROUPS = ("count", "amount", "date")
MONEY = ("USD", "EUR", "GBP")


@dataclass(frozen=True, slots=True)
class Metric:
    """One entry of the metric registry."""

    name: str
    label: str
    units: tuple[str, ...]
    group: str
    """``count``: the unit only labels what is counted (an H100 count compares with a GPU count);
    ``amount``: figures compare in the same unit; ``date``: a year."""
    cues: re.Pattern[str] | None
    after: re.Pattern[str] | None
    noun_after: re.Pattern[str] | None


def load_registry(path: str | Path = REGISTRY_FILE) -> tuple[Metric, ...]:
    """Read the registry; raise ``ConfigError`` naming the entry and the reason on bad input."""
    raw = read_toml(Path(path))
    out: list[Metric] = []
    for i, item in enumerate(raw.get("metric", [])):
        where = f"{path}: metric[{i}]"
        name, label, units, group = item.get("name"), item.get("label"), item.get("units"), item.get("group")
        if not isinstance(name, str) or not isinstance(label, str):
            raise ConfigError(where, "needs a 'name' and a 'label'")
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            raise ConfigError(where, "'units' must be a list of strings")
        if group not in GROUPS:
            raise ConfigError(where, f"'group' must be one of {', '.join(GROUPS)}, got {group!r}")
        out.append(Metric(name, label, tuple(units), group, _words(item, "cues", where, r"\b{}\b"),
                          _words(item, "after", where, r"^[\s,]*{}\b"),
                          _words(item, "noun_after", where,
                                 r"^[\s,]*<<noun_after_lead>><<noun_after_new>>?{}\b")))
    return tuple(out)


def _words(item: dict[str, object], key: str, where: str, frame: str) -> re.Pattern[str] | None:
    table = item.get(key)
    if table is None:
        return None
    if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
        raise ConfigError(f"{where}: {key}", "must map languages to lists of patterns")
    alts = [str(a).replace("’", "['’]") for lang in lexicon.LANGS for a in table.get(lang, [])]
    body = "(?:" + "|".join(dict.fromkeys(alts)) + ")"
    try:
        return re.compile(lexicon.expand(frame).replace("{}", body), re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}: {key}", f"bad pattern: {exc}") from None


REGISTRY = load_registry()
METRICS = tuple(m.name for m in REGISTRY)
MONEY_METRICS = tuple(m.name for m in REGISTRY if set(m.units) & set(MONEY))
BY_NAME = {m.name: m for m in REGISTRY}
_MONEY_CUES = tuple((m.name, m.cues) for m in REGISTRY if m.cues is not None)
_NOUN_AFTER = tuple((m.name, m.noun_after) for m in REGISTRY if m.noun_after is not None)
_PRICE_AFTER = BY_NAME["price"].after

COMPUTE_CUE = lexicon.pattern("compute_cue")
BUILD_CUE = lexicon.pattern(r"\b<<build_cue>>\b[^.;]{0,60}$")
_CHANGE = lexicon.pattern("change_cue")
_OPEX = lexicon.pattern(r"^[^.;]{0,25}?\b<<opex_on>>\s*(?:\w+\s+){0,2}<<opex_nouns>>")
_STAKE = lexicon.pattern("stake_cue")
_INVESTMENT_FROM = lexicon.pattern(r"^[\s,]*(?:(?:dollars?|d['’]euros?|euros?)\s+)?<<investment_from>>\b")
_INVESTMENT_ROUND = lexicon.pattern(r"^[\s,]*(?:\w+\s+){0,2}?<<investment_round>>\b")
_RECEIVED = lexicon.pattern(r"\b<<receive_verbs>>\b[^.;,]{0,30}$")
_INVESTING_IN = re.compile(r"^[^.;,]{0,40}?\b(?:investments?|investissements?)\s+(?:in|into|dans)\b", re.IGNORECASE)
_MARKET = lexicon.pattern("market_words")
_LOSS_VERB = lexicon.pattern(r"\b<<loss_verbs>>\b[^.;:]{0,40}$")
# a level, not a change: "its market value fell to $2.9 trillion", "from $3.5 trillion to …", « est passée
# de 3 500 à 2 900 milliards » (not "up to", « jusqu'à »: those bound a change)
_LEVEL_BEFORE = lexicon.pattern(r"(?<!\bup )(?<![’'])\b<<level_words>>\s*(?:<<approx_words>>\s*)?[$€£]?\s*$")
_LEVEL_NEXT = lexicon.pattern(r"\s*<<level_words>>\s+(?:<<approx_words>>\s+)?[$€£]?\s*\d")
_WEALTH = lexicon.pattern(r"\b<<wealth_nouns>>\b")
_CHANGE_BY = lexicon.pattern(r"\b<<change_by>>\s*(?:<<approx_words>>\s*)?[$€£]?\s*$")
_LOSS_NOUN = lexicon.pattern(r"\b<<loss_nouns>>\s+(?:\w+\s+)?(?:of|de|d’)\s*(?:<<approx_words>>\s*)?[$€£]?\s*$")
# "OpenAI's cumulative losses could reach $44 billion", « les pertes … pourraient atteindre 44 milliards »
_LOSS_SUBJECT = lexicon.pattern(r"\b<<loss_nouns>>\b(?:\s+[\w’'-]+){0,4}?\s+<<reach_verbs>>\s*(?:<<approx_words>>\s*)?[$€£]?\s*$")
_UNIT_PRICE = lexicon.pattern("unit_price_cue")
_CHIP_WORDS = lexicon.pattern("chip_words")
_WORTH_GAP = lexicon.pattern(r"<<worth_gap>>[$€£]?\s*", 0)
_WORTH_GENERIC = lexicon.pattern(r"\b<<generic_orgs>><<worth_gap>>[$€£]?\s*$")
_MIN_COMPANY_WORTH = 1e4  # below this a company's "worth" is its share price
_MAX_UNIT_PRICE = 1e7  # a GPU sells for ~$30,000, a full rack for ~$3 million: above this, a total
_MAX_CUE_DISTANCE = 120
# "une levée de 40 milliards de dollars valorisant l'entreprise 300 milliards": a cue after the
# figure that introduces the next amount is that amount's.
_NEXT_AMOUNT = re.compile(r"^\W*(?:[^\W\d]+\W+){0,4}?[$€£]?\s?\d")
# … even right after it when it is a present participle, which takes its own object and amount
# (« 40 milliards de dollars valorisant l'entreprise 300 milliards », "$40 billion valuing it at $300 billion")
_PRESENT_PARTICIPLE = re.compile(r"\w(?:ant|ing)$", re.IGNORECASE)


def money_metric(sentence: str, fig_start: int, fig_end: int, names_chip: bool = False) -> str | None:
    """The money metric whose cue is nearest the figure (offsets relative to ``sentence``)."""
    named = named_after(sentence, fig_end)
    return named if named is not None else _cued_metric(sentence, fig_start, fig_end, names_chip)


def _cued_metric(sentence: str, fig_start: int, fig_end: int, names_chip: bool) -> str | None:
    """:func:`money_metric` for a figure the words right after it do not name."""
    after = sentence[fig_end:fig_end + 50]
    if _INVESTMENT_FROM.match(after) or _INVESTMENT_ROUND.match(after):
        return "funding"
    if names_chip and _UNIT_PRICE.search(sentence):
        return "price"  # "each Blackwell B200 chip will cost between $30,000 and $40,000"
    best = nearest_cue(sentence, fig_start, fig_end)
    if best is None or best[0] >= _MAX_CUE_DISTANCE:
        return None
    if best[2] == "investment" and _OPEX.search(sentence[fig_end:fig_end + 60]):
        return "cost"  # "spend $13 billion on cloud computing": running costs, not capital spending
    if best[2] in ("cost", "investment") and _STAKE.search(sentence):
        return "investment"  # "spent $14.3 billion for a 49% stake in Scale AI"
    if best[2] == "investment" and _RECEIVED.search(sentence[max(0, fig_start - 40):fig_start]) \
            and not _INVESTING_IN.match(sentence[fig_end:]):
        return "funding"  # "Anthropic secured a $4 billion investment": what its subject receives
    if best[2] == "market_value_change" and not _CHANGE.search(sentence[max(0, fig_start - 50):fig_end + 25]):
        return "valuation"  # "topped $4 trillion in market value", "pèse 260 Md€ en Bourse": a level
    return best[2]


def named_after(sentence: str, fig_end: int) -> str | None:
    """The metric the words right after a money figure name ("$40,000 apiece", "$300 million in
    losses", « 8 milliards de bénéfices »): the rules are sure of it, no model overrules it."""
    if _PRICE_AFTER is not None and _PRICE_AFTER.match(sentence[fig_end:fig_end + 40]):
        return "price"
    after = sentence[fig_end:fig_end + 50]
    return next((metric for metric, rx in _NOUN_AFTER if rx.match(after)), None)


def nearest_cue(sentence: str, fig_start: int, fig_end: int) -> tuple[float, int, str] | None:
    """(distance, registry rank, metric) of the money cue nearest the figure; cues after the
    figure weigh half as much again, since French and English put the verb before the amount."""
    best: tuple[float, int, str] | None = None
    for rank, (metric, rx) in enumerate(_MONEY_CUES):
        assert rx is not None
        for m in rx.finditer(sentence):
            if m.start() < fig_end and fig_start < m.end():
                continue
            if m.start() >= fig_end and (sentence[fig_end:m.start()].strip() or _PRESENT_PARTICIPLE.search(m.group())) \
                    and _NEXT_AMOUNT.match(sentence[m.end():m.end() + 40]):
                continue  # (a past participle right after the figure is its own: « 13 milliards levés, 183 milliards de … »)
            dist = fig_start - m.end() if m.end() <= fig_start else (m.start() - fig_end) * 1.5
            key = (dist, rank, metric)
            if best is None or key < best:
                best = key
    return best


def metric_of(d: Document, sent: Span, q: Quantity, unit: str, mentions: list[Mention]) -> str | None:
    """The metric of a figure in ``unit``, or None when the figure measures nothing we keep."""
    s0 = sent.start_char
    if unit in MONEY:
        names_chip = any(m.kind == "chip" for m in mentions) or bool(_CHIP_WORDS.search(sent.text))
        named = named_after(sent.text, q.end - s0)  # the words right after it say what it is
        if named is None and _worth(d, sent, q, mentions):
            named = "valuation"  # "Nvidia is now worth $5 trillion": what the company is worth
        metric = named if named is not None else _cued_metric(sent.text, q.start - s0, q.end - s0, names_chip)
        before = sent.text[:q.start - s0]
        loss = bool(_LOSS_VERB.search(before)) and not _MARKET.search(sent.text)
        if named is None and _LOSS_SUBJECT.search(before[-90:]) and not _MARKET.search(sent.text):
            return "other"  # a loss said to reach the figure is a loss, whatever cue is nearer
        if metric == "market_value_change" and loss:
            return "other"  # « OpenAI devrait perdre cinq milliards cette année »: the company's loss, no market move
        if _WEALTH.search(before[-60:]):
            # a person's wealth: its change moves with the market ("lifted Ellison's net worth by over
            # $101 billion", « sa fortune a fondu de 21 milliards »), its level is another figure
            # ("reaching $414.8 billion")
            by = _CHANGE_BY.search(before) or _CHANGE.search(before[-40:])
            return "market_value_change" if by and not _LEVEL_BEFORE.search(before) else "other"
        if metric == "market_value_change" and (_LEVEL_BEFORE.search(before)
                                                or _LEVEL_NEXT.match(d.text, max(q.end, q.unit_end))):
            return "valuation"  # "its market value fell to $2.9 trillion": what the company is now worth
        if metric is None and _LOSS_NOUN.search(before) and not _MARKET.search(sent.text):
            return "other"  # "the Vision Fund faced a collective loss of $2.4 billion", whatever came before
        if metric is None:
            metric = _header_metric(d, sent)
        if metric is None:
            ctx = d.ctx
            metric = ctx.money_metric if d.sent_index - ctx.money_sent <= 1 and ctx.money_metric else "other"
        if metric == "other" and loss:
            return "other"  # a hard rule: no model makes a loss an investment
        if named is None and (d.metric_model is not None or d.metric_trace is not None):
            feats = money_features(d, sent, q, metric, names_chip)
            if d.metric_trace is not None:
                d.metric_trace.append((q.low, q.high, metric, feats))
            if d.metric_model is not None:
                metric = decide(d.metric_model, feats, metric)
        if metric == "price" and max(q.low or 0.0, q.high or 0.0) >= _MAX_UNIT_PRICE:
            metric = "cost"  # "which puts the hardware at about $3 billion": a total, not a unit price
        if metric in ("valuation", "market_value_change") and max(q.low or 0.0, q.high or 0.0) < _MIN_COMPANY_WORTH:
            metric = "other"  # "ended the session up 3% at $207.04, giving it a market value of …": a share price
        return metric
    if unit in BY_NAME["duration"].units:
        return "duration" if BUILD_CUE.search(d.text[max(s0, q.start - 60):q.start]) else None
    if unit == "x":
        return "compute_multiplier" if COMPUTE_CUE.search(d.text[max(s0, q.start - 40):q.unit_end + 50]) else None
    return next((m.name for m in REGISTRY if unit in m.units and m.group != "date"), None)


def _worth(d: Document, sent: Span, q: Quantity, mentions: list[Mention]) -> bool:
    """A company, named or called "the startup", is worth the figure ("Nvidia is now worth more
    than $4 trillion", « Nvidia vaut désormais 5 000 milliards »)."""
    if any(m.kind == "org" and m.end <= q.start and _WORTH_GAP.fullmatch(d.text, m.end, q.start)
           and (d.dep_of(m) or "").startswith("nsubj") for m in mentions):  # not « le projet … avec AMD pèserait »
        return True
    return bool(_WORTH_GENERIC.search(d.text, sent.start_char, q.start))


def _header_metric(d: Document, sent: Span) -> str | None:
    """The money metric a list's header names for its items: "Big Tech's capital expenditure for
    2025, as the companies gave it:" then "- Meta: $60 billion to $65 billion" (the items after
    the first carry it on as the article's money metric)."""
    i = sent.start - 1
    while i >= 0 and d.doc[i].is_space:
        i -= 1
    if i < 0:
        return None
    header = d.doc[i].sent.text.rstrip()
    if not header.endswith(":"):
        return None
    return _cued_metric(header, len(header), len(header), False)


# --- the learned decision ---------------------------------------------------------------------

_WINDOW = 4
_BUCKETS = ((15, "near"), (50, "mid"), (_MAX_CUE_DISTANCE, "far"))


def money_features(d: Document, sent: Span, q: Quantity, rule: str, names_chip: bool) -> dict[str, float]:
    """What the metric model reads about a money figure: the rules' pick, each metric's nearest
    cue before and after (by distance band), the words around the figure and the one governing
    it, the article's money metric so far, and the rules' special cases."""
    s0 = sent.start_char
    text, start, end = sent.text, q.start - s0, max(q.end, q.unit_end) - s0
    feats: dict[str, float] = {f"rule={rule}": 1.0, f"lang={d.lang}": 1.0}
    for metric, rx in _MONEY_CUES:
        assert rx is not None
        before = [start - m.end() for m in rx.finditer(text, 0, start) if m.end() <= start]
        after = [m.start() - end for m in rx.finditer(text, end) if not _NEXT_AMOUNT.match(text[m.end():m.end() + 40])]
        for side, dists in (("before", before), ("after", after)):
            if dists:
                band = next((name for limit, name in _BUCKETS if min(dists) <= limit), None)
                if band is not None:
                    feats[f"{side}:{metric}:{band}"] = 1.0
    words_before = [t.lower_ for t in sent if t.idx + len(t) <= q.start and t.is_alpha][-_WINDOW:]
    words_after = [t.lower_ for t in sent if t.idx >= max(q.end, q.unit_end) and t.is_alpha][:_WINDOW]
    for w in words_before:
        feats[f"b={w}"] = 1.0
    for w in words_after:
        feats[f"a={w}"] = 1.0
    anchor = d.root_of(q.number.start, q.number.end)
    if anchor is not None:
        feats[f"dep={anchor.dep_}"] = 1.0
        for i, t in enumerate(list(anchor.ancestors)[:2]):
            feats[f"up{i}={t.lower_}"] = 1.0
    ctx = d.ctx
    if ctx.money_metric and d.sent_index - ctx.money_sent <= 1:
        feats[f"ctx={ctx.money_metric}"] = 1.0
    # the article's own leaning: the money metric of most of its claims so far, which reaches
    # further back than ``ctx=`` (a round-up's bracketed amounts after its first rounds are rounds)
    so_far = {m: sum(ctx.subjects_of.get(m, {}).values()) for m in MONEY_METRICS}
    if max(so_far.values(), default=0) > 0:
        feats[f"art={max(so_far, key=lambda m: (so_far[m], m))}"] = 1.0
    window = text[max(0, start - 50):end + 25]
    for name, on in (("chip", names_chip), ("stake", bool(_STAKE.search(text))),
                     ("opex", bool(_OPEX.search(text[end:end + 60]))), ("change", bool(_CHANGE.search(window))),
                     ("loss", bool(_LOSS_VERB.search(text[:start]))), ("market", bool(_MARKET.search(text))),
                     ("unit_price", bool(_UNIT_PRICE.search(text))),
                     ("big", max(q.low or 0.0, q.high or 0.0) >= _MAX_UNIT_PRICE)):
        if on:
            feats[name] = 1.0
    return feats


def decide(model: Multinomial, feats: dict[str, float], rule: str, threshold: float = OVERRIDE) -> str:
    """The model's metric when it gives it at least ``threshold``, else the rules' pick. Above
    :data:`_MAX_UNIT_PRICE` (feature ``big``) no figure is a unit price: what the model gives
    ``price`` there goes to ``cost``, as the rules turn such a "price" into a total cost."""
    probs = dict(model.probabilities(feats))
    if feats.get("big") and "price" in probs and "cost" in probs:
        probs["cost"] += probs.pop("price")
    best = max(probs, key=lambda k: probs[k])
    return best if best != rule and probs[best] >= threshold else rule


@functools.lru_cache(maxsize=2)
def load_metric_model(path: Path = METRIC_MODEL) -> Multinomial | None:
    """The committed metric model, or None (the rules alone) when there is none."""
    if not Path(path).exists():
        log.info("no metric model at %s: money metrics are chosen by the rules alone", path)
        return None
    return Multinomial.load(path, MONEY_METRICS, "metric model")
