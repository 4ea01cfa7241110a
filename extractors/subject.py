"""Step 4, subject: which named thing a figure is about.

``find_subject(d, sent, figure, metric, mentions)`` proposes candidates (every name in the
sentence; a pronoun or generic noun phrase, "the company", "le cluster", resolved to what it
stands for; a topic fragment "Stargate ?"), each with rule features (tree distance, dependency
role, kind, position) and hard constraints (a vendor, a compared name, an investee or a partner
is never the subject), and picks the best-scored one. With no name in the sentence the topic
carried from the sentences before stands in.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from extractors import lexicon
from extractors.contract import Claim
from extractors.document import CARRY_SENTENCES, Document, tree_distance
from extractors.entities import Mention
from extractors.figures import Figure
from extractors.names import is_vendor

PRONOUNS = lexicon.words("pronouns")
_GENERIC_SUBJECTS = lexicon.pattern(r"^(?:<<generic_orgs>>|<<generic_persons>>)$")
_GENERIC_PERSON = lexicon.pattern(r"^<<generic_persons>>$")
_GENERIC_CLUSTER = lexicon.pattern(r"^<<generic_determiners>> <<generic_cluster_heads>>$")
_GENERIC_MODEL = lexicon.pattern(r"^<<generic_determiners>> <<generic_model_heads>>$")
_NAMING_VERB = lexicon.pattern(r"^<<naming_verbs>>$")
_SPEECH_VERB = lexicon.pattern(r"^<<speech_verbs>>$")
_FRAGMENT = re.compile(r"^\s*[^?:.!]{1,40}\s[?:]\s*$")
_INVESTED_IN = lexicon.pattern(r"\s*<<invested_in>>\s*", 0)
_NOT_SUBJECT_BEFORE = lexicon.pattern(r"<<not_subject_before>>\s*$", 0)
_PARTNERS_BEFORE = lexicon.pattern(r"\b<<partners_before>>\s+(?:[A-Z][\w.&-]*\s*(?:,|<<and_words>>)\s*)*(?:\w+\s*)?$",
                                   0)
TRAIN_CUE = lexicon.pattern("train_cue")
_ALL_KINDS = ("org", "person", "programme", "model")


def find_subject(d: Document, sent: Span, f: Figure, metric: str, mentions: list[Mention]) -> str | None:
    """The subject of figure ``f`` of ``metric`` in ``sent``; None when nothing fits."""
    q = f.quantity
    if metric == "parameter_count":
        # Parameters are always a model's: the nearest model named in the sentence, else the
        # last one named ("Meta a publié Llama 3.1. Sa version à 405 milliards de paramètres …").
        models = [m for m in mentions if m.kind == "model" and not (m.start < q.unit_end and q.start < m.end)]
        if models:
            return min(models, key=lambda m: abs(m.start - q.start) + (60 if m.start > q.start else 0)).name
        last = d.ctx.last_of_kind.get("model")
        if last is not None and d.sent_index - last[1] <= CARRY_SENTENCES:
            return last[0].name
    anchor = d.root_of(q.number.start, q.number.end)
    scored: list[tuple[float, str]] = []
    for m in mentions:
        if m.start < q.unit_end and q.start < m.end:
            continue
        if m.kind == "concept" or (m.kind == "chip" and metric != "price"):
            continue
        if metric != "price" and is_vendor(d, m, metric):
            continue
        if metric == "investment" and _INVESTED_IN.fullmatch(d.text[q.unit_end:m.start]):
            continue  # "SoftBank will invest $40 billion in OpenAI": OpenAI is invested in, not investing
        if m.kind == "person" and metric != "agi_date" and " " in d.person_name(m.name) \
                and not (m.org or d.matcher.person_org(d.person_name(m.name))):
            continue  # "CFO Amy Hood said …": she speaks for the company in context (a one-word
            # "person" is more often a company the small models mistag: "le canadien Brookfield")
        if m.kind == "model" and metric in ("cost", "gpu_count", "duration", "compute_multiplier") \
                and TRAIN_CUE.search(sent.text):
            bonus = -1.0  # "DeepSeek said it trained its V3 model for …": the figure is the model's
        else:
            bonus = 0.0
        tok = d.root_of(m.start, m.end)
        dist = tree_distance(anchor, tok)
        if tok is not None and _NAMING_VERB.match(tok.head.text):
            # "le modèle …, appelé o1, …": the name stands where the noun it names stands.
            dist = min(dist, tree_distance(anchor, tok.head.head))
        if _NOT_SUBJECT_BEFORE.search(d.text[max(0, m.start - 60):m.start]):
            continue  # "10 times more compute than Grok 2", "$8 billion from Amazon": not the subject
        if _PARTNERS_BEFORE.search(d.text[max(0, m.start - 40):m.start]):
            continue  # "the joint venture with SoftBank and Oracle that plans to invest": partners
        if m.kind == "person" and tok is not None and tok.dep_.startswith("nsubj") and _SPEECH_VERB.match(tok.head.text):
            dist += 1.5  # "Musk a annoncé que Grok 3 …": the speaker is rarely what the figure is about
        if m.start < q.start and _FRAGMENT.match(d.text[sent.start_char:m.end + 3]):
            dist = min(dist, 1.0)  # "Stargate ? Un programme … de 500 milliards"
        if tok is not None and (tok.dep_.startswith("nsubj") or (
                tok.dep_ in ("compound", "nmod", "amod", "appos", "flat", "flat:name", "nummod")
                and tok.head.dep_.startswith("nsubj"))):
            dist -= 0.5  # the clause's subject is what a figure in it is usually about
        linear = abs(m.start - q.start) / 200.0 + (0.3 if m.start > q.start else 0.0)
        scored.append((dist + linear + bonus + _kind_bias(m.kind, metric), d.canonical(m, metric)))
    if anchor is not None:
        for tok in sent:
            if tok.dep_ not in ("nsubj", "nsubj:pass", "nsubjpass", "obj", "dobj"):
                continue
            phrase = d.doc[tok.left_edge.i:tok.i + 1].text
            if tok.head not in [anchor, *anchor.ancestors]:
                continue  # "… qu'il compare aux GPU H100": a pronoun in another clause
            referent = _referent(d, tok, phrase, mentions, metric)
            if referent is not None:
                scored.append((tree_distance(anchor, tok) + 0.05, referent))
    if d.ctx.fragment_topic is not None:
        scored.append((1.0, d.canonical(d.ctx.fragment_topic, metric)))
    if metric == "price":
        chips = [m for m in mentions if m.kind == "chip"]
        if chips:
            # "une baie GB200 NVL72, qui regroupe 72 GPU Blackwell, s'échange autour de 3 M$": the
            # chip nearest in the parse, one written before the price first
            return min(chips, key=lambda m: (m.start > q.start, tree_distance(anchor, d.root_of(m.start, m.end))
                                             + abs(m.start - q.start) / 200.0)).name
        if not scored and d.ctx.chip is not None:
            return d.ctx.chip
    if scored:
        return min(scored)[1]
    if q.hedge == "vague":
        return None  # "des milliards" with no name in the sentence is rhetoric, not a claim
    return topic(d, metric)


def _referent(d: Document, tok: Token, phrase: str, mentions: list[Mention], metric: str) -> str | None:
    """What a pronoun or a generic noun phrase ("the company", "le cluster") stands for."""
    low = phrase.lower()
    kinds: tuple[str, ...]
    if tok.lower_ in PRONOUNS and tok.dep_.startswith("nsubj"):
        kinds = _ALL_KINDS
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
    if inside and kinds != _ALL_KINDS:
        return d.canonical(inside[-1], metric)  # "le modèle …, appelé o1": the named one
    near = (("org", "model", "programme") if tok.lower_ == "it" else ("org", "person")) \
        if kinds == _ALL_KINDS else kinds
    before = [m for m in mentions if m.end <= tok.idx and m.kind in near and not is_vendor(d, m)]
    if before and kinds != ("model",):
        return d.canonical(before[-1], metric)
    ctx = d.ctx
    if kinds == ("org", "person") and ctx.topic is not None and ctx.topic.kind == "org" \
            and d.sent_index - ctx.topic_sent <= CARRY_SENTENCES:
        return ctx.topic.name  # "la société", "the company": what the article is about, not the last org named
    last = ctx.last_of_kind
    for kind in kinds:
        if kind in last and d.sent_index - last[kind][1] <= CARRY_SENTENCES + 2:
            if kinds == _ALL_KINDS and ctx.topic is not None:
                break
            return d.canonical(last[kind][0], metric)
    return topic(d, metric)


def topic(d: Document, metric: str) -> str | None:
    """The subject carried from the sentences before, for a figure whose sentence names none."""
    ctx = d.ctx
    last_model = ctx.last_of_kind.get("model")
    if metric in ("cost", "gpu_count", "duration") and last_model is not None and TRAIN_CUE.search(d.sent_text) \
            and d.sent_index - last_model[1] <= 1:
        return last_model[0].name  # "… avec Llama 3.1. Sa version … a été entraînée sur 16 000 GPU": the model trained
    if ctx.topic is None:
        return None
    if d.sent_index - ctx.topic_sent > CARRY_SENTENCES:
        return None
    return d.canonical(ctx.topic, metric)


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


def update_context(d: Document, sent: Span, mentions: list[Mention], made: list[Claim]) -> None:
    """After a sentence: the topic it sets (its grammatical subject, else its first name, else
    the subject of its last figure), the last name of each kind, a fragment topic ("Stargate ?")."""
    ctx = d.ctx
    for m in mentions:
        if not is_vendor(d, m):
            ctx.last_of_kind[m.kind] = (m, d.sent_index)
        if m.kind == "chip":
            ctx.chip = m.name
        if m.kind == "person":
            ctx.last_person = d.person_name(m.name)
    candidates = [m for m in mentions if m.kind not in ("chip", "concept") and not is_vendor(d, m)]
    ctx.fragment_topic = None
    if candidates:
        subj = next((m for m in candidates if d.dep_of(m) in ("nsubj", "nsubj:pass")), candidates[0])
        ctx.topic, ctx.topic_sent = subj, d.sent_index
        last = candidates[-1]
        if re.fullmatch(r"\s*[?:]\s*", d.text[last.end:sent.end_char]) and (
                last.start - sent.start_char < 3 or re.search(r"[.!?»]\s+$", d.text[sent.start_char:last.start])):
            ctx.fragment_topic = last  # "… avec moins. Stargate ? Un programme de 500 milliards"
    claimed = [c for c in made if c.subject and c.metric not in ("agi_date", "price")]
    if claimed:
        named = next((x for x in mentions if x.name == claimed[-1].subject), None)
        if named is not None:
            ctx.topic, ctx.topic_sent = named, d.sent_index
        elif ctx.topic is not None and d.canonical(ctx.topic, claimed[-1].metric) == claimed[-1].subject:
            ctx.topic_sent = d.sent_index  # the figure was about the carried topic: it stays current
