"""Numeric claims: the contract every other stage relies on.

``extract_claims(text, lang, published=None) -> list[Claim]`` is the stage's one entry point;
:class:`ClaimExtractor` is the same with explicit settings and batching (``extract_many``).

How a claim is built, per sentence of the spaCy parse:

1. names: table aliases and rule patterns (:mod:`extractors.entities`), plus spaCy NER for
   organisations and people the table lacks; a number inside a name (``Grok 3``) is no figure;
2. figures: :mod:`extractors.numbers` and :mod:`extractors.quantities` (unit, currency, hedge);
3. metric: the unit, then cue words (:mod:`extractors.metrics`);
4. subject: the candidate name nearest the figure in the dependency tree (a pronoun subject
   stands for the current topic; a person stands for their organisation, from the table);
   with no name in the sentence, the topic carried from the sentences before;
5. time, plan and, for AGI dates, speaker and probability.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from config.errors import ExtractionError
from config.settings import CONFIG_DIR, NlpSettings
from extractors import metrics as _metrics
from extractors.entities import EntityMatcher, Mention, load_entities, load_patterns
from extractors.modality import assess
from extractors.nlp import load_model
from extractors.numbers import find_numbers
from extractors.quantities import Quantity, find_quantities
from extractors.timescope import find_times, is_year

METRICS = (
    "gpu_count",
    "cost",
    "investment",
    "price",
    "market_value_change",
    "funding",
    "revenue",
    "valuation",
    "parameter_count",
    "agi_date",
    "release_date",
    "duration",
    "compute_multiplier",
    "other",
)
HEDGES = ("approx", "at_least", "at_most", "range", "vague")
MODALITIES = ("denied", "hypothetical", "plan", "reported", "stated")
"""How the text holds a figure, in precedence order: the first that applies wins.

``denied``: negated, denied or corrected away; ``hypothetical``: a conditional or illustrative
computation (it has a condition: « si », "if", « à 30 000 dollars l'unité »); ``plan``: a target,
forecast or ambition; ``reported``: attributed to someone else or unverified (the French
journalistic conditional « lèverait », « aurait nécessité »); ``stated``: the text states it."""
CONTRACT_KEYS = (
    "subject",
    "metric",
    "value_low",
    "value_high",
    "unit",
    "qualifier",
    "hedge",
    "time",
    "speaker",
    "probability",
    "modality",
    "sentence",
    "start",
    "end",
    "lang",
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure stated in an article, with what it is about.

    ``value_low``/``value_high`` are equal for a point value; ``None`` is an open bound.
    Money is in currency units (``USD``, ``EUR``), not millions. ``start``/``end`` are the
    character offsets of the figure in the text the extractor was given.
    """

    subject: str | None
    metric: str
    value_low: float | None
    value_high: float | None
    unit: str | None
    qualifier: str | None
    hedge: str | None
    time: str | None
    speaker: str | None
    probability: float | None
    sentence: str
    start: int
    end: int
    lang: str
    currency_implied: bool = False
    """The currency was not written next to the figure but carried from context."""
    modality: str = "stated"
    """One of :data:`MODALITIES`."""

    @property
    def is_plan(self) -> bool:
        """A target, ambition or forecast rather than a stated current figure."""
        return self.modality == "plan"

    def as_json(self) -> dict[str, Any]:
        """The claim as the ``veille extract`` contract: exactly ``CONTRACT_KEYS``."""
        return {key: getattr(self, key) for key in CONTRACT_KEYS}


LANGS = ("fr", "en")


@dataclass(frozen=True, slots=True)
class Analysis:
    """What one parse of an article yields: its claims and every name it mentions (table
    aliases, name rules and NER), in text order."""

    claims: list[Claim]
    mentions: tuple[Mention, ...]
_NER_KINDS = {"ORG": "org", "PER": "person", "PERSON": "person"}


class ClaimExtractor:
    """Extracts claims with one spaCy pipeline per language, loaded on first use."""

    def __init__(self, nlp: NlpSettings, entities_file: str | Path) -> None:
        self._settings = nlp
        self._matcher = EntityMatcher(load_entities(entities_file), load_patterns())

    def extract(self, text: str, lang: str, *, published: datetime.date | None = None) -> list[Claim]:
        """Claims in ``text`` (``lang`` ``fr`` or ``en``) in text order."""
        return self.extract_many([(text, lang, published)])[0]

    def extract_many(self, items: Sequence[tuple[str, str, datetime.date | None]]) -> list[list[Claim]]:
        """Claims for each ``(text, lang, published)``; texts are parsed in ``nlp.pipe`` batches per language."""
        return [analysis.claims for analysis in self.analyse_many(items)]

    def analyse_many(self, items: Sequence[tuple[str, str, datetime.date | None]]) -> list[Analysis]:
        """Claims and named mentions for each ``(text, lang, published)``, from one parse per text."""
        for i, (_, lang, _) in enumerate(items):
            if lang not in LANGS:
                raise ExtractionError(f"item {i}", f"unsupported language {lang!r} (expected fr or en)")
        results: list[Analysis] = [Analysis([], ()) for _ in items]
        for lang in LANGS:
            idx = [i for i, item in enumerate(items) if item[1] == lang]
            if not idx:
                continue
            texts = [_clean(items[i][0], self._settings.max_chars) for i in idx]
            model = load_model(self.model_name(lang), f"nlp.{lang}_model")
            docs = model.pipe(texts, batch_size=self._settings.batch_size)
            for i, text, doc in zip(idx, texts, docs, strict=True):
                document = _Document(self._matcher, doc, text, lang, items[i][2])
                results[i] = Analysis(assess(document.claims(), doc, document.mentions, lang),
                                      tuple(document.mentions))
        return results

    def model_name(self, lang: str) -> str:
        return self._settings.fr_model if lang == "fr" else self._settings.en_model


@functools.lru_cache(maxsize=1)
def _default_extractor() -> ClaimExtractor:
    return ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml")


def extract_claims(text: str, lang: str, *, published: datetime.date | None = None) -> list[Claim]:
    """Claims in ``text`` with veille's default models and entity table (cached per process)."""
    return _default_extractor().extract(text, lang, published=published)


def _clean(text: str, max_chars: int) -> str:
    # Offsets must index the caller's text, so nothing is rewritten, only cut.
    return text[:max_chars] if isinstance(text, str) else ""


_NOT_A_NAME = re.compile(r"[$€£%§#@/\\()\[\]{}<>=+*|]")
_COMMON_CAPS = {"gpu", "gpus", "cpu", "cpus", "tpu", "tpus", "ia", "ai", "agi", "iag", "llm", "llms", "api", "apis",
                "pdg", "ceo", "cfo", "cto", "bourse", "md", "mds", "mrd", "capex", "datacenter", "cloud",
                "ebitda", "ipo", "arr", "flops", "hbm", "nvl", "etf", "sec", "pib", "gdp"}
_PRONOUNS = {"il", "elle", "ils", "elles", "he", "she", "it", "they", "celui-ci", "celle-ci"}
_GENERIC_SUBJECTS = re.compile(
    r"^(?:l['’]entreprise|la société|la start-?up|le groupe|la firme|l['’]homme d['’]affaires|le milliardaire|"
    r"l['’]intéressé|le patron|le pdg|le géant(?: \w+ \w+)?|the company|the startup|the firm|the group|the billionaire|"
    r"the lab|the chipmaker|the executive|the ceo|the giant)$", re.IGNORECASE)
_GENERIC_PERSON = re.compile(r"^(?:l['’]homme d['’]affaires|le milliardaire|l['’]intéressé|le patron|le pdg|"
                             r"the billionaire|the executive|the ceo)$", re.IGNORECASE)
_GENERIC_CLUSTER = re.compile(r"^(?:the|le|ce|this|its|son) (?:cluster|supercomputer|supercalculateur|data ?cent(?:er|re)|site)$",
                              re.IGNORECASE)
_GENERIC_MODEL = re.compile(r"^(?:the|le|ce|this|its|son) (?:model|modèle|system|système)$", re.IGNORECASE)
_VENDOR_HEAD = re.compile(r"^(?:GPUs?|puces?|chips?|processeurs?|processors?|cartes?|accélérateurs?|accelerators?|"
                          r"fournisseur|supplier|actions?|shares?)$", re.IGNORECASE)
_AGI_CUE = re.compile(r"(?:\bAGI\b|\bIAG\b|intelligence artificielle générale|artificial general intelligence|"
                      r"superintelligence|human-level (?:AI|intelligence)|\bIA générale\b|\bpowerful AI\b|\bIA puissante\b)", re.IGNORECASE)
_PREDICT_CUE = re.compile(r"\b(?:arriv\w*|voi[tr]|prédi\w*|prévoi\w*|estim\w*|pari\w*|pense|croit|selon|d['’]ici|"
                          r"avant|après|predict\w*|expect\w*|believ\w*|think\w*|says?|said|puts?|forecast\w*|by|before|"
                          r"after|bet\w*|chance|probabilit\w*|according)\b", re.IGNORECASE)
_BEFORE_BOUND = re.compile(r"(?:d['’]ici(?: à)?|by|before|avant|no later than|au plus tard en|within)\s*"
                           r"(?:la fin (?:de\s*)?|the end of\s*|end of\s*|fin\s*)?$", re.IGNORECASE)
_AFTER_BOUND = re.compile(r"(?:pas avant|not before|not until|after|après|au plus tôt en|au-delà de|beyond|"
                          r"no earlier than|at the earliest in)\s*$", re.IGNORECASE)
_APPROX_YEAR = re.compile(r"(?:vers|autour de|around|circa|about|aux alentours de|environ)\s*$", re.IGNORECASE)
_REL_YEAR = re.compile(r"(?:next year|l['’]an prochain|l['’]année prochaine|this year|cette année)", re.IGNORECASE)
_WITHIN = re.compile(r"\b(?:within|in|in the next|d['’]ici|dans|sous|d['’]ici à|au cours des|over the next)\s*(?:the\s+)?(?:next\s+)?$",
                     re.IGNORECASE)
_PROB_PCT = re.compile(r"(?P<p>\d{1,3}(?:[.,]\d+)?)\s?(?:%|pour[ \u00a0]?cent|percent|per cent)")
_PROB_ONE_IN = re.compile(r"\b(?:une chance sur|one in|1 in|une sur)\s+(?P<n>\w+)", re.IGNORECASE)
_RELEASE_CUE = re.compile(r"\b(?:sorti\w*|lanc\w*|disponible|promis\w* pour|prévu\w* pour|attendu\w* pour|arrivera|"
                          r"dévoil\w*|releas\w*|launch\w*|ship\w*|available|debut\w*|roll(?:ed|s)? out)\b",
                          re.IGNORECASE)
_MONEY_SCALES = {"million", "millions", "milliard", "milliards", "billion", "billions", "trillion", "trillions",
                 "bn", "mn", "md", "mds", "mrd", "M", "B", "T", "tn", "G"}
_OTHER_NOUN = re.compile(r"^[ \u00a0\u202f]*(?!(?:active|actifs?|activés?|of|de|d['’]|dont|chacun\w*|each|and|et|or|ou|to|à|in|en)\b)[^\W\d]{2,}",
                         re.IGNORECASE)
_TO_NEXT = re.compile(r"^[ \u00a0\u202f]*(?:à|to|-|–)[ \u00a0\u202f]*\d")
_OTHER_NOUN_AFTER = re.compile(r"^[ \u00a0]*(?:de |d['’]|of )[ \u00a0]*[^\W\d]", re.IGNORECASE)
_MONEY_FOLLOW = re.compile(r"^(?:\s*$|\s*[.,;:!?)»—–-]|\s+(?:en|in|pour|for|et|and|sur|over|d['’]ici|by|dans|to|à|au|aux|"
                           r"cette|this|l['’]an|par an|a year|per year|annuels?|de plus|more|supplémentaires|additional)\b)",
                           re.IGNORECASE)
_SMALL_WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10, "two": 2, "three": 3, "four": 4,
                "five": 5, "ten": 10}
_CARRY_SENTENCES = 3
_TOGETHER = re.compile(r"\b(?:ensemble|au total|cumulé\w*|together|combined|collectively|altogether|in total|"
                       r"(?P<them>between them|entre eux|à eux (?:deux|trois|quatre|cinq|tous)))\b", re.IGNORECASE)
_LEAD_BEFORE = re.compile(r"[ \t\u00a0]*(?:\d{1,2}[.)][ \t\u00a0]*|[-•*][ \t\u00a0]*)?")
_LEAD_AFTER = re.compile(r"[ \t\u00a0]*(?:[^\W\d]+[ \t\u00a0]*){0,3}")
_MAX_UNIT_PRICE = 1e7  # a GPU sells for ~$30,000, a full rack for ~$3 million: above this, a total
_CLAUSE_BREAK = re.compile(r"[,;:—–()]|\b(?:as|while|whereas|but|and|alors que|tandis que|mais|et)\b", re.IGNORECASE)
_NAMING_VERB = re.compile(r"^(?:appelée?s?|baptisée?s?|nommée?s?|dénommée?s?|called|named|dubbed|known)$", re.IGNORECASE)
_SPEECH_VERB = re.compile(r"^(?:annonc\w*|déclar\w*|affirm\w*|dit|dire|expliqu\w*|assur\w*|indiqu\w*|précis\w*|"
                          r"écri\w*|estim\w*|said|says|announc\w*|told|stated?|claim\w*|wrote|noted|added|insist\w*)$",
                          re.IGNORECASE)
_MODEL_NOUN = re.compile(r"\b(?:modèles?|models?|version|successeur|successor|il|it)\b", re.IGNORECASE)
_FRAGMENT = re.compile(r"^\s*[^?:.!]{1,40}\s[?:]\s*$")
_GPU_BEFORE = re.compile(r"\b(?:GPUs?|puces|chips|processeurs|processors|accélérateurs|accelerators)\b[^.;]{0,50}"
                         r"\b(?:compt\w*|s['’]él[eè]v\w*|number\w*|total\w*|atteign\w*|reach\w*)(?:\s+\w+){0,2}?\s+(?:à\s+|par\s+|in the\s+)?$",
                         re.IGNORECASE)


@dataclass(slots=True)
class _Context:
    """What the article has said so far: the topic, the currency, the people named."""

    topic: Mention | None = None
    topic_sent: int = -10
    chip: str | None = None
    currency: str | None = None
    money_metric: str | None = None
    money_sent: int = -10
    agi_sent: int = -10
    persons: dict[str, str] = field(default_factory=dict)
    last_person: str | None = None
    fragment_topic: Mention | None = None
    last_of_kind: dict[str, tuple[Mention, int]] = field(default_factory=dict)


class _Document:
    def __init__(self, matcher: EntityMatcher, doc: Doc, text: str, lang: str,
                 published: datetime.date | None) -> None:
        self.matcher, self.doc, self.text, self.lang, self.published = matcher, doc, text, lang, published
        self.mentions = self._mentions()
        spans = [(m.start, m.end) for m in self.mentions]
        numbers = [n for n in find_numbers(text, lang) if not any(s < n.end and n.start < e for s, e in spans)]
        chips = [m for m in self.mentions if m.kind == "chip"]
        self.quantities = find_quantities(text, lang, numbers, chips)
        self.times = find_times(text, published)
        self.ctx = _Context()
        self._current_sent = 0
        self._sent_text = ""

    def _mentions(self) -> list[Mention]:
        found = self.matcher.find(self.text)
        taken = [(m.start, m.end) for m in found]
        for ent in self.doc.ents:
            kind = _NER_KINDS.get(ent.label_)
            if kind is None or any(s < ent.end_char and ent.start_char < e for s, e in taken):
                continue
            name = ent.text.strip(" \u00a0'’\"«»“”")
            if len(name) < 3 or any(c.isdigit() for c in name) or not name[0].isupper() or "\n" in name:
                continue
            if _NOT_A_NAME.search(name) or name.casefold() in _COMMON_CAPS:
                continue  # "Md$", "GPU", "IA": abbreviations the small models tag as organisations
            found.append(Mention(name, kind, ent.start_char, ent.end_char))
        found = _named_clusters(self.text, found, set(self.matcher.entities))
        found.sort(key=lambda m: m.start)
        return _short_names(self.text, found)

    def claims(self) -> list[Claim]:
        out: list[Claim] = []
        qi = 0
        sents = list(self.doc.sents)
        for si, sent in enumerate(sents):
            self._current_sent = si
            self._sent_text = sent.text
            s0, s1 = sent.start_char, sent.end_char
            while qi < len(self.quantities) and self.quantities[qi].start < s0:
                qi += 1
            sent_q = []
            while qi < len(self.quantities) and self.quantities[qi].start < s1:
                sent_q.append(self.quantities[qi])
                qi += 1
            mentions = [m for m in self.mentions if s0 <= m.start < s1]
            self._register_persons(mentions)
            made = self._agi_claims(si, sent, sent_q, mentions)
            made += self._release_claims(si, sent, sent_q, mentions)
            lead = self._lead_span(si, sents, sent_q)
            for q in sent_q:
                if lead is not None:
                    lead_mentions = [m for m in self.mentions if lead.start_char <= m.start < lead.end_char]
                    claim = self._claim(si, lead, q, lead_mentions)
                else:
                    claim = self._claim(si, sent, q, mentions)
                if claim is not None:
                    made.append(claim)
            made.sort(key=lambda c: c.start)
            made = self._linked(made)
            out.extend(made)
            self._update_context(si, sent, sent_q, mentions, made)
        return out

    def _lead_span(self, si: int, sents: list[Span], sent_q: list[Quantity]) -> Span | None:
        """A figure alone on its line, as "by the numbers" articles set them ("3. 200 000 GPU",
        then "La taille de Colossus, le supercalculateur de xAI …"): the line after it says
        what the figure measures and whose it is, so the two are read as one sentence."""
        if len(sent_q) != 1 or si + 1 >= len(sents):
            return None
        q = sent_q[0]
        line_start = self.text.rfind("\n", 0, q.start) + 1
        line_end = self.text.find("\n", q.start)
        if line_end < 0 or not _LEAD_BEFORE.fullmatch(self.text[line_start:q.start]) \
                or not _LEAD_AFTER.fullmatch(self.text[max(q.end, q.unit_end):line_end]):
            return None
        nxt = sents[si + 1]
        if nxt.start_char < line_end or "\n\n" in self.text[line_end:nxt.start_char + 1]:
            return None  # the explanation must be the very next line
        return self.doc[sents[si].start:nxt.end]

    # --- figures that lean on the figure before them ---------------------------------------

    def _linked(self, made: list[Claim]) -> list[Claim]:
        """Figures introduced by a comparison or a part-of word take the metric and subject of
        the figure they are compared with ("65 Md$, contre 40 Md$ en 2024", "up from $3.7
        billion", "1,7 milliard, dont 1,3 milliard apporté par ASML"); a conversion into another
        currency ("5,6 M$, soit 5,4 M€", "£2 billion ($2.7bn)") is the same figure, not a claim;
        a valuation stated with a funding round is the valuation of whoever raised it."""
        out: list[Claim] = []
        for c in made:
            prev = next((p for p in reversed(out) if p.end <= c.start and _unit_class(p.unit) == _unit_class(c.unit)
                         and p.metric != "agi_date"), None)
            if prev is None or c.metric in ("agi_date", "release_date"):
                out.append(c)
                continue
            between = self.text[prev.end:c.start]
            if c.unit != prev.unit and _unit_class(c.unit) == "money" and _CONVERSION.match(between):
                continue
            gapped = _GAPPED.match(between) or _PAREN_NAME.search(between)
            named = next((m for m in self.mentions if gapped and prev.end + gapped.start("name") == m.start
                          and m.kind in ("org", "programme", "model")), None)
            if named is not None:
                c = dataclasses.replace(c, metric=prev.metric, subject=named.name)
            elif _COMPARED.search(between) and not _NEW_CLAUSE.search(between):
                own = _FOR_NAME.match(self.text[c.end:c.end + 12])
                named = next((m for m in self.mentions if own and c.end + own.end() == m.start), None)
                # "… compared with $4.38 for GPT-4o": the metric carries over, the subject is named
                c = dataclasses.replace(c, metric=prev.metric, subject=named.name if named else prev.subject,
                                        qualifier=c.qualifier or (prev.qualifier if c.unit == "GPU" else None))
            elif c.metric == "valuation" and _unit_class(c.unit) == "money":
                raised = next((p for p in reversed(out) if p.metric == "funding" and p.subject
                               and not _NEW_CLAUSE.search(self.text[p.end:c.start])), None)
                invested = next((p for p in reversed(out) if p.metric == "investment"), None)
                if raised is not None:
                    c = dataclasses.replace(c, subject=raised.subject)
                elif invested is not None:
                    target = self._investee(invested.end, c.start)
                    if target is not None:
                        c = dataclasses.replace(c, subject=target)
            out.append(c)
        return out

    def _investee(self, start: int, end: int) -> str | None:
        """The org named after "in"/"dans" between an investment and the valuation it sets."""
        m = re.match(r"\s*(?:in|into|dans|au capital d[e'’]|au capital de)\s*", self.text[start:end])
        if m is None:
            return None
        target = start + m.end()
        return next((x.name for x in self.mentions if x.start == target and x.kind == "org"), None)

    # --- context -------------------------------------------------------------------------

    def _register_persons(self, mentions: list[Mention]) -> None:
        for m in mentions:
            if m.kind != "person":
                continue
            parts = m.name.split()
            if len(parts) >= 2:
                for part in (parts[0], parts[-1]):
                    self.ctx.persons.setdefault(part, m.name)

    def _person_name(self, name: str) -> str:
        return self.ctx.persons.get(name, name) if " " not in name else name

    def _update_context(self, si: int, sent: Span, sent_q: list[Quantity], mentions: list[Mention],
                        made: list[Claim]) -> None:
        ctx = self.ctx
        for q in sent_q:
            if q.unit in ("USD", "EUR", "GBP"):
                ctx.currency = q.unit
        money = [c for c in made if c.unit in ("USD", "EUR", "GBP") and c.metric != "agi_date"]
        if money:
            ctx.money_metric, ctx.money_sent = money[-1].metric, si
        if _AGI_CUE.search(sent.text) or any(c.metric == "agi_date" for c in made):
            ctx.agi_sent = si
        for m in mentions:
            if not self._is_vendor(m):
                ctx.last_of_kind[m.kind] = (m, si)
            if m.kind == "chip":
                ctx.chip = m.name
            if m.kind == "person":
                ctx.last_person = self._person_name(m.name)
        candidates = [m for m in mentions if m.kind not in ("chip", "concept") and not self._is_vendor(m)]
        ctx.fragment_topic = None
        if candidates:
            subj = next((m for m in candidates if self._dep_of(m) in ("nsubj", "nsubj:pass")), candidates[0])
            ctx.topic, ctx.topic_sent = subj, si
            last = candidates[-1]
            if re.fullmatch(r"\s*[?:]\s*", self.text[last.end:sent.end_char]) and (
                    last.start - sent.start_char < 3 or re.search(r"[.!?»]\s+$", self.text[sent.start_char:last.start])):
                ctx.fragment_topic = last  # "… avec moins. Stargate ? Un programme de 500 milliards"
        claimed = [c for c in made if c.subject and c.metric not in ("agi_date", "price")]
        if claimed:
            named = next((x for x in mentions if x.name == claimed[-1].subject), None)
            if named is not None:
                ctx.topic, ctx.topic_sent = named, si
            elif ctx.topic is not None and self._canonical(ctx.topic, claimed[-1].metric) == claimed[-1].subject:
                ctx.topic_sent = si  # the figure was about the carried topic: it stays current

    # --- figures -------------------------------------------------------------------------

    def _claim(self, si: int, sent: Span, q: Quantity, mentions: list[Mention]) -> Claim | None:
        n = q.number
        if q.unit is None and is_year(n):
            return None
        unit, implied = q.unit, False
        if unit is None and _GPU_BEFORE.search(self.text[max(sent.start_char, q.start - 70):q.start]):
            unit = "GPU"
        if unit is None and q.number.scale is not None:
            prev = [p for p in self.quantities if sent.start_char <= p.start < q.start and p.unit in ("parameter", "GPU")]
            if prev and q.start - prev[-1].unit_end < 60 and not _OTHER_NOUN.match(self.text[q.number.end:q.number.end + 30]):
                unit = prev[-1].unit  # "671 billion parameters, with 37 billion active": the unit is elided
        qualifier = q.qualifier
        if unit is None and _TO_NEXT.match(self.text[q.number.end:q.number.end + 8]):
            nxt = next((p for p in self.quantities if p.start > q.start), None)
            if nxt is not None and nxt.unit in ("GPU", "parameter", "W") and nxt.start - q.number.end < 8:
                unit, qualifier = nxt.unit, nxt.qualifier  # "de 100 000 à 200 000 GPU H100"
        if unit is None:
            unit, implied = self._implied_currency(sent, q), True
            if unit is None:
                return None
        s0 = sent.start_char
        sent_text = sent.text
        metric: str | None
        if unit in ("USD", "EUR", "GBP"):
            names_chip = any(m.kind == "chip" for m in mentions) or bool(re.search(r"\b(?:chips?|GPUs?|puces?)\b", sent_text))
            metric = _metrics.money_metric(sent_text, q.start - s0, q.end - s0, names_chip)
            if metric is None:
                metric = self.ctx.money_metric if si - self.ctx.money_sent <= 1 and self.ctx.money_metric else "other"
            if metric == "price" and max(q.low or 0.0, q.high or 0.0) >= _MAX_UNIT_PRICE:
                metric = "cost"  # "which puts the hardware at about $3 billion": a total, not a unit price
        elif unit == "GPU":
            metric = "gpu_count"
        elif unit == "parameter":
            metric = "parameter_count"
        elif unit in ("day", "month", "year"):
            if not _metrics.BUILD_CUE.search(self.text[max(s0, q.start - 60):q.start]):
                return None
            metric = "duration"
        elif unit == "x":
            if not _metrics.COMPUTE_CUE.search(self.text[max(s0, q.start - 40):q.unit_end + 50]):
                return None
            metric = "compute_multiplier"
        elif unit == "W":
            metric = "other"
        else:
            return None
        if metric == "other" and q.hedge == "vague":
            return None  # "à grands coups de milliards": an order of magnitude with no stated purpose
        # "Microsoft, Alphabet, Amazon et Meta devraient dépenser ensemble 350 milliards", "raised
        # $100 billion between them": a total over several owners belongs to none of them.
        orgs = {m.name for m in mentions if m.kind == "org" and not self._is_vendor(m)}
        together = _TOGETHER.search(sent.text)
        if together is not None and (len(orgs) >= 2 or together.group("them")):
            subject = None
        else:
            subject = self._subject(sent, q, mentions, metric)
            if subject is None:
                return None
        return Claim(
            subject=subject,
            metric=metric,
            value_low=q.low,
            value_high=q.high,
            unit=unit,
            qualifier=qualifier,
            hedge=q.hedge,
            time=self._time(sent, q.start, q.unit_end),
            speaker=None,
            probability=None,
            sentence=sent_text.strip(),
            start=q.start,
            end=q.end,
            lang=self.lang,
            currency_implied=implied,
            modality="plan" if self._is_plan(sent, q) else "stated",
        )

    def _is_plan(self, sent: Span, q: Quantity) -> bool:
        """A target or ambition: a plan word governs the figure in the parse ("Musk eyes a
        million", "il ambitionne de disposer de 50 millions de GPU", "Meta will have 1.3
        million GPUs") or a deadline is set ("d'ici 2030"). Only the figure's own clause
        counts: in "xAI doubles Colossus to 200,000 GPUs as Musk eyes a million" the first
        figure is a fact."""
        clause = _CLAUSE_BREAK.split(self.text[sent.start_char:q.start])[-1]
        if _metrics.PLAN_CUE.search(clause):
            return True
        anchor = self._root_of(q.number.start, q.number.end)
        if anchor is None:
            return bool(_metrics.PLAN_CUE.search(sent.text))
        for token in (anchor, *anchor.ancestors):
            if _metrics.PLAN_CUE.fullmatch(token.text) or any(
                    child.dep_.startswith("aux") and _metrics.PLAN_CUE.fullmatch(child.text)
                    for child in token.children):
                return True
        return bool(_metrics.DEADLINE_CUE.search(sent.text))

    def _implied_currency(self, sent: Span, q: Quantity) -> str | None:
        """The currency of a scaled figure written without one ("Amazon plus de 75 milliards"):
        the last one named earlier in the sentence, else in the article so far."""
        n = q.number
        if n.scale is None or (n.scale not in _MONEY_SCALES and n.scale.lower() not in _MONEY_SCALES):
            return None
        earlier = [p.unit for p in self.quantities
                   if sent.start_char <= p.start < q.start and p.unit in ("USD", "EUR", "GBP")]
        linked = bool(earlier) and _COMPARED.search(self.text[max(sent.start_char, n.start - 30):n.start]) is not None
        if not linked and not _MONEY_FOLLOW.match(self.text[n.end:n.end + 20]):
            return None
        return earlier[-1] if earlier else self.ctx.currency

    def _time(self, sent: Span, start: int, end: int) -> str | None:
        inside = [t for t in self.times if sent.start_char <= t.start < sent.end_char
                  and not (t.start <= start < t.end)]
        if not inside:
            return None
        best = min(inside, key=lambda t: min(abs(t.start - end), abs(start - t.end)))
        return best.value

    # --- subjects ------------------------------------------------------------------------

    def _token_at(self, char: int) -> Token | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span[0]

    def _root_of(self, start: int, end: int) -> Token | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span.root

    def _dep_of(self, m: Mention) -> str:
        tok = self._root_of(m.start, m.end)
        return tok.dep_ if tok is not None else ""

    def _is_vendor(self, m: Mention, metric: str | None = None) -> bool:
        if m.kind != "org":
            return False
        tok = self._root_of(m.start, m.end)
        if tok is None:
            return False
        head = tok.head
        if metric in ("market_value_change", "valuation") and re.match(r"^(?:actions?|shares?|titres?|stock)$", head.text, re.I):
            return False  # "l'action Nvidia a chuté …": the shares are the company's
        if _VENDOR_HEAD.match(head.text) or any(c.kind == "chip" and c.start <= head.idx < c.end for c in self.mentions):
            return True
        # "puces H100 de Nvidia", "Nvidia's GPUs": within the line, never across a headline's end
        before = self.text[max(0, m.start - 25):m.start].rpartition("\n")[2]
        return bool(re.search(r"(?:puces?|GPUs?|chips?|processeurs?|cartes?)[^\S\n]+(?:\w+[^\S\n]+)?(?:de[^\S\n]+|d['’])?$", before)) or \
            bool(re.match(r"^(?:'s)?[^\S\n]+(?:H\d+|B\d+|GPUs?|chips?|puces?)\b", self.text[m.end:m.end + 12]))

    def _subject(self, sent: Span, q: Quantity, mentions: list[Mention], metric: str) -> str | None:
        if metric == "parameter_count":
            # Parameters are always a model's: the nearest model named in the sentence, else the
            # last one named ("Meta a publié Llama 3.1. Sa version à 405 milliards de paramètres …").
            models = [m for m in mentions if m.kind == "model" and not (m.start < q.unit_end and q.start < m.end)]
            if models:
                return min(models, key=lambda m: abs(m.start - q.start) + (60 if m.start > q.start else 0)).name
            last = self.ctx.last_of_kind.get("model")
            if last is not None and self._current_sent - last[1] <= _CARRY_SENTENCES:
                return last[0].name
        anchor = self._root_of(q.number.start, q.number.end)
        scored: list[tuple[float, str]] = []
        for m in mentions:
            if m.start < q.unit_end and q.start < m.end:
                continue
            if m.kind == "concept" or (m.kind == "chip" and metric != "price"):
                continue
            if metric != "price" and self._is_vendor(m, metric):
                continue
            if metric == "investment" and re.fullmatch(r"\s*(?:in|into|dans|au capital d[e'’])\s*", self.text[q.unit_end:m.start]):
                continue  # "SoftBank will invest $40 billion in OpenAI": OpenAI is invested in, not investing
            if m.kind == "person" and metric != "agi_date" and " " in self._person_name(m.name) \
                    and not (m.org or self.matcher.person_org(self._person_name(m.name))):
                continue  # "CFO Amy Hood said …": she speaks for the company in context (a one-word
                # "person" is more often a company the small models mistag: "le canadien Brookfield")
            if m.kind == "model" and metric in ("cost", "gpu_count", "duration", "compute_multiplier") \
                    and _TRAIN_CUE.search(sent.text):
                bonus = -1.0  # "DeepSeek said it trained its V3 model for …": the figure is the model's
            else:
                bonus = 0.0
            tok = self._root_of(m.start, m.end)
            dist = _tree_distance(anchor, tok)
            if tok is not None and _NAMING_VERB.match(tok.head.text):
                # "le modèle …, appelé o1, …": the name stands where the noun it names stands.
                dist = min(dist, _tree_distance(anchor, tok.head.head))
            if re.search(r"(?:\bthan|\bfrom|auprès d[e'’]|compared (?:to|with)|versus|vs\.?|"
                         r"\b(?:plus|moins|autant)\b[^.;]{0,50}\bqu(?:e|['’]))\s*$",
                         self.text[max(0, m.start - 60):m.start]):
                continue  # "10 times more compute than Grok 2", "$8 billion from Amazon": not the subject
            if re.search(r"\b(?:with|avec|alongside|aux côtés d[e'’]|en partenariat avec|partnered with)\s+"
                         r"(?:[A-Z][\w.&-]*\s*(?:,|and|et)\s*)*(?:\w+\s*)?$",
                         self.text[max(0, m.start - 40):m.start]):
                continue  # "the joint venture with SoftBank and Oracle that plans to invest": partners
            if m.kind == "person" and tok is not None and tok.dep_.startswith("nsubj") and _SPEECH_VERB.match(tok.head.text):
                dist += 1.5  # "Musk a annoncé que Grok 3 …": the speaker is rarely what the figure is about
            if m.start < q.start and _FRAGMENT.match(self.text[sent.start_char:m.end + 3]):
                dist = min(dist, 1.0)  # "Stargate ? Un programme … de 500 milliards"
            if tok is not None and (tok.dep_.startswith("nsubj") or (
                    tok.dep_ in ("compound", "nmod", "amod", "appos", "flat", "flat:name", "nummod")
                    and tok.head.dep_.startswith("nsubj"))):
                dist -= 0.5  # the clause's subject is what a figure in it is usually about
            linear = abs(m.start - q.start) / 200.0 + (0.3 if m.start > q.start else 0.0)
            scored.append((dist + linear + bonus + _kind_bias(m.kind, metric), self._canonical(m, metric)))
        if anchor is not None:
            for tok in sent:
                if tok.dep_ not in ("nsubj", "nsubj:pass", "nsubjpass", "obj", "dobj"):
                    continue
                phrase = self.doc[tok.left_edge.i:tok.i + 1].text
                if tok.head not in [anchor, *anchor.ancestors]:
                    continue  # "… qu'il compare aux GPU H100": a pronoun in another clause
                referent = self._referent(tok, phrase, mentions, metric)
                if referent is not None:
                    scored.append((_tree_distance(anchor, tok) + 0.05, referent))
        if self.ctx.fragment_topic is not None:
            scored.append((1.0, self._canonical(self.ctx.fragment_topic, metric)))
        if metric == "price":
            chips = [m for m in mentions if m.kind == "chip"]
            if chips:
                # "une baie GB200 NVL72, qui regroupe 72 GPU Blackwell, s'échange autour de 3 M$": the
                # chip nearest in the parse, one written before the price first
                return min(chips, key=lambda m: (m.start > q.start, _tree_distance(anchor, self._root_of(m.start, m.end))
                                                 + abs(m.start - q.start) / 200.0)).name
            if not scored and self.ctx.chip is not None:
                return self.ctx.chip
        if scored:
            return min(scored)[1]
        if q.hedge == "vague":
            return None  # "des milliards" with no name in the sentence is rhetoric, not a claim
        return self._topic(metric)

    def _referent(self, tok: Token, phrase: str, mentions: list[Mention], metric: str) -> str | None:
        """What a pronoun or a generic noun phrase ("the company", "le cluster") stands for."""
        low = phrase.lower()
        kinds: tuple[str, ...]
        if tok.lower_ in _PRONOUNS and tok.dep_.startswith("nsubj"):
            kinds = ("org", "person", "programme", "model")
        elif _GENERIC_PERSON.match(low):
            kinds = ("person",)
        elif _GENERIC_CLUSTER.match(low):
            kinds = ("programme",)
        elif _GENERIC_MODEL.match(low):
            kinds = ("model",)
        elif _GENERIC_SUBJECTS.match(low):
            kinds = ("org", "person")
        else:
            return None
        inside = [m for m in mentions if tok.left_edge.idx <= m.start and m.end <= tok.idx + len(tok.text)
                  and m.kind in kinds and m.kind != "person"]
        if inside and kinds != ("org", "person", "programme", "model"):
            return self._canonical(inside[-1], metric)  # "le modèle …, appelé o1": the named one
        near = (("org", "model", "programme") if tok.lower_ == "it" else ("org", "person")) \
            if kinds == ("org", "person", "programme", "model") else kinds
        before = [m for m in mentions if m.end <= tok.idx and m.kind in near and not self._is_vendor(m)]
        if before and kinds != ("model",):
            return self._canonical(before[-1], metric)
        topic = self.ctx.topic
        if kinds == ("org", "person") and topic is not None and topic.kind == "org" \
                and self._current_sent - self.ctx.topic_sent <= _CARRY_SENTENCES:
            return topic.name  # "la société", "the company": what the article is about, not the last org named
        last = self.ctx.last_of_kind
        for kind in kinds:
            if kind in last and self._current_sent - last[kind][1] <= _CARRY_SENTENCES + 2:
                if kinds == ("org", "person", "programme", "model") and self.ctx.topic is not None:
                    break
                return self._canonical(last[kind][0], metric)
        return self._topic(metric)

    def _topic(self, metric: str) -> str | None:
        ctx = self.ctx
        last_model = ctx.last_of_kind.get("model")
        if metric in ("cost", "gpu_count", "duration") and last_model is not None and _TRAIN_CUE.search(self._sent_text) \
                and self._current_sent - last_model[1] <= 1:
            return last_model[0].name  # "… avec Llama 3.1. Sa version … a été entraînée sur 16 000 GPU": the model trained
        if ctx.topic is None:
            return None
        if self._current_sent - ctx.topic_sent > _CARRY_SENTENCES:
            return None
        return self._canonical(ctx.topic, metric)

    def _canonical(self, m: Mention, metric: str) -> str:
        if m.kind == "person":
            name = self._person_name(m.name)
            if metric != "agi_date":
                org = m.org or self.matcher.person_org(name)
                return org or name
            return name
        return m.name

    # --- predictions and dates -----------------------------------------------------------

    def _agi_claims(self, si: int, sent: Span, sent_q: list[Quantity], mentions: list[Mention]) -> list[Claim]:
        text = sent.text
        about_agi = bool(_AGI_CUE.search(text)) or (si - self.ctx.agi_sent <= 2 and _PREDICT_CUE.search(text) is not None)
        if not about_agi:
            return []
        out = self._agi_relative(sent, sent_q, mentions)
        for q in sent_q:
            n = q.number
            years = n.kind in ("point", "range") and 2000 <= n.low <= 2200 and 2000 <= n.high <= 2200 and n.scale is None \
                and q.unit is None and float(n.low).is_integer()
            if not years:
                continue
            before = self.text[max(sent.start_char, n.start - 40):n.start]
            low: float | None = n.low
            high: float | None = n.high
            hedge = "range" if n.kind == "range" else None
            if n.kind != "range":
                if _AFTER_BOUND.search(before) or re.match(r"\s*at the earliest", self.text[n.end:n.end + 20]):
                    high, hedge = None, "at_least"
                elif _BEFORE_BOUND.search(before):
                    low, hedge = None, "at_most"
                elif _APPROX_YEAR.search(before):
                    hedge = "approx"
            out.append(Claim(
                subject="AGI", metric="agi_date", value_low=low, value_high=high, unit="year", qualifier=None,
                hedge=hedge, time=None, speaker=self._speaker(sent, n.start, mentions),
                probability=self._probability(text), sentence=text.strip(), start=n.start, end=n.end,
                lang=self.lang,
            ))
        return out

    def _agi_relative(self, sent: Span, sent_q: list[Quantity], mentions: list[Mention]) -> list[Claim]:
        """AGI dates written relative to publication: "AGI probably next year", "l'AGI d'ici cinq
        à dix ans", "within a decade" (needs ``published``)."""
        if self.published is None or not _AGI_CUE.search(sent.text):
            return []
        year0 = self.published.year
        spans: list[tuple[int, int, float | None, float | None, str | None]] = []
        for t in self.times:
            if sent.start_char <= t.start < sent.end_char and _REL_YEAR.fullmatch(self.text[t.start:t.end]) \
                    and re.fullmatch(r"\d{4}", t.value):
                spans.append((t.start, t.end, float(t.value), float(t.value), None))
        for q in sent_q:
            if q.unit != "year" or q.low is None or q.high is None:
                continue
            before = self.text[max(sent.start_char, q.start - 25):q.start]
            if not _WITHIN.search(before):
                continue
            if q.number.kind == "range":
                spans.append((q.start, q.unit_end, year0 + q.low, year0 + q.high, "range"))
            else:
                spans.append((q.start, q.unit_end, None, year0 + q.high, "at_most"))
        return [Claim(
            subject="AGI", metric="agi_date", value_low=low, value_high=high, unit="year", qualifier=None,
            hedge=hedge, time=None, speaker=self._speaker(sent, start, mentions),
            probability=self._probability(sent.text), sentence=sent.text.strip(), start=start, end=end,
            lang=self.lang) for start, end, low, high, hedge in spans]

    def _speaker(self, sent: Span, at: int, mentions: list[Mention]) -> str | None:
        persons = [m for m in mentions if m.kind == "person"]
        if persons:
            anchor = self._root_of(at, at + 1)
            best = min(persons, key=lambda m: (
                _tree_distance(anchor, self._root_of(m.start, m.end)) if anchor is not None else 0,
                abs(m.start - at)))
            return self._person_name(best.name)
        if re.search(r"\b(?:il|elle|lui|he|she|her|his)\b", sent.text, re.IGNORECASE):
            return self.ctx.last_person
        return None

    def _probability(self, text: str) -> float | None:
        m = _PROB_PCT.search(text)
        if m is not None:
            p = float(m.group("p").replace(",", ".")) / 100
            return p if 0 <= p <= 1 else None
        m = _PROB_ONE_IN.search(text)
        if m is not None:
            raw = m.group("n").lower()
            n = int(raw) if raw.isdigit() else _SMALL_WORDS.get(raw)
            return 1 / n if n else None
        if re.search(r"\b(?:fifty-fifty|coin flip|pile ou face)\b", text, re.IGNORECASE):
            return 0.5
        return None

    def _release_claims(self, si: int, sent: Span, sent_q: list[Quantity], mentions: list[Mention]) -> list[Claim]:
        text = sent.text
        if not _RELEASE_CUE.search(text) or _AGI_CUE.search(text):
            return []
        out = []
        for t in self.times:
            if not (sent.start_char <= t.start < sent.end_char) or t.is_period:
                continue
            ym = re.match(r"(\d{4})", t.value)
            if ym is None:
                continue
            models = [m for m in mentions if m.kind == "model"]
            subject = models[0].name if models else (
                self.ctx.topic.name if self.ctx.topic is not None and self.ctx.topic.kind == "model"
                and si - self.ctx.topic_sent <= _CARRY_SENTENCES and _MODEL_NOUN.search(text) else None)
            if subject is None:
                continue
            year = float(ym.group(1))
            out.append(Claim(
                subject=subject, metric="release_date", value_low=year, value_high=year, unit="year",
                qualifier=None, hedge=None, time=t.value, speaker=None, probability=None,
                sentence=text.strip(), start=t.start, end=t.end, lang=self.lang,
                modality="plan" if _metrics.PLAN_CUE.search(text) else "stated",
            ))
        return out


_CONVERSION = re.compile(r"^\s*(?:\(|[,;]?\s*(?:soit|or|ou|i\.e\.|c['’]est-à-dire)\s*)(?:environ|près de|quelque|about|around|"
                         r"roughly|some|nearly|approximately|un peu plus de|un peu moins de|just over|just under)?\s*$",
                         re.IGNORECASE)
_COMPARED = re.compile(r"(?:\bcontre|\bversus|\bvs\.?|\bcompared (?:with|to)|\bup from|\bdown from|\bfrom|\bdont|\bincluding|"
                       r"\bof which|\bwith the remaining|\bpuis)\s*(?:environ|près de|quelque|about|around|roughly|"
                       r"nearly|some|just|une|an?|only|seulement|à peine)?\s*$", re.IGNORECASE)
_TRAIN_CUE = re.compile(r"\b(?:train\w*|entraîn\w*|pre-?train\w*|pré-?entraîn\w*)\b", re.IGNORECASE)
_GAPPED = re.compile(r"^[^.;:!?]{0,40}?(?:,|\bet|\band)\s+(?P<name>[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)?)\s+"
                     r"(?:entre|between|de|d['’]|about|environ|quelque|roughly|some|près de|nearly|pour|for)?\s*[$€£]?\s*$")
# "devant Microsoft (3 800 milliards) et Apple (3 400 milliards)", "AMD ($7.7bn)": a figure in
# brackets right after a name is that name's, measured like the figure before it.
_PAREN_NAME = re.compile(r"^[^.;:!?]*?(?P<name>[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)?)\s*\(\s*(?:environ|près de|about|around|"
                         r"roughly|nearly|some)?\s*[$€£]?\s*$")
_FOR_NAME = re.compile(r"\s*(?:for|pour|chez|at|à)\s+")
_NEW_CLAUSE = re.compile(r"[.;:!?]|\b(?:while|whereas|tandis|alors que)\b", re.IGNORECASE)


_CLUSTER_NOUN = (r"(?:supercalculateurs?|superordinateurs?|supercomputers?|clusters?|campus|centres? de données|"
                 r"data[ -]?cent(?:er|re)s?|datacenters?|infrastructures? de calcul|computing infrastructure|AI factory|"
                 r"usines? d['’]IA|grappes? de calcul)")
_CLUSTER_THEN_NAME = re.compile(
    rf"\b{_CLUSTER_NOUN}(?:[ \u00a0](?:géant|exaflopique|géants|multi-gigawatts?|multi-gigawatt|d['’]IA|IA|AI|"
    r"de \d+ \w+))?(?:[ \u00a0]|,?[ \u00a0](?:baptisée?|appelée?|nommée?|called|named|dubbed|including|dont|comme|such as|notamment)[ \u00a0])"
    r"(?P<name>[A-Z][\w-]+(?:[ \u00a0][A-Z][\w-]+)?)")
_NAME_THEN_CLUSTER = re.compile(
    rf"(?P<name>[A-Z][\w-]+(?:[ \u00a0][A-Z][\w-]+)?),[ \u00a0](?:l['’]|the |son |sa |its |le |la |leur |their |a |an |un |une )"
    rf"(?:\w+[ \u00a0])?{_CLUSTER_NOUN}\b")


def _named_clusters(text: str, found: list[Mention], known: set[str]) -> list[Mention]:
    """Names given to a computing site ("le supercalculateur Jean Zay", "clusters, including
    Prometheus", "Mistral Compute, l'infrastructure de calcul"): the site is the subject of its
    GPU counts, power and cost, not the company named next to it."""
    for rx in (_CLUSTER_THEN_NAME, _NAME_THEN_CLUSTER):
        for m in rx.finditer(text):
            s, e = m.span("name")
            name = re.sub(r"[\s\u00a0]+", " ", m.group("name"))
            if name.casefold() in _COMMON_CAPS or name.split()[0] in ("The", "Le", "La", "Les", "Its", "Son", "This", "Ce"):
                continue
            overl = [x for x in found if x.start < e and s < x.end]
            if any(x.kind in ("programme", "chip", "model") or x.name in known or x.end - x.start > e - s for x in overl):
                continue  # a table name, or a longer one, wins; not an NER guess ("Jean Zay" as a person)
            found = [x for x in found if x not in overl]
            found.append(Mention(name, "programme", s, e))
    return found


def _short_names(text: str, found: list[Mention]) -> list[Mention]:
    """After "Llama 4 Behemoth" or "Gemini Ultra" is named, "Behemoth" or "Ultra" alone means it."""
    short: dict[str, Mention] = {}
    for m in found:
        parts = m.name.split()
        if m.kind in ("model", "programme") and len(parts) >= 2 and parts[-1][:1].isupper() and parts[-1].isalpha() \
                and len(parts[-1]) >= 4:
            short.setdefault(parts[-1], m)
    if not short:
        return found
    rx = re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, short)) + r")(?![\w-])")
    out = list(found)
    for hit in rx.finditer(text):
        first = short[hit.group()]
        if hit.start() <= first.start:
            continue
        overl = [x for x in out if x.start < hit.end() and hit.start() < x.end]
        if any(not (x.kind in ("org", "person") and x.name == hit.group()) for x in overl):
            continue  # a table or rule name wins; an NER guess of the same word ("Maverick" as ORG) does not
        out = [x for x in out if x not in overl]
        out.append(Mention(first.name, first.kind, hit.start(), hit.end(), first.org))
    out.sort(key=lambda x: x.start)
    return out


def _unit_class(unit: str | None) -> str | None:
    return "money" if unit in ("USD", "EUR", "GBP") else unit


def _kind_bias(kind: str, metric: str) -> float:
    if metric in ("cost", "parameter_count", "release_date", "price"):
        return {"model": -0.6, "programme": -0.2}.get(kind, 0.0)
    if metric == "duration":
        return {"programme": -1.0, "model": -0.8}.get(kind, 0.0)
    if metric in ("funding", "valuation", "revenue", "market_value_change", "investment"):
        return {"model": 0.8, "person": 0.3}.get(kind, 0.0)
    if metric == "gpu_count":
        return {"programme": -0.3, "model": -0.2}.get(kind, 0.0)
    return 0.0


def _tree_distance(a: Token | None, b: Token | None) -> float:
    if a is None or b is None:
        return 20.0
    if a.sent.start != b.sent.start:
        return 20.0
    path_a = [a, *a.ancestors]
    depth_a = {t.i: d for d, t in enumerate(path_a)}
    for d_b, t in enumerate([b, *b.ancestors]):
        if t.i in depth_a:
            return float(depth_a[t.i] + d_b)
    return 20.0
