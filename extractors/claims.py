"""Numeric claims: the contract every other stage relies on.

``extract_claims(text, lang, published=None) -> list[Claim]`` is the stage's one entry point;
:class:`ClaimExtractor` is the same with explicit settings and batching (``extract_many``).

This module only orchestrates. Per sentence of the spaCy parse, one module per step:

1. names (:mod:`extractors.names`): table aliases and rule patterns, spaCy NER for names the
   table lacks, named computing sites, short names; a number inside a name is no figure;
2. figures (:mod:`extractors.figures`): quantities (:mod:`extractors.numbers`,
   :mod:`extractors.quantities`) read as figures with a unit;
3. metric (:mod:`extractors.metric`): the unit, then cue words, from the metric registry
   ``config/metrics.toml``;
4. subject (:mod:`extractors.subject`): candidate entities for the figure, scored; with no name
   in the sentence, the topic carried from the sentences before;
5. time (:mod:`extractors.timescope`, :mod:`extractors.predictions`): the period of a figure,
   AGI and release dates; then the figures that lean on the one before (:mod:`extractors.links`).

Cue words live in per-language data (``config/lexicon_fr.toml``, ``config/lexicon_en.toml``).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc, Span

from config.errors import ExtractionError
from config.settings import CONFIG_DIR, NlpSettings
from extractors import lexicon
from extractors.contract import CONTRACT_KEYS, HEDGES, METRICS, MODALITIES, Claim
from extractors.document import Document, overlaps
from extractors.entities import EntityMatcher, Mention, load_entities, load_patterns
from extractors.figures import MONEY, candidate_figure
from extractors.links import link_figures
from extractors.metric import load_metric_model, metric_of
from extractors.modality import assess
from extractors.names import find_names, is_vendor
from extractors.nlp import load_model
from extractors.numbers import find_numbers
from extractors.predictions import AGI_CUE, PLAN_CUE, agi_claims, figure_time, names_agi, release_claims
from extractors.quantities import Quantity, find_quantities
from extractors.ranker import Choice, Multinomial, Scorer, load_default
from extractors.subject import (SOURCE_BEFORE, find_subject, generic_training, one_named_subject, sector_total,
                                update_context)
from extractors.timescope import find_times

__all__ = ["CONTRACT_KEYS", "HEDGES", "LANGS", "METRICS", "MODALITIES", "Claim", "ClaimExtractor", "extract_claims"]

LANGS = ("fr", "en")
_TOGETHER = lexicon.pattern(r"\b(?:<<together>>|(?P<them><<together_them>>))\b")
_BARE_SCALE = lexicon.pattern(r"<<bare_scales>>\b")
_FEW = lexicon.pattern(r"\b<<few_words>>\s+$")
_GROUP = lexicon.pattern(r"\b<<group_nouns>>\b")
_EACH = lexicon.pattern(r"\s*(?P<gap>(?:[\w’'-]+\s+){0,2}?)<<each_words>>\b", 0)
_AND = lexicon.pattern(r"^\s*,?\s*(?:&|<<and_words>>)\s*$", 0)
_COMMA = re.compile(r"^\s*,\s*$")
_RESPECTIVELY = lexicon.pattern(r"\b<<respectively_words>>\b")
_LEAD_BEFORE = re.compile(r"[ \t\u00a0]*(?:\d{1,2}[.)][ \t\u00a0]*|[-•*][ \t\u00a0]*)?")
_LEAD_AFTER = re.compile(r"[ \t\u00a0]*(?:[^\W\d]+[ \t\u00a0]*){0,3}")
_CLAUSE_BREAK = lexicon.pattern(r"[,;:—–()]|\b<<clause_break>>\b")
_DEADLINE_CUE = lexicon.pattern("deadline_cue")


@dataclass(frozen=True, slots=True)
class Analysis:
    """What one parse of an article yields: its claims and every name it mentions (table
    aliases, name rules and NER), in text order."""

    claims: list[Claim]
    mentions: tuple[Mention, ...]


class ClaimExtractor:
    """Extracts claims with one spaCy pipeline per language, loaded on first use."""

    def __init__(self, nlp: NlpSettings, entities_file: str | Path, *, subject_model: Scorer | None | bool = True,
                 metric_model: Multinomial | None | bool = True) -> None:
        """``subject_model``: the scorer that picks among subject candidates; ``True`` (default)
        loads the committed one (``extractors/models/subjects.json``), ``None`` leaves the choice
        to the rules. ``metric_model``: the same for the metric of money figures
        (``extractors/models/metrics.json``)."""
        self._settings = nlp
        self._matcher = EntityMatcher(load_entities(entities_file), load_patterns())
        self._subjects = load_default() if subject_model is True else (subject_model or None)
        self._metrics = load_metric_model() if metric_model is True else (metric_model or None)

    def extract(self, text: str, lang: str, *, published: datetime.date | None = None,
                title: str | None = None) -> list[Claim]:
        """Claims in ``text`` (``lang`` ``fr`` or ``en``) in text order; ``title``, the article's
        headline, is read for what the article is about (its figures are not claims)."""
        return self.extract_many([(text, lang, published)], titles=[title])[0]

    def extract_many(self, items: Sequence[tuple[str, str, datetime.date | None]], *,
                     titles: Sequence[str | None] | None = None) -> list[list[Claim]]:
        """Claims for each ``(text, lang, published)``; texts are parsed in ``nlp.pipe`` batches per language."""
        return [analysis.claims for analysis in self.analyse_many(items, titles=titles)]

    def analyse_many(self, items: Sequence[tuple[str, str, datetime.date | None]], *,
                     titles: Sequence[str | None] | None = None) -> list[Analysis]:
        """Claims and named mentions for each ``(text, lang, published)``, from one parse per text;
        ``titles``, when given, holds each item's headline (or None), in item order."""
        heads = titles_for(items, titles)
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
                document = self._document(doc, text, lang, items[i][2], heads[i])
                claims = assess(_claims(document), doc, document.mentions, lang, document.published)
                results[i] = Analysis(claims, tuple(document.mentions))
        return results

    def trace_subjects(self, items: Sequence[tuple[str, str, datetime.date | None]]) -> list[list[Choice]]:
        """Every ambiguous subject choice made while extracting each item, with its candidates."""
        return [d.trace or [] for d in self._traced(items)]

    def trace_metrics(self, items: Sequence[tuple[str, str, datetime.date | None]]
                      ) -> list[list[tuple[float | None, float | None, str, dict[str, float]]]]:
        """Each item's money figures as the metric step saw them: (low, high, rules' metric, features)."""
        return [d.metric_trace or [] for d in self._traced(items)]

    def _traced(self, items: Sequence[tuple[str, str, datetime.date | None]]) -> list[Document]:
        out: list[Document] = []
        for text, lang, published in items:
            text = _clean(text, self._settings.max_chars)
            d = self._document(load_model(self.model_name(lang), f"nlp.{lang}_model")(text), text, lang, published)
            d.trace, d.metric_trace = [], []
            _claims(d)
            out.append(d)
        return out

    def _document(self, doc: Doc, text: str, lang: str, published: datetime.date | None,
                  title: str | None = None) -> Document:
        mentions = find_names(self._matcher, doc, text)
        spans = sorted((m.start, m.end) for m in mentions)
        numbers = [n for n in find_numbers(text, lang) if not overlaps(spans, n.start, n.end)]
        chips = [m for m in mentions if m.kind == "chip"]
        return Document(self._matcher, doc, text, lang, published, mentions,
                        find_quantities(text, lang, numbers, chips), find_times(text, published),
                        subject_model=self._subjects, metric_model=self._metrics,
                        headline=tuple(self._matcher.find(title)) if title else (),
                        headline_agi=bool(title and AGI_CUE.search(title)))

    def model_name(self, lang: str) -> str:
        return self._settings.fr_model if lang == "fr" else self._settings.en_model


def titles_for(items: Sequence[object], titles: Sequence[str | None] | None) -> list[str | None]:
    """One headline (or None) per item: ``titles`` checked against ``items``, or no headlines."""
    if titles is None:
        return [None] * len(items)
    if len(titles) != len(items):
        raise ExtractionError("titles", f"{len(titles)} titles for {len(items)} items")
    return list(titles)


@functools.lru_cache(maxsize=1)
def _default_extractor() -> ClaimExtractor:
    return ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml")


def extract_claims(text: str, lang: str, *, published: datetime.date | None = None) -> list[Claim]:
    """Claims in ``text`` with veille's default models and entity table (cached per process)."""
    return _default_extractor().extract(text, lang, published=published)


def _clean(text: str, max_chars: int) -> str:
    """The text as the parser reads it. Offsets must index the caller's text, so it is only cut
    and its hard wraps are unwrapped in place (one character for one)."""
    return unwrap(text[:max_chars]) if isinstance(text, str) else ""


# A line break inside a sentence: a page copied with its hard wraps ("totalise 109\nmilliards
# d'euros", "L'enveloppe\nd'investissement", "Amazon/AWS\n(1,2 Md €)"). The line before stops on
# a word, a figure, a comma or a bracket; the next goes on in lower case or with a bracket, or with
# a figure after a word; a capital (a headline's end) or a numbered item ("\n3. 200 000 GPU")
# starts a new sentence.
_LINE_BREAK = re.compile(r"(?<=[^\W_]|[,)»’])[ \t]*\n[ \t]*(?=[^\W_]|\()")
_NUMBERED = re.compile(r"\d{1,2}[.)]\s")


def unwrap(text: str) -> str:
    """``text`` with each hard wrap inside a sentence turned into spaces, same length."""
    return _LINE_BREAK.sub(lambda m: " " * len(m.group()) if _wrapped(text, m.start(), m.end()) else m.group(), text)


def _wrapped(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1], text[end]
    if after.islower() or after == "(":
        return True
    return after.isdigit() and (before.isalpha() or before == ",") and not _NUMBERED.match(text, end)


def _claims(d: Document) -> list[Claim]:
    """The claims of one parsed article, sentence by sentence."""
    out: list[Claim] = []
    qi = 0
    sents = list(d.doc.sents)
    for si, sent in enumerate(sents):
        d.sent_index, d.sent_text = si, sent.text
        s0, s1 = sent.start_char, sent.end_char
        while qi < len(d.quantities) and d.quantities[qi].start < s0:
            qi += 1
        sent_q = []
        while qi < len(d.quantities) and d.quantities[qi].start < s1:
            sent_q.append(d.quantities[qi])
            qi += 1
        mentions = [m for m in d.mentions if s0 <= m.start < s1]
        d.register_persons(mentions)
        made = agi_claims(d, sent, sent_q, mentions)
        made += release_claims(d, sent, mentions)
        lead = _lead_span(d, si, sents, sent_q)
        for q in sent_q:
            if lead is not None:
                lead_mentions = [m for m in d.mentions if lead.start_char <= m.start < lead.end_char]
                claim = _claim(d, lead, q, lead_mentions)
            else:
                claim = _claim(d, sent, q, mentions)
            if claim is not None:
                made.extend(_each(d, claim, lead_mentions if lead is not None else mentions))
        made.sort(key=lambda c: c.start)
        made = _respectively(d, sent, made, mentions)
        made = link_figures(d, made)
        out.extend(made)
        _carry(d, sent, sent_q, mentions, made)
        update_context(d, sent, mentions, made)
    return out


def _each(d: Document, claim: Claim, mentions: list[Mention]) -> list[Claim]:
    """``claim``, and as much for each name coordinated with its subject before "each"
    ("GIC and Koto each intend to contribute $1.5 billion", « Google et Amazon ont chacun
    investi 4 milliards »): the figure is every one's, not a joint total."""
    names = [m for m in mentions if m.kind in ("org", "programme", "person") and m.end <= claim.start]
    for k in range(len(names) - 1, 0, -1):
        each = _EACH.match(d.text, names[k].end)
        if each is None or each.end() > claim.start:
            continue
        group = [names[k]]
        join = _AND  # "A, B and C each": "and" before the last, commas before the others
        while k > 0 and join.match(d.text[names[k - 1].end:names[k].start]) \
                and not SOURCE_BEFORE.search(d.text[max(0, names[k - 1].start - 40):names[k - 1].start]):
            k -= 1
            group.insert(0, names[k])
            join = _COMMA
        subjects = [d.canonical(m, claim.metric) for m in group]
        if len(group) > 1 and claim.subject in subjects:
            return [claim] + [replace(claim, subject=name) for name in dict.fromkeys(subjects) if name != claim.subject]
        if len(group) > 1 and not each.group("gap"):
            # the names said to do it "each" are its subjects, whatever the scorer made of a name
            # the table lacks ("GIC and Koto each intend to contribute …" in an article on Anthropic)
            return [replace(claim, subject=name) for name in dict.fromkeys(subjects)]
        break
    return [claim]


def _respectively(d: Document, sent: Span, made: list[Claim], mentions: list[Mention]) -> list[Claim]:
    """"Meta and Microsoft bought 350,000 and 150,000 H100s respectively", « Amazon et Google ont
    respectivement acquis 196 000 et 169 000 GPU »: as many names listed before the figures as
    figures of one metric, paired in order."""
    if not made or not _RESPECTIVELY.search(sent.text):
        return made
    names = [m for m in mentions if m.kind in ("org", "programme", "person", "model") and m.end <= made[0].start]
    for metric in dict.fromkeys(c.metric for c in made):
        figures = [c for c in made if c.metric == metric]
        if len(figures) < 2 or len(names) < len(figures):
            continue
        listed = names[-len(figures):]
        joins = [d.text[a.end:b.start] for a, b in zip(listed, listed[1:], strict=False)]
        if not all(_COMMA.match(j) for j in joins[:-1]) or not _AND.match(joins[-1]):
            continue
        pairs = {id(c): d.canonical(m, metric) for c, m in zip(figures, listed, strict=True)}
        made = [replace(c, subject=pairs[id(c)]) if id(c) in pairs else c for c in made]
    return made


def _lead_span(d: Document, si: int, sents: list[Span], sent_q: list[Quantity]) -> Span | None:
    """A figure alone on its line, as "by the numbers" articles set them ("3. 200 000 GPU",
    then "La taille de Colossus, le supercalculateur de xAI …"): the line after it says
    what the figure measures and whose it is, so the two are read as one sentence."""
    if len(sent_q) != 1 or si + 1 >= len(sents):
        return None
    q = sent_q[0]
    line_start = d.text.rfind("\n", 0, q.start) + 1
    line_end = d.text.find("\n", q.start)
    if line_end < 0 or not _LEAD_BEFORE.fullmatch(d.text[line_start:q.start]) \
            or not _LEAD_AFTER.fullmatch(d.text[max(q.end, q.unit_end):line_end]):
        return None
    nxt = sents[si + 1]
    if nxt.start_char < line_end or "\n\n" in d.text[line_end:nxt.start_char + 1]:
        return None  # the explanation must be the very next line
    return d.doc[sents[si].start:nxt.end]


def _claim(d: Document, sent: Span, q: Quantity, mentions: list[Mention]) -> Claim | None:
    figure = candidate_figure(d, sent, q)
    if figure is None:
        return None
    metric = metric_of(d, sent, q, figure.unit, mentions)
    if metric is None:
        return None
    if metric == "other" and q.hedge == "vague":
        return None  # "à grands coups de milliards": an order of magnitude with no stated purpose
    if q.hedge == "vague" and figure.unit in MONEY and _BARE_SCALE.match(d.text, q.number.start) \
            and not _FEW.search(d.text, max(0, q.number.start - 12), q.number.start):
        return None  # "des milliards de dollars", "billions of dollars": no figure is given ("tens of
        # billions", « plusieurs milliards » still say how many)
    # "Microsoft, Alphabet, Amazon et Meta devraient dépenser ensemble 350 milliards", "raised
    # $100 billion between them": a total over several owners belongs to none of them.
    orgs = {m.name for m in mentions if m.kind == "org" and not is_vendor(d, m)}
    together = _TOGETHER.search(sent.text)
    subject: str | None
    if together is not None and (len(orgs) >= 2 or together.group("them") or _GROUP.search(sent.text)) \
            and not one_named_subject(d, q.number.start, q.number.end):
        # "Collectively, the four companies plan to spend …", "the combined capex of these firms"
        subject = None
    elif metric in ("funding", "investment", "revenue") and sector_total(d, sent, q.number.start, q.number.end):
        subject = None  # "AI startups raised $19 billion": a sector's total, no one's
    elif metric == "cost" and generic_training(d, sent, mentions):
        subject = None  # "Training a large language model like GPT-4 costs …": a model in general
    else:
        subject = find_subject(d, sent, figure, metric, mentions)
        if subject is None:
            return None
        subject = subject or None  # NO_ONE: the scorer's "a total of many", a claim with no subject
    return Claim(
        subject=subject, metric=metric, value_low=q.low, value_high=q.high, unit=figure.unit,
        qualifier=figure.qualifier, hedge=q.hedge, time=figure_time(d, sent, q.start, q.unit_end),
        speaker=None, probability=None, sentence=sent.text.strip(), start=q.start, end=q.end, lang=d.lang,
        currency_implied=figure.currency_implied, modality="plan" if _is_plan(d, sent, q) else "stated",
    )


def _is_plan(d: Document, sent: Span, q: Quantity) -> bool:
    """A target or ambition: a plan word governs the figure in the parse ("Musk eyes a
    million", "il ambitionne de disposer de 50 millions de GPU", "Meta will have 1.3
    million GPUs") or a deadline is set ("d'ici 2030"). Only the figure's own clause
    counts: in "xAI doubles Colossus to 200,000 GPUs as Musk eyes a million" the first
    figure is a fact."""
    clause = _CLAUSE_BREAK.split(d.text[sent.start_char:q.start])[-1]
    if PLAN_CUE.search(clause):
        return True
    anchor = d.root_of(q.number.start, q.number.end)
    if anchor is None:
        return bool(PLAN_CUE.search(sent.text))
    for token in (anchor, *anchor.ancestors):
        if PLAN_CUE.fullmatch(token.text) or any(
                child.dep_.startswith("aux") and PLAN_CUE.fullmatch(child.text) for child in token.children):
            return True
    return bool(_DEADLINE_CUE.search(sent.text))


def _carry(d: Document, sent: Span, sent_q: list[Quantity], mentions: list[Mention], made: list[Claim]) -> None:
    """The currency, money metric and AGI topic a sentence leaves for the next ones."""
    ctx = d.ctx
    for q in sent_q:
        if q.unit in MONEY:
            ctx.currency = q.unit
    money = [c for c in made if c.unit in MONEY and c.metric != "agi_date"]
    if money:
        ctx.money_metric, ctx.money_sent = money[-1].metric, d.sent_index
    if names_agi(d, sent, mentions) or any(c.metric == "agi_date" for c in made):
        ctx.agi_sent = d.sent_index
