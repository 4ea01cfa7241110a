"""How the text holds each figure (modality), who states it (speaker) and its sign.

``assess(claims, doc, mentions, lang) -> list[Claim]`` is the post-pass the claims stage runs on
each document's claims. Per claim:

1. sign: a fall is negative (:func:`signed`);
2. modality, one of ``MODALITIES`` in precedence order. Rules read the dependency parse around
   the figure (its clause: the tokens from the figure up to the verb that governs it, climbing
   through infinitives) and give features; hard constraints decide what the rules are sure of
   (a negated governing verb or a denial verb above the figure: ``denied``; a « si »/"if" clause
   on the figure's verb: ``hypothetical``); a logistic regression trained by ``python -m
   train.modality`` (``extractors/models/modality.json``) decides the rest. A ``plan`` the
   claims stage found stays a plan unless ``denied`` or ``hypothetical`` applies;
3. speaker (:mod:`extractors.speakers`).

Sign convention, for ``market_value_change`` of a fall, and for a cut or decline in spending,
cost or revenue stated as a change (« a reculé de », "cut by", "a $5bn drop"): the interval is
mirrored, ``[low, high] -> [-high, -low]``. A loss "of up to $600 billion" allows any loss
between nothing and $600 billion, so it becomes ``[-600e9, 0]`` with hedge ``range``; "more
than $600 billion lost" becomes ``[None, -600e9]`` with hedge ``at_most``.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from extractors.cues import Cues, load_cues
from extractors.entities import Mention
from extractors.periods import period_interval
from extractors.ranker import Multinomial as Model
from extractors.speakers import attribution_word, speaker_of

if TYPE_CHECKING:
    from extractors.claims import Claim

MODEL_FILE = Path(__file__).resolve().parent / "models" / "modality.json"
LABELS = ("denied", "hypothetical", "plan", "reported", "stated")
_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "acl", "relcl", "acl:relcl", "parataxis", "csubj", "advcl:cleft", "xcomp"}
_CLIMB_DEPS = {"xcomp"}  # "plans to buy", « prévoit d'acheter »: the plan verb governs the figure's clause
_INFINITIVE_MARKS = {"de", "d'", "d’", "à", "to"}
_CLAUSE_BREAK = re.compile(r"[,;:—–()]|\b(?:as|while|whereas|but|and|alors que|tandis que|mais|et)\b", re.IGNORECASE)
_STRONG_PLAN = ("plan_clause", "future", "forecast_cnd", "to_root", "reported_future")
_PLAN_FEATURES = ("plan_clause", "plan_before", "plan_phrase", "future", "forecast_cnd", "to_root", "reported_future")
# a break no negation crosses: "did not say, but at $2 an hour it would cost …", « ne sont pas en reste : H a levé … »
_STRONG_BREAK = re.compile(r"[;:]|,\s*(?:but|yet|while|whereas|mais|tandis que|alors que)\b|\b(?:who|which|that|where|qui|que|qu['’]|dont|où|lequel|laquelle)\b",
                           re.IGNORECASE)
_PROJECT_METRICS = {"investment", "other"}
"""What a project to be built has: its investment and its power."""
_SIGNED_METRICS = {"market_value_change", "revenue", "investment", "cost", "other"}


@dataclasses.dataclass(frozen=True, slots=True)
class Figure:
    """Where a figure sits in the parse: its token, its clause chain, the wider ancestor chain."""

    token: Token
    clause: tuple[Token, ...]
    """From the figure up to the verb that governs it (through ``xcomp``), inclusive."""
    ancestors: tuple[Token, ...]
    """Every token above the figure up to the sentence root."""
    sent: Span
    start: int
    end: int
    text: str
    """The document's text (``Doc.text`` rebuilds it on every access)."""


def assess(claims: Sequence[Claim], doc: Doc, mentions: Sequence[Mention], lang: str,
           published: datetime.date | None = None) -> list[Claim]:
    """``claims`` with their sign, modality and speaker decided from ``doc`` (their spaCy parse);
    ``published`` dates the article, for figures of a year still to come."""
    cues = load_cues()[lang]
    model = load_model()
    text = doc.text
    out: list[Claim] = []
    for claim in claims:
        fig = locate(doc, claim.start, claim.end, cues, text)
        if fig is None:
            out.append(claim)
            continue
        claim = signed(claim, fig, cues)
        modality = decide(features(fig, cues, claim.metric), claim.modality, model)
        speaker = claim.speaker if claim.speaker is not None else speaker_of(claim, fig.token, text, mentions, cues)
        if modality == "stated" and speaker is not None:
            modality = "reported"  # the text puts the figure in someone's mouth: attributed (the gold's convention)
        if modality in ("stated", "reported") and _of_a_year_to_come(claim, published):
            modality = "plan"  # "capex of $80 billion in 2026" written in 2025: a budget, not a fact yet
        if claim.metric == "agi_date" and (modality != "denied" or claim.hedge == "at_least"):
            modality = "plan"  # a date for AGI is a forecast, whoever makes it and however hedged ("if you define AGI as …");
            # a negated horizon is its floor, not a denial ("not for another ten years", « pas avant 2035 »)
        out.append(dataclasses.replace(claim, modality=modality, speaker=speaker))
    return out


def _of_a_year_to_come(claim: Claim, published: datetime.date | None) -> bool:
    """Whether the figure's time starts in a year after the article's."""
    if published is None or claim.time is None or claim.metric in ("agi_date", "release_date"):
        return False
    period = period_interval(claim.time)
    return period is not None and period[0].year > published.year


def locate(doc: Doc, start: int, end: int, cues: Cues, text: str | None = None) -> Figure | None:
    """The figure's place in the parse, or None when its offsets fall outside the tokens."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    clause = [tok]
    t = tok
    while True:
        while t.dep_ not in _CLAUSE_DEPS and t.head.i != t.i:
            t = t.head
            clause.append(t)
        infinitive = any(c.dep_ in ("mark", "aux") and c.lower_ in _INFINITIVE_MARKS for c in t.children)
        if t.head.i == t.i or not (t.dep_ in _CLIMB_DEPS or infinitive
                                   or (t.dep_ == "acl" and cues.word("plan_words", t.head.text))):
            break
        t = t.head  # "plans to buy", "has no plans to invest", « prévoit d'acheter »: the plan governs the figure
        clause.append(t)
    return Figure(tok, tuple(clause), tuple(tok.ancestors), tok.sent, start, end, doc.text if text is None else text)


# --- sign -----------------------------------------------------------------------------------


def signed(claim: Claim, fig: Figure, cues: Cues) -> Claim:
    """The claim with its interval mirrored when the text says the figure is a fall."""
    if claim.metric not in _SIGNED_METRICS:
        return claim
    if claim.value_low is not None and claim.value_low < 0 or claim.value_high is not None and claim.value_high < 0:
        return claim
    if not _is_fall(claim, fig, cues):
        return claim
    return negate(claim)


def negate(claim: Claim) -> Claim:
    """A fall of ``[low, high]`` as a signed change (see the module docstring for open bounds)."""
    low, high, hedge = claim.value_low, claim.value_high, claim.hedge
    new_low = -high if high is not None else None
    new_high = -low if low is not None else None
    if hedge == "at_most" or (low is None and high is not None):
        new_high, hedge = 0.0, "range"  # "lost up to $600 billion": anything from nothing to $600 billion
    elif hedge == "at_least":
        hedge = "at_most"
    return dataclasses.replace(claim, value_low=new_low, value_high=new_high, hedge=hedge)


def _is_fall(claim: Claim, fig: Figure, cues: Cues) -> bool:
    sent = fig.sent
    before = fig.text[sent.start_char:fig.start]
    if claim.metric == "other" and _is_loss(fig, before, cues):
        return True
    if claim.metric != "market_value_change":
        # a cut or decline stated as a change: "cut capex by $5bn", « a reculé de 2 milliards », "a $5bn drop",
        # "his net worth dropped by $21 billion"; « a reculé à 2 milliards », "fell to $2bn" give the new
        # level, not the change
        as_change = cues.search("change_before", before) is not None and cues.search("level_before", before) is None
        near = (*fig.clause[1:3], *fig.token.children)
        return as_change and any(cues.word("fall_words", t.text) for t in near)
    # market value: the nearest change word in the figure's clause says which way
    best: tuple[int, bool] | None = None
    lo = fig.token.i
    for t in sent:
        if t.i > lo + 6:
            break
        fall = cues.word("fall_words", t.text) or (t.i > lo and cues.word("fall_after_words", t.text))
        rise = not fall and cues.word("rise_words", t.text)
        if not (fall or rise) or fig.start <= t.idx < fig.end:
            continue
        dist = abs(t.i - lo) + (0 if t in fig.clause or t in fig.ancestors else 4)
        if best is None or dist < best[0]:
            best = (dist, fall)
    return best is not None and best[1]


def _is_loss(fig: Figure, before: str, cues: Cues) -> bool:
    """A loss, read in the figure's own clause: "a net loss of $863 million, up from $593.7
    million", "$5 billion in losses", « devrait perdre cinq milliards » (not « a perdu 17 %, à
    118 dollars »: a level)."""
    clause = _STRONG_BREAK.split(before[-90:])[-1]
    if cues.search("loss_phrases", clause) or cues.search("loss_phrases", fig.text[fig.end:fig.end + 25]):
        return True
    after = fig.text[fig.end:fig.end + 25].split()
    if after and cues.word("fall_after_words", after[0].strip(",.;:")):
        return True  # « Plus de douze milliards de dollars envolés en trois mois »: money gone
    return cues.search("level_before", before) is None and any(cues.word("loss_words", t.text) for t in fig.clause)


# --- modality -------------------------------------------------------------------------------


def features(fig: Figure, cues: Cues, metric: str | None = None) -> dict[str, float]:
    """Rule cues, morphology and the governing verb, as model features (name -> value); with the
    claim's ``metric`` (when known) the metric, and whether a project still to be built is named."""
    f: dict[str, float] = {}
    if metric is not None:
        f["metric=" + metric] = 1.0
        if metric in _PROJECT_METRICS and cues.search("project_phrases", fig.sent.text):
            f["project"] = 1.0
    text = fig.text
    sent_text = fig.sent.text
    before = text[_clause_start(fig):fig.start]
    after = text[fig.end:min(fig.sent.end_char, fig.end + 60)]

    def on(name: str, cond: bool) -> None:
        if cond:
            f[name] = 1.0

    on("neg", _negated(fig, cues))
    on("deny", any(cues.word("deny_words", t.text) for t in fig.ancestors))
    on("deny_sent", any(cues.word("deny_words", t.text) for t in fig.sent))
    on("neg_sent", any(_negation(t, cues, text) and t.dep_ in ("neg", "advmod", "det") and t.idx < fig.end
                       for t in fig.sent))  # a negation after the figure corrects another one
    # a denial or negation earlier in the same clause that the parse did not put above the figure
    on("deny_near", any((cues.word("deny_words", t.text) or (_negation(t, cues, text) and t.dep_ in (
        "neg", "advmod"))) and t.idx < fig.start and not _CLAUSE_BREAK.search(text[t.idx:fig.start])
        and not _STRONG_BREAK.search(text[t.idx:fig.start]) for t in fig.sent))
    on("correction", bool(cues.search("correction_before", before) or cues.search("correction_after", after)))
    on("false_report", bool(cues.search("false_report_before", text[fig.sent.start_char:fig.start])
                            and cues.search("false_report_after", text[fig.end:fig.sent.end_char])))
    on("condition", _conditioned(fig, cues))
    on("condition_sent", bool(cues.search("condition_phrases", sent_text)) or any(
        t.dep_ == "mark" and cues.word("condition_words", t.text) and not _conceded(t, cues) for t in sentence_tokens(fig)))
    on("illustrative", bool(cues.search("illustrative_phrases", sent_text)))
    on("plan_clause", any(cues.word("plan_words", t.text) or any(
        c.dep_.startswith("aux") and cues.word("plan_words", c.text) for c in t.children) for t in fig.clause))
    own = _CLAUSE_BREAK.split(text[fig.sent.start_char:fig.start])[-1]
    on("plan_before", any(cues.word("plan_words", w) for w in re.findall(r"[\w'’]+", own))
       or bool(cues.search("plan_phrases", own)))
    on("plan_phrase", bool(cues.search("plan_phrases", sent_text)))
    on("plan_sent", any(cues.word("plan_words", t.text) for t in fig.sent))
    on("future", any(_future(t, cues) or any(c.dep_.startswith("aux") and _future(c, cues) for c in t.children)
                     for t in fig.clause))
    on("forecast_cnd", any(cues.word("forecast_conditional_words", t.text) for t in (*fig.clause, *_aux(fig))))
    on("cnd", any(_conditional(t, cues) for t in (*fig.clause, *_aux(fig))))
    on("cnd_sent", any(_conditional(t, cues) for t in fig.sent))
    # « n'aurait requis « que » 5 ou 6 millions »: a conditional before the figure in its own clause
    # segment, even where the small parser hangs the figure elsewhere (the journalistic conditional)
    on("cnd_near", any(_conditional(t, cues) and t.idx < fig.start and _same_segment(text, t, fig.start)
                       for t in fig.sent))
    on("would", any(t.lower_ in ("would", "could", "might") for t in _aux(fig)))
    on("attribution", _attributed(fig, cues))
    on("attribution_sent", bool(cues.search("attribution_phrases", sent_text)))
    speech = [t for t in fig.ancestors if cues.word("speech_words", t.text)]
    head = fig.clause[-1]
    on("speech_above", any(t.i != head.i for t in speech))
    # « a indiqué qu'il déploierait », "said it would invest": the tense of reported speech, a plan
    on("reported_future", bool(speech) and any(t.i != head.i for t in speech)
       and bool(f.get("cnd") or f.get("would") or f.get("future")))
    on("speech_head", cues.word("speech_words", head.text))
    on("speech_sent", any(cues.word("speech_words", t.text) for t in fig.sent))
    on("claim_verb", any(cues.word("claim_words", t.text) for t in fig.ancestors))
    on("quoted", _quoted(text, fig))
    # "Amazon to spend $100 billion" (a headline), "expects the company to sell": an infinitive with no tense
    on("to_root", head.dep_ == "ROOT" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children))
    f["h:" + head.lower_] = 1.0  # the governing verb; words around the figure did not help in cross-validation
    return f


def decide(feats: dict[str, float], incoming: str, model: Model) -> str:
    """The modality: hard constraints first, then the model's best label the cues allow."""
    if feats.get("neg") or feats.get("deny") or feats.get("correction") or feats.get("false_report"):
        return "denied"
    if feats.get("condition"):
        return "hypothetical"
    allowed = set(LABELS)
    if not feats.get("deny_near"):
        allowed.discard("denied")  # "xAI raised $6 billion, while OpenAI denied …": no leak across clauses
    if not (feats.get("condition_sent") or (feats.get("illustrative") and not feats.get("metric=price"))
            or (feats.get("would") and not feats.get("reported_future"))):
        allowed.discard("hypothetical")  # the unit price an illustrative total is computed from is stated
    planned = any(feats.get(k) for k in _PLAN_FEATURES) or bool(feats.get("project"))
    if incoming == "plan" and planned:
        allowed &= {"denied", "hypothetical", "plan"}
    elif not planned:
        # a plan word elsewhere in the sentence ("… as Musk eyes a million") is not this figure's, and
        # the claims stage's own plan test (a cue anywhere in the clause: « compte 671 milliards de
        # paramètres ») is overruled when no plan cue reaches the figure in the parse
        allowed.discard("plan")
    scores = model.scores(feats)
    best = max(allowed, key=lambda label: scores[label])
    if best in ("reported", "stated") and any(feats.get(k) for k in _STRONG_PLAN):
        return "plan"  # a plan, future or forecast on the figure's own verb outranks an attribution
    if best == "stated" and (feats.get("attribution") or feats.get("claim_verb") or feats.get("cnd_near")):
        return "reported"  # « selon Bloomberg », "reportedly", "claims", « affirme », « aurait nécessité »
    return best


_RESTRICTIVE_NE = re.compile(r"\b(?:ne|n['’])\s*$", re.IGNORECASE)
_RESTRICTIVE_QUE = re.compile(r"^[\s\w'’-]*?[«“\"\s]*\bqu(?:e|['’])", re.IGNORECASE)


def _same_segment(text: str, t: Token, end: int) -> bool:
    """No clause boundary between ``t`` and ``end``; the ``que`` of a restrictive « ne … que »
    (« n'aurait requis que 5 millions ») is no boundary."""
    between = text[t.idx + len(t.text):end]
    if _RESTRICTIVE_NE.search(text[max(0, t.idx - 4):t.idx]):
        between = _RESTRICTIVE_QUE.sub("", between, count=1)
    return not _CLAUSE_BREAK.search(between) and not _STRONG_BREAK.search(between)


def _clause_start(fig: Figure) -> int:
    left = min(t.left_edge.i for t in fig.clause)
    return max(fig.sent.doc[left].idx, fig.sent.start_char)


def _aux(fig: Figure) -> list[Token]:
    return [c for t in fig.clause for c in t.children if c.dep_.startswith("aux") or c.dep_ == "cop"]


def _negated(fig: Figure, cues: Cues) -> bool:
    """« ne … pas », "not", "never", "no" on the figure's verb or on the figure itself."""
    text = fig.text
    for t in fig.clause:
        kids = list(t.children)
        for c in kids:
            if not _negation(c, cues, text) or c.dep_ not in ("neg", "advmod", "det", "advmod:neg"):
                continue
            if c.dep_ == "det" and t.i not in (fig.token.i, fig.token.head.i) and not cues.word("plan_words", t.text):
                continue  # "no" counts on the figure's own noun ("no 200,000 GPUs") or a plan ("no plans to")
            if c.idx >= fig.end and c.idx > fig.clause[-1].idx:
                continue  # "raised $10 billion, not the $12 billion": the negation corrects a later figure
            lo, hi = sorted((c.idx, fig.start))
            if _STRONG_BREAK.search(text[lo:hi]):
                continue  # a misparse across ", but", ":" or a relative clause
            particle_needed = cues.patterns["negation_particle_words"].pattern != "(?!x)x"
            if particle_needed and c.dep_ != "det" and not any(
                    cues.word("negation_particle_words", k.text) for k in kids):
                continue
            return True
    return False


def _negation(t: Token, cues: Cues, text: str) -> bool:
    """A negation word that negates: not « pas moins de », "not less than", "not before 2032" (bounds)."""
    if not cues.word("negation_words", t.text):
        return False
    nxt = text[t.idx + len(t.text):t.idx + len(t.text) + 15].split()
    return not (nxt and cues.word("negation_not_after", nxt[0].strip(",;")))


def _conditioned(fig: Figure, cues: Cues) -> bool:
    """The figure's clause is a « si »/"if" clause, or one hangs on its verb."""
    marks: list[Token] = []
    for t in fig.clause:
        marks += [c for c in t.children if c.dep_ == "mark"]
        marks += [g for c in t.children if c.dep_ == "advcl" for g in c.children if g.dep_ == "mark"]
    for m in marks:
        if not cues.word("condition_words", m.text):
            continue
        if _conceded(m, cues):
            continue  # « même si », "even if": a concession
        return True
    for t in sentence_tokens(fig):
        if t.i >= fig.sent.start:
            break
        if t.dep_ == "mark" and cues.word("condition_words", t.text) and t.head.dep_ == "ROOT":
            return True  # a « si » clause the parser cut off before the figure's sentence
    return False


def _conceded(mark: Token, cues: Cues) -> bool:
    return mark.i > 0 and cues.word("condition_not_before", mark.nbor(-1).text)


def _attributed(fig: Figure, cues: Cues) -> bool:
    for t in fig.clause:
        for c in t.children:
            if attribution_word(c, cues) or any(
                    g.dep_ in ("case", "prep", "mark", "advmod") and attribution_word(g, cues) for g in c.children):
                return True
    return False


def sentence_tokens(fig: Figure) -> list[Token]:
    """The figure's sentence, with the fragments before it the parser cut at a comma
    (« Si la levée aboutit, | Anthropic serait valorisée … »)."""
    doc = fig.sent.doc
    start = fig.sent.start
    while start > 0:
        prev = doc[start - 1]
        if prev.is_space and start > 1:
            prev = doc[start - 2]
        if prev.text not in (",", ";", "—", "–"):
            break
        start = prev.sent.start
    return list(doc[start:fig.sent.end])


def _future(t: Token, cues: Cues) -> bool:
    return cues.word("future_words", t.text) and not cues.word("future_not_words", t.text)


def _conditional(t: Token, cues: Cues) -> bool:
    if cues.word("forecast_conditional_words", t.text):
        return False
    return "Cnd" in t.morph.get("Mood", []) or (
        cues.word("conditional_words", t.text) and not cues.word("conditional_not_words", t.text))


def _quoted(text: str, fig: Figure) -> bool:
    before = text[fig.sent.start_char:fig.start]
    opened = before.count("«") - before.count("»") + before.count("“") - before.count("”")
    return opened > 0 or before.count('"') % 2 == 1


# --- the model ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def load_model(path: Path = MODEL_FILE) -> Model:
    """The trained modality model; ``ConfigError`` when the file is missing or malformed."""
    return Model.load(path, LABELS, "modality model")
