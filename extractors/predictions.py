"""Step 5, time: figures that are dates. AGI dates (with speaker and probability) and release dates.

``agi_claims`` reads "AGI by 2030", "pas avant 2040", "l'AGI d'ici cinq à dix ans" (relative to
publication), "one in two chances"; ``release_claims`` reads "GPT-5 sortira en 2025". The period
other figures refer to is :mod:`extractors.timescope`'s, picked in :func:`figure_time`.
"""

from __future__ import annotations

import dataclasses
import re

from spacy.tokens import Span

from extractors import lexicon
from extractors.contract import Claim
from extractors.document import CARRY_SENTENCES, Document, overlaps, tree_distance
from extractors.entities import Mention
from extractors.numbers import word_number
from extractors.quantities import Quantity
from extractors.subject import is_rival
from extractors.timescope import WEEKDAY

AGI_CUE = lexicon.pattern("agi_cue")
_PREDICT_CUE = lexicon.pattern("predict_cue")
_CONDITION_OPENER = lexicon.pattern(r"^\W*<<condition_openers>>\b")
_FORECASTER = lexicon.pattern(r"\b<<forecaster_verbs>>\b")
_AGI_PRONOUN = lexicon.pattern("agi_pronouns")
_BEFORE_BOUND = lexicon.pattern(r"<<before_bound>>\s*<<before_bound_end>>?$")
_AFTER_BOUND = lexicon.pattern(r"<<after_bound>>\s*$")
_APPROX_YEAR = lexicon.pattern(r"<<approx_year>>\s*$")
_REL_YEAR = lexicon.pattern(r"<<rel_year>>")
_WITHIN = lexicon.pattern(r"\b<<within>>\s*(?:the\s+)?(?:next\s+)?$")
_PROB_PCT = re.compile(r"(?P<p>\d{1,3}(?:[.,]\d+)?)\s?(?:%|pour[ \u00a0]?cent|percent|per cent)")
_PROB_ONE_IN = lexicon.pattern(r"\b<<one_in>>\s+(?P<n>\w+)")
_COIN_FLIP = lexicon.pattern("coin_flip")
_RELEASE_CUE = lexicon.pattern("release_cue")
_RELEASE_OBJECT_VERB = lexicon.pattern(r"^<<release_object_verbs>>$")
_RELEASED_AFTER = lexicon.pattern(r"\s*,\s*(?:<<relative_words>>\s+(?:[\w’'-]+\s+){0,3}?)?"
                                  r"(?:<<release_object_verbs>>|<<release_subject_verbs>>)\b", 0)
_RELEASE_SUBJECT_VERB = lexicon.pattern(r"(?:<<release_subject_verbs>>|<<release_object_verbs>>)\b")
# « Annoncée fin 2023, Maia est … », "Unveiled in May, GPT-4o …": a fronted release participle
_RELEASED_BEFORE = lexicon.pattern(r"\s*(?:<<release_object_verbs>>)\b[^,.;]{0,40},\s*[\"«“]?\s*")
_MODEL_NOUN = lexicon.pattern("model_nouns")
_MEANS_BEFORE = lexicon.pattern(r"\b<<means_before>>\s+(?:[\w-]+(?:['’]s)?\s+){0,7}$")
_SPEAKER_PRONOUN = lexicon.pattern("speaker_pronouns")
_AT_THE_EARLIEST = lexicon.pattern(r"\s*(?:is\s+)?(?:the\s+)?<<earliest_after>>")
_AWAY = lexicon.pattern(r"^\s*<<away_after>>")
_HORIZON = lexicon.pattern(
    r"\b<<within>>[\s,]+(?:<<rel_det>>\s+)?(?:<<rel_next>>\s+)?(?P<a>[\w-]+)(?:\s*(?:<<rel_to>>)\s*(?P<b>[\w-]+))?"
    r"\s+(?:<<rel_next>>\s+)?<<rel_years>>(?:\s+<<rel_coming>>)?\b")
_THIS_DECADE = lexicon.pattern(r"\b<<this_decade>>\b")
_NEXT_DECADE = lexicon.pattern(r"\b<<next_decade>>\b")
_POINT_IN = lexicon.pattern(r"\b<<point_in>>\s+$")
_POINT_DECADE = lexicon.pattern(r"\b<<point_decade>>\b")
_HORIZON_NEGATION = lexicon.pattern(r"\b<<horizon_negation>>\b")
_DECADE_OF = lexicon.pattern(r"\b(?:<<decade_of>>)")
_DECADE_PART = {"early": (0, 3), "début": (0, 3), "mid-": (3, 6), "milieu": (3, 6), "late": (6, 9), "fin": (6, 9)}
_FLOOR = lexicon.pattern(
    r"\b(?:<<horizon_floor>>|(?P<more><<horizon_more>>))\s+(?:<<rel_det>>\s+)?(?:<<rel_next>>\s+)?(?P<a>[\w-]+)\s+"
    r"(?P<unit><<horizon_units>>)\b(?P<tail>\s+(?:<<rel_coming>>|<<away_after>>))?(?:\s+<<horizon_floor_end>>)?")
_ONE = lexicon.pattern(r"^<<horizon_one>>$")
_SPAN_HORIZON = lexicon.pattern(r"\b(?:<<span_horizon>>)\b")
_DATE_OR = lexicon.pattern(r"^\s*,?\s*(?:<<date_or>>)?\s*$")
_YEAR_DASH = re.compile(r"\s*[-–—]\s*")  # "dès 2026-2027", "in 2026–2027": one span of years
_SMALL_WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10, "two": 2, "three": 3, "four": 4,
                "five": 5, "ten": 10}
PLAN_CUE = lexicon.pattern("plan_cue")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BARE_YEAR = re.compile(r"(?<![\d.,-])20[2-4]\d(?![\d.,]\d|-\d)")
_DATED_AFTER = re.compile(r"^-\d{2}(?:-\d{2})?\b")
# "… des systèmes à cognition humaine [CBS, 2025]": a source's name and year in brackets cite it
_CITATION = re.compile(r"[\[(][^\[\]()\d]{1,40},\s*$")
_CITATION_END = re.compile(r"\s*[\])]")
_SAID_AFTER = lexicon.pattern(r",?\s+<<said_words>>\b")
_SAID_BEFORE = lexicon.pattern(r"\b<<said_words>>\s+$")
_FOUNDED_BEFORE = lexicon.pattern(r"\b<<founded_words>>\s+(?:<<founded_preps>>\s+)?$")
_RELEASED_KINDS = {"model": 0.0, "chip": 0.3, "programme": 0.6}
"""What comes out on a date, with the tree-distance penalty of each kind (a model first)."""
_DATE_BRACKET = re.compile(r"\s*\(\s*(?:(?:le|en|in|on|since|depuis)\s+)?")
_BRACKET_END = re.compile(r"\s*\)")


def names_agi(d: Document, sent: Span, mentions: list[Mention]) -> bool:
    """Whether ``sent``, the sentence being read (``d.sent_index``, named ``mentions``), names AGI
    outside a table name ("Safe Superintelligence" is a company); asked once."""
    hit = d.agi_named.get(d.sent_index)
    if hit is None:
        names = [(m.start, m.end) for m in mentions  # table names only: NER takes "ASI" for a company
                 if m.kind != "concept" and m.name in d.matcher.entities]
        hit = d.agi_named[d.sent_index] = any(
            not overlaps(names, m.start(), m.end()) for m in AGI_CUE.finditer(d.text, sent.start_char, sent.end_char))
    return hit


def figure_time(d: Document, sent: Span, start: int, end: int) -> str | None:
    """The time expression of ``sent`` nearest the figure at ``start:end`` (not inside it)."""
    inside = [t for t in d.times if sent.start_char <= t.start < sent.end_char and not (t.start <= start < t.end)]
    if not inside:
        return None
    best = min(inside, key=lambda t: min(abs(t.start - end), abs(start - t.end)))
    return best.value


def agi_claims(d: Document, sent: Span, sent_q: list[Quantity], mentions: list[Mention]) -> list[Claim]:
    text = sent.text
    named = names_agi(d, sent, mentions)
    # a forecast of "it" under a headline that names AGI ("He expects it to arrive by 2030")
    near = d.sent_index - d.ctx.agi_sent <= 2 or (d.headline_agi and _AGI_PRONOUN.search(text) is not None)
    if not named and not (near and _PREDICT_CUE.search(text) is not None):
        return []
    if not named and any(q.unit not in (None, "year") for q in sent_q):
        # "projections of reaching $100 billion in revenue by 2028", "50 million H100 GPUs within
        # five years": in a sentence that does not name AGI, the date is the other figure's
        return []
    out = _agi_relative(d, sent, sent_q, mentions)
    for q in sent_q:
        if any(c.start <= q.start < c.end for c in out):
            continue  # already read as a horizon ("within the next 5 years")
        n = q.number
        years = n.kind in ("point", "range") and 2000 <= n.low <= 2200 and 2000 <= n.high <= 2200 and n.scale is None \
            and q.unit is None and float(n.low).is_integer()
        if not years or (d.published is not None and n.high < d.published.year):
            continue  # "Founded in 2023", "his 2005 bestseller": a forecast is of a year still to come
        cited = _CITATION.search(d.text, max(0, n.start - 40), n.start) and _CITATION_END.match(d.text, n.end)
        if _DATED_AFTER.match(d.text[n.end:n.end + 6]) or cited or any(
                t.start <= n.start < t.end and _DAY.fullmatch(t.value) for t in d.times):
            continue  # "(CBS, 20 avril 2025)", "[CBS, 2025]", "date 2024-07-10": when something was said
        if _dates_other_figure(d, sent, sent_q, n.start):
            continue  # "spend $60 billion … in 2025, … in pursuit of superintelligence": the spending's year
        before = d.text[max(sent.start_char, n.start - 40):n.start]
        low: float | None = n.low
        high: float | None = n.high
        hedge = "range" if n.kind == "range" else None
        if n.kind != "range":
            if _AFTER_BOUND.search(before) or _AT_THE_EARLIEST.match(d.text[n.end:n.end + 20]):
                high, hedge = None, "at_least"
            elif _BEFORE_BOUND.search(before):
                low, hedge = None, "at_most"
            elif _APPROX_YEAR.search(before):
                hedge = "approx"
        out.append(Claim(
            subject="AGI", metric="agi_date", value_low=low, value_high=high, unit="year", qualifier=None,
            hedge=hedge, time=None, speaker=_speaker(d, sent, n.start, mentions),
            probability=_probability(text), sentence=text.strip(), start=n.start, end=n.end,
            lang=d.lang,
        ))
    # "If AGI does arrive by the end of the decade, the implications …": no one forecasts it
    out = [c for c in out if not _in_opening_condition(d, sent, c.start)]
    return _join_alternatives(d, sorted(out, key=lambda c: c.start))


def _in_opening_condition(d: Document, sent: Span, at: int) -> bool:
    """Whether the year at ``at`` lies in a condition that opens the sentence ("If …," « Si …, »)
    with no forecaster's verb after it ("…, as Altman expects")."""
    if not _CONDITION_OPENER.match(sent.text):
        return False
    comma = d.text.find(",", sent.start_char, sent.end_char)
    return at < comma and _FORECASTER.search(d.text, comma, sent.end_char) is None


def _dates_other_figure(d: Document, sent: Span, sent_q: list[Quantity], at: int) -> bool:
    """Whether the year at ``at`` follows another figure of the sentence (a money amount, a GPU
    count: 60 characters at most; not a chance, "a 50% chance by 2047") with no word of AGI between
    them: that figure's date."""
    prev = [q for q in sent_q if q.unit not in (None, "year", "%", "x") and q.end <= at and at - q.end <= 60]
    return bool(prev) and AGI_CUE.search(d.text, prev[-1].end, at) is None


def _join_alternatives(d: Document, claims: list[Claim]) -> list[Claim]:
    """Two dates of one forecast joined by "or" (or a comma) or a dash: one range, "as soon as 2025
    or by 2026", « en 2025 ou en 2026 », "probably next year, within two years", « dès 2026-2027 »
    -> 2025–2026."""
    out: list[Claim] = []
    for c in claims:
        prev = out[-1] if out else None
        gap = d.text[prev.end:c.start] if prev is not None and prev.end <= c.start else ""
        dash = prev is not None and _YEAR_DASH.fullmatch(gap) is not None and prev.hedge is None and c.hedge is None \
            and prev.value_high is not None and c.value_low is not None and prev.value_high < c.value_low
        if prev is not None and gap.strip() and (_DATE_OR.match(gap) or dash):
            lows = [v for v in (prev.value_low, c.value_low, prev.value_high, c.value_high) if v is not None]
            out[-1] = dataclasses.replace(prev, value_low=min(lows), value_high=max(lows), hedge="range", end=c.end)
            continue
        out.append(c)
    return out


def _agi_relative(d: Document, sent: Span, sent_q: list[Quantity], mentions: list[Mention]) -> list[Claim]:
    """AGI dates written relative to publication: "AGI probably next year", "l'AGI d'ici cinq
    à dix ans", "within a decade" (needs ``published``), in the sentence that names AGI or one
    of the next two that goes on with a forecast ("… AGI. (It can happen) quite possibly within a
    decade", « … l'AGI. Il évoque une fourchette de cinq à dix ans »)."""
    spans = _decades(d, sent)
    if d.published is None:
        return _horizon_claims(d, sent, mentions, spans)
    year0 = d.published.year
    for t in d.times:
        if sent.start_char <= t.start < sent.end_char and _REL_YEAR.fullmatch(d.text[t.start:t.end]) \
                and re.fullmatch(r"\d{4}", t.value):
            if _AFTER_BOUND.search(d.text[max(sent.start_char, t.start - 30):t.start]):
                spans.append((t.start, t.end, float(t.value), None, "at_least"))  # "as early as next year"
            else:
                spans.append((t.start, t.end, float(t.value), float(t.value), None))
    for q in sent_q:
        if q.unit != "year" or q.low is None or q.high is None:
            continue
        before = d.text[max(sent.start_char, q.start - 25):q.start]
        if not _WITHIN.search(before) and not _AWAY.match(d.text[q.unit_end:q.unit_end + 20]):
            continue  # "within five years", "d'ici dix ans", "5–10 years away"
        if q.number.kind == "range":
            spans.append((q.start, q.unit_end, year0 + q.low, year0 + q.high, "range"))
        elif _POINT_IN.search(before) and not _negated(d, sent, q.start):
            spans.append((q.start, q.unit_end, year0 + q.high, year0 + q.high, None))  # "AGI in five years"
        else:
            spans.append((q.start, q.unit_end, None, year0 + q.high, "at_most"))
    for m in _HORIZON.finditer(d.text, sent.start_char, sent.end_char):
        if any(s0 <= m.start("a") < e0 for s0, e0, *_ in spans):
            continue
        a = word_number(m.group("a"), d.lang)
        b = word_number(m.group("b"), d.lang) if m.group("b") else None
        if a is None or (m.group("b") and b is None) or not 0 < a <= 100:
            continue
        if b is not None:  # "the next three to eight years"
            spans.append((m.start("a"), m.end(), float(year0 + a), float(year0 + b), "range"))
        else:  # "dans les cinq ans à venir"
            spans.append((m.start("a"), m.end(), None, float(year0 + a), "at_most"))
    for m in _FLOOR.finditer(d.text, sent.start_char, sent.end_char):
        # "at least a decade away", « pas avant une décennie »: no sooner than that
        if any(s0 <= m.start("a") < e0 for s0, e0, *_ in spans) or (m.group("more") and not m.group("tail")):
            continue  # "has for more than a decade put …": how long, not how far off
        a = 1 if _ONE.match(m.group("a")) else word_number(m.group("a"), d.lang)
        if a is None or not 0 < a <= 100:
            continue
        years = a * (10 if m.group("unit").lower().startswith("d") else 1)
        spans.append((m.start(), m.end(), float(year0 + years), None, "at_least"))
    for m in _SPAN_HORIZON.finditer(d.text, sent.start_char, sent.end_char):
        n = next((v for v in m.groupdict().values() if v), None)
        a = word_number(n, d.lang) if n else None
        if a is not None and 0 < a <= 100 and not any(s0 < m.end() and m.start() < e0 for s0, e0, *_ in spans):
            spans.append((m.start(), m.end(), None, float(year0 + a), "at_most"))
    for m in _THIS_DECADE.finditer(d.text, sent.start_char, sent.end_char):
        spans.append((m.start(), m.end(), None, float(year0 // 10 * 10 + 9), "at_most"))
    for m in _NEXT_DECADE.finditer(d.text, sent.start_char, sent.end_char):
        if not any(s0 < m.end() and m.start() < e0 for s0, e0, *_ in spans):
            spans.append((m.start(), m.end(), None, float(year0 + 10), "at_most"))
    for m in _POINT_DECADE.finditer(d.text, sent.start_char, sent.end_char):
        if not any(s0 < m.end() and m.start() < e0 for s0, e0, *_ in spans):
            point = None if _negated(d, sent, m.start()) else float(year0 + 10)
            spans.append((m.start(), m.end(), point, float(year0 + 10), None if point else "at_most"))
    return _horizon_claims(d, sent, mentions, spans)


_Span = tuple[int, int, float | None, float | None, str | None]


def _negated(d: Document, sent: Span, at: int) -> bool:
    """A negation in the clause before ``at`` ("it's not going to happen in two years")."""
    before = d.text[sent.start_char:at]
    return bool(_HORIZON_NEGATION.search(re.split(r"[,;:]", before)[-1]))


def _horizon_claims(d: Document, sent: Span, mentions: list[Mention], spans: list[_Span]) -> list[Claim]:
    return [Claim(
        subject="AGI", metric="agi_date", value_low=low, value_high=high, unit="year", qualifier=None,
        hedge=hedge, time=None, speaker=_speaker(d, sent, start, mentions),
        probability=_probability(sent.text), sentence=sent.text.strip(), start=start, end=end,
        lang=d.lang) for start, end, low, high, hedge in spans]


def _decades(d: Document, sent: Span) -> list[_Span]:
    """"in the 2030s", « au début des années 2030 »: the decade, or the part of it named, as a range."""
    out: list[_Span] = []
    for m in _DECADE_OF.finditer(d.text, sent.start_char, sent.end_char):
        found = {k: v for k, v in m.groupdict().items() if v}
        dec = next(v for k, v in found.items() if k.startswith("dec"))
        part = next((v.strip().lower() for k, v in found.items() if k.startswith("part")), "")
        first, last = _DECADE_PART.get(part, (0, 9))
        out.append((m.start(), m.end(), float(int(dec) + first), float(int(dec) + last), "range"))
    return out


def _speaker(d: Document, sent: Span, at: int, mentions: list[Mention]) -> str | None:
    persons = [m for m in mentions if m.kind == "person"]
    if persons:
        anchor = d.root_of(at, at + 1)
        best = min(persons, key=lambda m: (
            tree_distance(anchor, d.root_of(m.start, m.end)) if anchor is not None else 0,
            abs(m.start - at)))
        return d.person_name(best.name)
    if _SPEAKER_PRONOUN.search(sent.text):
        return d.ctx.last_person
    return None


def _probability(text: str) -> float | None:
    m = _PROB_PCT.search(text)
    if m is not None:
        p = float(m.group("p").replace(",", ".")) / 100
        return p if 0 <= p <= 1 else None
    m = _PROB_ONE_IN.search(text)
    if m is not None:
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else _SMALL_WORDS.get(raw)
        return 1 / n if n else None
    if _COIN_FLIP.search(text):
        return 0.5
    return None


def release_claims(d: Document, sent: Span, mentions: list[Mention]) -> list[Claim]:
    """"GPT-5 sortira en 2025", "Blackwell GPUs will ship before the end of 2024", "the first phase
    of Stargate is expected to go live in the second half of 2026", "GPT-4 (mars 2023)": the year a
    model, a chip or a site comes out. A date needs a release cue in its sentence, or brackets of
    its own right after the name. Each date goes to the nearest such name in the parse ("By August
    2024, Grok 2 was released, and in February the company introduced Grok 3"), else to the model
    the article is about."""
    text = sent.text
    if names_agi(d, sent, mentions):
        return []
    named = [m for m in mentions if m.kind in _RELEASED_KINDS and not is_rival(d, m)
             and not _MEANS_BEFORE.search(d.text[max(sent.start_char, m.start - 60):m.start])]
    spans = [(t.start, t.end, t.value) for t in d.times
             if sent.start_char <= t.start < sent.end_char and not t.is_period and re.match(r"\d{4}", t.value)]
    # "Zuckerberg on Monday said … expected to come online in Ohio in 2026": a weekday next to a
    # word of saying dates the saying (« a sorti jeudi GPT-5 » dates the release)
    spans = [sp for sp in spans if not (WEEKDAY.fullmatch(d.text, sp[0], sp[1]) and (
        _SAID_AFTER.match(d.text, sp[1]) or _SAID_BEFORE.search(d.text, max(sent.start_char, sp[0] - 30), sp[0])))]
    # "xAI, founded in July 2023, launched its Grok chatbot …": a founding date is no release
    spans = [sp for sp in spans if not _FOUNDED_BEFORE.search(d.text, max(sent.start_char, sp[0] - 20), sp[0])]
    for m in _BARE_YEAR.finditer(d.text, sent.start_char, sent.end_char):
        if not any(s0 <= m.start() < e0 for s0, e0, _ in spans) \
                and (d.published is None or int(m.group()) >= d.published.year
                     or _bracketed(d, named, m.start(), m.end()) is not None):
            spans.append((m.start(), m.end(), m.group()))  # "the second half of 2026", "Fall 2025": a date to come
    cue = bool(_RELEASE_CUE.search(text)) or (bool(spans) and _released_object(d, sent, named))
    carried = None
    ctx = d.ctx
    if ctx.topic is not None and ctx.topic.kind == "model" \
            and d.sent_index - ctx.topic_sent <= CARRY_SENTENCES and _MODEL_NOUN.search(text):
        carried = ctx.topic.name
    plan = bool(PLAN_CUE.search(text))
    out = []
    for start, end, value in sorted(spans):
        bracketed = _bracketed(d, named, start, end)
        others: list[str] = []
        if bracketed is not None:
            subject: str | None = _family(bracketed)  # "Après GPT-4 (mars 2023) et GPT-4o (mai 2024)"
        elif not cue:
            continue
        elif named:
            anchor = d.root_of(start, end)
            nearest = min(named, key=lambda m: (tree_distance(anchor, d.root_of(m.start, m.end))
                                                + _RELEASED_KINDS[m.kind] + abs(m.start - start) / 400))
            subject = _family(nearest)
            # "Claude 3.7 Sonnet, GPT-4.5 and Gemini 2.5 Pro all came out in early 2025": the date
            # is each listed name's
            others = [_family(m) for m in _listed_with(d, named, nearest) if _family(m) != subject]
        else:
            subject = carried
        if subject is None:
            continue
        year = float(value[:4])
        for name in dict.fromkeys([subject, *others]):
            out.append(Claim(
                subject=name, metric="release_date", value_low=year, value_high=year, unit="year",
                qualifier=None, hedge=None, time=value, speaker=None, probability=None,
                sentence=text.strip(), start=start, end=end, lang=d.lang,
                modality="plan" if plan else "stated",
            ))
    return out


_LIST_JOIN = lexicon.pattern(r"\s*(?:,\s*(?:<<and_words>>\s+)?|\s+<<and_words>>\s+)", 0)


def _listed_with(d: Document, named: list[Mention], m: Mention) -> list[Mention]:
    """The names listed with ``m`` ("A, B and C"), joined by commas and a final "and"."""
    i = named.index(m)
    lo = hi = i
    while lo > 0 and _LIST_JOIN.fullmatch(d.text, named[lo - 1].end, named[lo].start):
        lo -= 1
    while hi + 1 < len(named) and _LIST_JOIN.fullmatch(d.text, named[hi].end, named[hi + 1].start):
        hi += 1
    return named[lo:hi + 1]


def _family(m: Mention) -> str:
    """The name a release is filed under: a model named with its size is released with its
    family ("Llama 3.1 405B" and "gpt-oss-120b" came out as Llama 3.1 and gpt-oss), when what is
    left still names a model (a version number or a hyphenated stem: "Mistral 7B" stays)."""
    if m.kind != "model":
        return m.name
    family = _SIZE_TAG.sub("", m.name)
    return family if family != m.name and re.search(r"[\d-]", family) else m.name


_SIZE_TAG = re.compile(r"[- ]\d+(?:\.\d+)?[bB](?:-A\d+(?:\.\d+)?B)?$")


def _released_object(d: Document, sent: Span, named: list[Mention]) -> bool:
    """Whether the sentence releases a named model or chip without a release cue word: a release
    participle right after the name, relative or not ("GPT-4o, unveiled in May 2024", "o3, which
    OpenAI announced last December") or fronted before it (« Annoncée fin 2023, Maia … »); a verb
    of ``release_subject_verbs`` or ``release_object_verbs`` whose subject is the name ("GPT-4
    came out", « Gemini 1.5 a été annoncé »); a verb of ``release_object_verbs`` that takes it, as
    its object in the parse or right after it with at most three words between, no punctuation
    and no preposition (« publié un rapport sur Gemini » publishes no Gemini; the small French
    parser hangs « Meta a publié Llama 3.1 405B le 23 juillet 2024 » as an oblique)."""
    models = [m for m in named if m.kind in ("model", "chip")]
    if any(_RELEASED_AFTER.match(d.text, m.end) for m in models):
        return True  # « des puces maison, appelées Maia, annoncées fin 2023 », "GPT-4o, unveiled in May 2024"
    fronted = _RELEASED_BEFORE.match(d.text, sent.start_char)
    if fronted is not None and any(m.start == fronted.end() for m in models):
        return True
    roots = {d.root_of(m.start, m.end) for m in models}
    for tok in sent:
        if _RELEASE_SUBJECT_VERB.match(d.text, tok.idx) and any(
                c.dep_.startswith("nsubj") and c in roots for c in tok.children):
            return True  # "GPT-4 came out in March 2023", « Gemini 1.5 a été annoncé en février 2024 »
        if not _RELEASE_OBJECT_VERB.match(tok.text):
            continue
        if _named_after(d, models, tok.idx + len(tok.text), _OBJECT_GAP):
            return True
        objects = [c for c in tok.children if c.dep_ in ("obj", "dobj")]
        if any(obj in roots for obj in objects):
            return True
        # "introduced its latest AI model, called Grok-1.5", « a dévoilé son nouveau modèle,
        # GPT-4.5 »: the object is a model noun that the name right after it names
        if any(_MODEL_NOUN.fullmatch(obj.text) and _named_after(d, models, obj.idx + len(obj.text), _NAMED_AFTER)
               for obj in objects):
            return True
    return False


def _named_after(d: Document, models: list[Mention], at: int, gap: re.Pattern[str]) -> bool:
    """Whether one of ``models`` starts after ``at`` with only ``gap`` between."""
    return any(m.start >= at and gap.fullmatch(d.text, at, m.start) for m in models)


_NAMED_AFTER = lexicon.pattern(r"\s*,?\s*(?:<<naming_verbs>>\s+)?[\"«“]?\s*")


_OBJECT_GAP = lexicon.pattern(r"(?:\s+(?!<<release_object_gap_stops>>\b)[^\W\d]+){0,3}\s+|\s*")


def _bracketed(d: Document, named: list[Mention], start: int, end: int) -> Mention | None:
    """The name right before ``text[start:end]`` when that date stands alone in brackets after it."""
    return next((m for m in named if _DATE_BRACKET.fullmatch(d.text, m.end, start) and _BRACKET_END.match(d.text, end)),
                None)
