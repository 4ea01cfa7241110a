"""The parsed article every step reads: spaCy parse, names, figures, times and the running context.

:class:`Document` is built once per article by :mod:`extractors.claims`; the steps (names,
figures, metric, subject, time) are functions over it. :class:`Context` is what the article has
said so far (the topic, the currency, the people named), updated after each sentence.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from extractors.entities import EntityMatcher, Mention
from extractors.quantities import Quantity
from extractors.ranker import Choice, Multinomial, Scorer
from extractors.timescope import TimeExpr

CARRY_SENTENCES = 3
"""How many sentences a topic stays current without being named again."""

COMPANY_METRICS = frozenset({"revenue", "funding", "valuation", "market_value_change", "investment"})
"""Figures only a company has: a product's sales are its maker's (« 2,7 milliards issus des
abonnements à ChatGPT » is OpenAI's revenue), while a model's cost or size stays the model's."""


@dataclass(slots=True)
class Context:
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
    subjects_of: dict[str, dict[str, int]] = field(default_factory=dict)
    """For each metric, how many claims of the article so far each subject has."""


@dataclass(slots=True)
class Document:
    """One article under extraction; ``sent_index``/``sent_text`` follow the sentence being read."""

    matcher: EntityMatcher
    doc: Doc
    text: str
    lang: str
    published: datetime.date | None
    mentions: list[Mention]
    quantities: list[Quantity]
    times: list[TimeExpr]
    ctx: Context = field(default_factory=Context)
    sent_index: int = 0
    sent_text: str = ""
    subject_model: Scorer | None = None
    """Reorders the subject candidates the rules propose; None: the rules decide."""
    name_counts: dict[str, int] | None = None
    """How often each subject is named in the whole article (filled on first use)."""
    agi_named: dict[int, bool] = field(default_factory=dict)
    """Per sentence index, whether the sentence names AGI (asked by several steps)."""
    trace: list[Choice] | None = None
    """When a list, every ambiguous subject choice is appended to it (training, debugging)."""
    metric_model: Multinomial | None = None
    """Decides the metric of a money figure with the rules' pick as a feature; None: the rules decide."""
    metric_trace: list[tuple[float | None, float | None, str, dict[str, float]]] | None = None
    """When a list, each money figure's (low, high, rules' metric, features) is appended to it."""
    headline: tuple[Mention, ...] = ()
    """The table names the article's title says (offsets into the title, not the text)."""
    headline_agi: bool = False
    """Whether the title names AGI ("When will AGI arrive? …"): the article's forecasts are of it."""

    def root_of(self, start: int, end: int) -> Token | None:
        """The syntactic head of the tokens covering ``text[start:end]``."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span.root

    def dep_of(self, m: Mention) -> str:
        tok = self.root_of(m.start, m.end)
        return tok.dep_ if tok is not None else ""

    def register_persons(self, mentions: list[Mention]) -> None:
        """"Sam Altman" named once makes "Altman" (or "Sam") mean him later on."""
        for m in mentions:
            if m.kind != "person":
                continue
            parts = m.name.split()
            if len(parts) >= 2:
                for part in (parts[0], parts[-1]):
                    self.ctx.persons.setdefault(part, m.name)

    def person_name(self, name: str) -> str:
        return self.ctx.persons.get(name, name) if " " not in name else name

    def model_of(self, org: str) -> str | None:
        """The model of ``org`` the article names most (the first named on a tie), else None."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            if m.kind == "model" and self.matcher.maker_of(m.name) == org:
                counts[m.name] = counts.get(m.name, 0) + 1
        return max(counts, key=lambda n: counts[n]) if counts else None

    def canonical(self, m: Mention, metric: str) -> str:
        """The subject a mention files a figure under: a person stands for their organisation,
        a model or product for its maker when the figure is one only a company has, a site with a
        whole (Colossus, xAI's) for its operator when the figure is a round, a worth or sales."""
        if m.kind == "model" and metric in COMPANY_METRICS:
            maker = self.matcher.maker_of(m.name)
            if maker is not None:
                return maker
        if m.kind == "programme" and metric in COMPANY_METRICS and metric != "investment":
            # "The launch [of Colossus 2] follows an upsized $20 billion Series E round": a site's
            # round, worth or sales are its operator's (money put into the site stays the site's)
            entity = self.matcher.entities.get(m.name)
            if entity is not None and entity.part_of is not None:
                return entity.part_of
        if m.kind == "person":
            name = self.person_name(m.name)
            if metric != "agi_date":
                org = m.org or self.matcher.person_org(name)
                return org or name
            return name
        return m.name


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps one of ``spans`` (sorted by start, not overlapping)."""
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


def tree_distance(a: Token | None, b: Token | None) -> float:
    """Edges between two tokens of one sentence in the dependency tree (20 when unrelated)."""
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
