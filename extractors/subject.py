"""Step 4, subject: which named thing a figure is about.

``find_subject(d, sent, figure, metric, mentions)`` proposes candidates (every name in the
sentence; a pronoun or generic noun phrase, "the company", "le cluster", resolved to what it
stands for; a topic fragment "Stargate ?"), each with rule features (tree distance, dependency
role, kind, position) and hard constraints (a vendor, a compared name, an investee or a partner
is never the subject), and picks the best-scored one. Against names in the sentence stands
:data:`NO_ONE` too, which the rules never pick and the scorer may: a market's or a sector's total.
With no name in the sentence the topic carried from the sentences before stands in (none named
lately: the headline's). A name in the headline counts :data:`HEADLINE_WEIGHT` times for salience.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from extractors import lexicon
from extractors.contract import Claim
from extractors.document import CARRY_SENTENCES, Document, tree_distance
from extractors.entities import Mention
from extractors.figures import MONEY, Figure
from extractors.names import is_vendor
from extractors.quantities import Quantity
from extractors.ranker import Candidate, Choice

PRONOUNS = lexicon.words("pronouns")
_HYPHEN_TAIL = re.compile(r"(?:-\w+)+")
_GENERIC_SUBJECTS = lexicon.pattern(r"^(?:<<generic_orgs>>|<<generic_persons>>)$")
_GENERIC_PERSON = lexicon.pattern(r"^<<generic_persons>>$")
_GENERIC_CHIP_MAKER = lexicon.pattern(r"^<<generic_chip_makers>>\b")
_GENERIC_CLUSTER = lexicon.pattern(r"^<<generic_determiners>> <<generic_cluster_heads>>$")
_GENERIC_MODEL = lexicon.pattern(r"^<<generic_determiners>> <<generic_model_heads>>$")
_NAMING_VERB = lexicon.pattern(r"^<<naming_verbs>>$")
_SPEECH_VERB = lexicon.pattern(r"^<<speech_verbs>>$")
_FRAGMENT = re.compile(r"^\s*[^?:.!]{1,40}\s[?:]\s*$")
_INVESTED_IN = lexicon.pattern(r"\s*(?:<<invested_in>>|<<paid_to>>)\s*", 0)
# "Nvidia's investment in OpenAI, up to $100 billion", « l'investissement de Nvidia dans OpenAI »,
# "Amazon's $8 billion stake in Anthropic": the name after the investment's "in" is invested in
_INVESTEE_BEFORE = lexicon.pattern(r"\b<<investment_nouns>>(?:\s+(?:de|d['’]|by|of)\s*[\w.-]+(?:\s+[A-Z][\w.-]*)?)?"
                                   r"\s+<<invested_in>>\s*$")
_ROUND_IN = lexicon.pattern(r"\s*(?:[\w-]+\s+){0,3}?<<round_nouns>>\s+(?:<<invested_in>>|<<round_for>>)\s+", 0)
# « OpenAI a racheté Windsurf pour 3 milliards », "bought 49% of Scale AI for $14.3 billion": what is bought
_ACQUIRED_BEFORE = lexicon.pattern(r"\b<<acquire_verbs>>\s+(?:[\w’'%-]+\s+){0,3}$")
_RELATIVE_AFTER = lexicon.pattern(r"\s*<<relative_after>>\s*", 0)
_PRICE_FOR = lexicon.pattern(r"\s*,?\s*<<price_for>>\b")
_NOT_SUBJECT_BEFORE = lexicon.pattern(r"<<not_subject_before>>\s*$", 0)
_FUNDER_BEFORE = lexicon.pattern(r"<<funder_before>>\s*$", 0)
_BACKER_BEFORE = lexicon.pattern(r"\b<<backer_before>>\s*$")
_BACKER_AFTER = lexicon.pattern(r"<<backer_after>>\b", 0)
_POSSESSIVE_GAP = lexicon.pattern(r"<<possessive_gap>>")
_OWNED_NOUN_GAP = lexicon.pattern(r"<<owned_noun_gap>>")
_GENERIC_TRAINING = lexicon.pattern(r"\b<<train_cue>>\s+(?:<<generic_models>>)")
_GENERIC_MODEL_SUBJECT = lexicon.pattern(r"(?:^|[,;:]\s+)<<generic_model_subjects>>\b")
_EXAMPLE_BEFORE = lexicon.pattern(r"\b<<example_before>>\s+$")
_BACKER_OF_AFTER = lexicon.pattern(r"<<possessive_gap>>(?:[\w-]+\s+){0,2}<<backer_nouns>>\b", 0)
_BACKER_OF_BEFORE = lexicon.pattern(r"\b<<backer_nouns>>(?:\s+[\w-]+){0,2}\s+(?:de|d['’]|of)\s*$", 0)
SOURCE_BEFORE = lexicon.pattern(r"\b<<source_before>>\s+(?:the\s+|les?\s+|la\s+|l['’]\s*)?$")
_SPEAKER_AFTER = lexicon.pattern(r",\s*<<said_words>>\s+[^,;.]{0,50}$", 0)
_SOURCE_AFTER = lexicon.pattern(r"^(?:['’]s)?\s+(?:\w+\s+)?(?:data|figures|roundup|report|estimates?)\b", 0)
_SECTOR = lexicon.pattern(r"^(?:<<sector_subjects>>)$")
_CLAUSE_MARKS = frozenset({",", ";", ":", "(", ")", "—", "–"})
_PARTICIPLE_GAP = lexicon.pattern(r"\s+<<investing_participles>>\s+(?:<<approx_words>>\s+)?")
_INTO_NAME = lexicon.pattern(r"(?:\s+\w+){0,2}?\s+<<into_words>>\s+(?:<<into_determiners>>\s+)?")
_RIVALS_BEFORE = lexicon.pattern(r"\b<<rivals_before>>\b(?:[^.;:!?()«»]|\.\d){0,90}$")
_PARTNERS_BEFORE = lexicon.pattern(r"\b<<partners_before>>\s+(?:[A-Z][\w.&-]*\s*(?:,|<<and_words>>)\s*)*(?:\w+\s*)?$",
                                   0)
TRAIN_CUE = lexicon.pattern("train_cue")
# "développé sur un cluster colossal de 100 000 GPU", "a supercomputer of 200,000 GPUs": the
# count is the cluster's (its operator's), never a model's trained on it.
_ON_CLUSTER = lexicon.pattern(r"\b<<cluster_nouns>>(?:\s+\w+)?\s+(?:de|d’|of|with|avec)\s*(?:<<approx_words>>\s*)?$"
                              .replace("’", "['’]"))
# "a cost of $200,000 for its low-efficiency model", « le coût de son dernier modèle »: the model
# last named, even when the sentence names only its maker
_MODEL_PHRASE = lexicon.pattern(r"\b<<model_determiners>>\s+(?:[\w-]+\s+){0,3}<<generic_model_heads>>(?:s|['’]s)?\b")
_MODEL_METRICS = frozenset({"cost", "compute_multiplier", "duration"})
_TRAINING_UNITS = frozenset({"FLOP", "GPU-hour", "Wh"})
_NEVER = 1e6
_BRACKETED = lexicon.pattern(r"\s*\(\s*(?:<<approx_words>>\s*)?[$€£]?\s*", 0)
_UNIT_PRICE = lexicon.pattern("unit_price_cue")
# "Microsoft, valorisé à 3 730 milliards, et Apple, à 3 190 milliards": the name the figure is set beside
_APPOSED = lexicon.pattern(r"\s*,\s*(?:\w+\s+){0,2}<<apposed_figure>>\s*(?:(?:à|de|at|of)\s+)?(?:<<approx_words>>\s*)?[$€£]?\s*", 0)
# « la levée de 6 milliards de dollars par xAI », "the $6 billion raised by xAI": the agent named right after
_AGENT_AFTER = lexicon.pattern(r"\s*(?:<<agent_after>>)?\s*<<agent_by>>\s+", 0)
_MODEL_NOUN = lexicon.pattern(r"\b<<generic_model_heads>>s?\b")
_GLUED = re.compile(r"[ \t\u00a0-]*")
_ROUND_BACKER_AFTER = lexicon.pattern(r"(?:<<round_backer_after>>)$", 0)
# "Each GB200 rack contains 72 GPUs", « une baie GB200 NVL72, qui regroupe 72 GPU »: the GPUs are the rack's
_CHIP_HOLDS = lexicon.pattern(r"[\s,]*(?:[\w-]+[\s,]+){0,3}?(?:<<relative_words>>\s+)?<<contain_verbs>>\s+"
                              r"(?:<<each_words>>\s+)?(?:<<approx_words>>\s*)?", 0)
# "tens of billions of dollars in revenue for AMD", « 2 milliards de revenus pour Nvidia »: whom it earns
_EARNER_AFTER = lexicon.pattern(r"\s*<<earner_after>>\s+", 0)
_MONEY_METRICS = frozenset({"cost", "investment", "price", "market_value_change", "funding", "revenue", "valuation"})
_ALL_KINDS = ("org", "person", "programme", "model")
_NEVER_SUBJECT = ("concept", "outlet")
"""Kinds no figure is about: a concept ("AGI"), a news outlet that reports it."""
NO_ONE = ""
"""The subject of a figure that belongs to no one ("US startup funding surged to $162.8 billion",
« les investissements mondiaux … 61 milliards »): a candidate of every ambiguous choice that the
rules never pick and the scorer may; its claim is stored with no subject."""
_AGGREGATE = lexicon.pattern("aggregate_words")
_WEALTH_AFTER = lexicon.pattern(r"['’]s\s+(?:\w+\s+)?<<wealth_nouns>>\b")
_WEALTH_BEFORE = lexicon.pattern(r"\b<<wealth_nouns>>\s+(?:\w+\s+)?(?:de|d['’]|of)\s*$")
_OWN_WEALTH = lexicon.pattern(r"\b<<possessive_determiners>>\s+<<wealth_nouns>>\b")
_TOTAL_METRICS = frozenset({"funding", "investment", "revenue", "valuation"})
"""What a sector or a market adds up to ("AI startups raised", « les investissements mondiaux »)."""


def find_subject(d: Document, sent: Span, f: Figure, metric: str, mentions: list[Mention]) -> str | None:
    """The subject of figure ``f`` of ``metric`` in ``sent``; None when nothing fits; :data:`NO_ONE`
    when the scorer reads the figure as no one's (a market's or a sector's total)."""
    name = _find_subject(d, sent, f, metric, mentions)
    if metric == "parameter_count" and name is not None and name != NO_ONE and _kind_of(d, name) != "model":
        # parameters are a model's: "Meta's latest AI model has 405 billion parameters" in an
        # article about Llama 3.1 is Llama 3.1's (an organisation that names none keeps them)
        return d.model_of(name) or name
    if metric == "price" and name and _kind_of(d, name) not in ("model", "chip"):
        # a price is a chip's or a model's (« des entreprises comme OpenAI … acquérir ces cartes dont
        # le prix … 40 000 dollars l'unité »): the chip or model just named, else no claim
        if d.ctx.chip is not None:
            return d.ctx.chip
        return _carried_model(d)
    if metric == "cost" and name and _kind_of(d, name) == "org" and TRAIN_CUE.search(sent.text) \
            and _MODEL_NOUN.search(sent.text):
        # "Meta releases 'world's largest' AI model trained on $400 million worth of GPUs": the
        # training run of the maker's model the article names
        return d.model_of(name) or name
    return name


def _find_subject(d: Document, sent: Span, f: Figure, metric: str, mentions: list[Mention]) -> str | None:
    if metric == "investment":
        agent = _participle_agent(d, sent, f.quantity, mentions)
        if agent is not None:
            return agent
    chosen = subject_candidates(d, sent, f, metric, mentions)
    if not isinstance(chosen, list):
        return chosen
    q = f.quantity
    if not chosen:
        if q.hedge == "vague":
            return None  # "des milliards" with no name in the sentence is rhetoric, not a claim
        carried = topic(d, metric)
        if carried is not None and metric != "agi_date" and " " in carried and _kind_of(d, carried) == "person":
            # "Emmanuel Macron a annoncé … L'installation alimentera 500 000 processeurs": a person
            # speaks for the project; with no name in the sentence the article's main organisation stands in
            carried = _main_subject(d) or carried
        if carried is not None and metric == "gpu_count" and _kind_of(d, carried) == "model" \
                and _ON_CLUSTER.search(d.text[max(sent.start_char, q.start - 60):q.start]):
            return _maker(d)
        if carried is None and metric in _TOTAL_METRICS and _AGGREGATE.search(sent.text):
            return NO_ONE  # "AI startups—collectively raising more than $1.2 billion", no name said
        if carried is None or metric in ("agi_date", "parameter_count", "price"):
            return carried
        chosen = _carried_candidates(d, carried, metric)
        if len(chosen) < 2:
            return carried
    trained = [c for c in chosen if c.features.get("train_model")] if metric in ("cost", "duration", "other") else []
    settled = len({c.name for c in trained}) == 1
    if settled:
        # "To train its Gemini 1.0 Ultra model, Google spent $191 million", "39.3 million GPU hours
        # used to train Llama 3.1 405B": a training run's cost and time are the model's, never its
        # maker's nor no one's (its GPUs may be the maker's cluster's, a multiplier compares two
        # models: the scorer weighs those)
        chosen = trained
    best = min(c.rule for c in chosen)
    chosen = [_with(c, rule_gap=min(c.rule - best, 20.0) / 10, rule_first=float(c.rule == best),
                    n_candidates=min(len(chosen), 6) / 6) for c in chosen]
    if not settled and any(c.source != "carried" for c in chosen):
        # a figure whose sentence names no one is the carried topic's (« À 30 000 dollars l'unité,
        # la dépense atteindrait 1,5 milliard »): "no one" stands only against names in the sentence
        chosen.append(_no_one(d, sent, q, metric, chosen, best))
    if d.trace is not None:
        d.trace.append(Choice(q.start, q.end, q.low, q.high, metric, tuple(chosen)))
    if d.subject_model is not None and len({c.name for c in chosen}) > 1:
        return d.subject_model.pick(chosen)
    return min(chosen, key=lambda c: (c.rule, c.name)).name


def subject_candidates(d: Document, sent: Span, f: Figure, metric: str,
                       mentions: list[Mention]) -> list[Candidate] | str | None:
    """The candidates for the subject of ``f``, each with its rule score and features, or the
    subject itself where a rule settles it (parameters are a model's, a price a chip's)."""
    q = f.quantity
    if metric == "parameter_count":
        # Parameters are always a model's: the nearest model named in the sentence, else the
        # last one named ("Meta a publié Llama 3.1. Sa version à 405 milliards de paramètres …").
        models = [m for m in mentions if m.kind == "model" and not (m.start < q.unit_end and q.start < m.end)
                  and not is_rival(d, m)]
        subj = _clause_subject(d, q.number.start, q.number.end)
        maker = next((m for m in mentions if m.kind == "org" and _within(subj, m)), None)
        made = d.model_of(maker.name) if maker is not None and not any(_within(subj, m) for m in models) else None
        if made is not None:
            return made  # "Meta's latest AI model has 405 billion parameters, while OpenAI's GPT-4 …"
        if models:
            # nearest in the parse, then in the text: « DeepSeek-V3, au cœur de DeepSeek-R1, est un
            # modèle … comptant 671 milliards de paramètres » are V3's, though R1 is named nearer
            anchor = d.root_of(q.number.start, q.number.end)
            return min(models, key=lambda m: tree_distance(anchor, d.root_of(m.start, m.end)) * 20
                       + abs(m.start - q.start) + (60 if m.start > q.start else 0)).name
        carried_model = _carried_model(d)
        if carried_model is not None:
            return carried_model
    if metric == "gpu_count":
        holder = next((m for m in mentions if m.kind == "chip" and m.end <= q.start
                       and _CHIP_HOLDS.fullmatch(d.text[m.end:q.start])), None)
        if holder is not None:
            return holder.name
    if f.unit not in MONEY:
        # "xAI brings 1GW Colossus 2 online", "its 100,000-GPU Colossus": a size set before a site's
        # name is the site's
        site = next((m for m in mentions if m.kind == "programme" and m.start >= q.unit_end
                     and _GLUED.fullmatch(d.text, q.unit_end, m.start)), None)
        if site is not None:
            return d.canonical(site, metric)
    if f.unit in MONEY:
        rich = next((m for m in mentions if m.kind == "person" and m.end <= q.start and (
            _WEALTH_AFTER.match(d.text, m.end) or _WEALTH_BEFORE.search(d.text, max(sent.start_char, m.start - 40), m.start)
            or _OWN_WEALTH.search(d.text, m.end, q.start))),
            None)  # … or « Jensen Huang n'a pas été épargné : sa fortune a fondu de 21 milliards »
        if rich is not None:
            return d.person_name(rich.name)  # "Huang's fortune falls $21 billion": his, not Nvidia's
    owner = possessor(d, mentions, q.start, metric)
    if owner is not None:
        return owner  # "OpenAI's $86 billion valuation", "versus o1's $60"
    # "the $18 billion that Anthropic is now valued at", « les 6,6 milliards de dollars qu'OpenAI a
    # levés »: the name that opens the figure's relative clause (the small parsers miss the clause)
    opener = next((m for m in mentions if m.start >= q.unit_end and m.kind in ("org", "person", "programme")
                   and _RELATIVE_AFTER.fullmatch(d.text, q.unit_end, m.start)), None)
    if opener is not None:
        return d.canonical(opener, metric)
    if metric != "price":
        # "distancée par Microsoft (3.230 milliards)": a bracketed figure right after a name is that name's
        bracketed = next((m for m in mentions if _owns_bracket(d, m, q, metric) and not _is_backer(d, m, metric)), None)
        if bracketed is None and metric in ("funding", "investment"):
            bracketed = next((m for m in mentions if m.kind in ("org", "programme") and m.start >= q.unit_end
                              and _AGENT_AFTER.fullmatch(d.text[q.unit_end:m.start])), None)
        if bracketed is None and metric == "funding":
            # "led a $1 billion funding round in Moonshot AI": the round's company, not who led it
            bracketed = next((m for m in mentions if m.kind == "org" and m.start >= q.unit_end
                              and _ROUND_IN.fullmatch(d.text[q.unit_end:m.start])), None)
        if bracketed is None and metric == "revenue":
            bracketed = next((m for m in mentions if m.kind == "org" and m.start >= q.unit_end
                              and _EARNER_AFTER.fullmatch(d.text[q.unit_end:m.start])), None)
        if bracketed is not None:
            return d.canonical(bracketed, metric)
    anchor = d.root_of(q.number.start, q.number.end)
    # a figure alone on its line, read with the line after it ("2. 13 milliards de dollars\nLe
    # chiffre d'affaires qu'OpenAI espère …"): distances count from where that line starts
    # (every name there is "after" the figure, none the less for it)
    line_end = d.text.find("\n", q.end, sent.end_char)
    lead = line_end >= 0 and all(m.start > line_end for m in mentions)
    at = line_end + 1 if lead else q.start
    on_cluster = metric == "gpu_count" and bool(_ON_CLUSTER.search(d.text[max(sent.start_char, q.start - 60):q.start]))
    train = bool(TRAIN_CUE.search(sent.text))
    found: dict[str, Candidate] = {}
    # figures of one metric in one article are mostly one subject's ("raised $6 billion … the
    # round valued it at …"): the subjects of the metric's earlier claims
    before = d.ctx.subjects_of.get(metric, {})
    most = max(before.values(), default=0)

    def add(name: str, rule: float, kind: str, source: str, tok: Token | None, start: int, **extra: float) -> None:
        feats = _features(d, anchor, at, metric, kind, source, tok, start, rule, train)
        if lead:
            feats["after"] = 0.0
        feats.update(_article_features(d, name, metric, before, most))
        feats.update(extra)
        c = Candidate(name, rule, kind, source, feats)
        old = found.get(name)
        if old is None or (c.rule, c.source != "mention") < (old.rule, old.source != "mention"):
            found[name] = c

    # "invest up to $100 billion in OpenAI, backing Sam Altman's push": what is invested in is
    # no investor, whichever of its names (its chief for it) the sentence also gives
    investees = _investees(d, sent, mentions) if metric == "investment" else set()
    for m in mentions:
        if m.start < q.unit_end and q.start < m.end:
            continue
        if m.kind in _NEVER_SUBJECT or (m.kind == "chip" and metric != "price"):
            continue
        if SOURCE_BEFORE.search(d.text[max(0, m.start - 50):m.start]) or _SOURCE_AFTER.match(d.text[m.end:m.end + 30]):
            continue  # "…, according to data from PitchBook", "Crunchbase's roundup": the source
        if m.start > q.end and _SPEAKER_AFTER.search(d.text, max(q.end, m.start - 60), m.start):
            continue  # « … 100 millions de dollars …, a ajouté le directeur général d'OpenAI »: who says it
        if metric != "price" and is_vendor(d, m, metric):
            continue
        if d.canonical(m, metric) in investees:
            continue  # "SoftBank will invest $40 billion in OpenAI": OpenAI is invested in, not investing
        if m.kind == "person" and metric != "agi_date" and " " in d.person_name(m.name) \
                and not (m.org or d.matcher.person_org(d.person_name(m.name))):
            continue  # "CFO Amy Hood said …": she speaks for the company in context (a one-word
            # "person" is more often a company the small models mistag: "le canadien Brookfield")
        if m.kind == "model" and metric == "gpu_count" and (on_cluster or not train):
            continue  # "Grok 3 développé sur un cluster de 100 000 GPU": the GPUs are the maker's cluster's;
            # a model has GPUs only as those it was trained on
        if m.kind == "model" and (metric in ("cost", "gpu_count", "duration", "compute_multiplier")
                                  or (metric == "other" and f.unit in _TRAINING_UNITS)) and train:
            bonus = -1.0  # "DeepSeek said it trained its V3 model for …": the figure is the model's
        else:
            bonus = 0.0
        tok = d.root_of(m.start, m.end)
        dist = tree_distance(anchor, tok)
        named = tok is not None and bool(_NAMING_VERB.match(tok.head.text))
        if tok is not None and named:
            # "le modèle …, appelé o1, …": the name stands where the noun it names stands.
            dist = min(dist, tree_distance(anchor, tok.head.head))
        if _NOT_SUBJECT_BEFORE.search(d.text[max(0, m.start - 60):m.start]) or (
                metric != "investment" and _FUNDER_BEFORE.search(d.text[max(0, m.start - 60):m.start])):
            continue  # "10 times more compute than Grok 2", "$8 billion from Amazon": not the subject
        if _is_backer(d, m, metric):
            continue  # « OpenAI, soutenu par Microsoft, … valoriserait »: the backer; its investment is its own
        if metric in ("funding", "valuation") and m.end <= q.start and m.kind != "person" \
                and _ROUND_BACKER_AFTER.fullmatch(d.text, m.end, q.start):
            continue  # "SoftBank, leading a $40 billion funding round": it backs the round, another raises it
        if is_rival(d, m) and not _within(_clause_subject(d, q.number.start, q.number.end), m):
            continue  # "competitive … against flagships like Claude 3.5 Sonnet and GPT-4o": compared
            # (« son rival OpenAI a conclu des accords dépassant 1 milliard »: the clause's own subject is not)
        possessive = d.text[m.end:m.end + 2] in ("'s", "’s")
        if not possessive and _PARTNERS_BEFORE.search(d.text[max(0, m.start - 60):m.start]):
            continue  # "the joint venture with SoftBank and Oracle that plans to invest": partners
        speaker = m.kind == "person" and tok is not None and tok.dep_.startswith("nsubj") \
            and bool(_SPEECH_VERB.match(tok.head.text))
        if speaker:
            dist += 1.5  # "Musk a annoncé que Grok 3 …": the speaker is rarely what the figure is about
        fragment = m.start < q.start and bool(_FRAGMENT.match(d.text[sent.start_char:m.end + 3]))
        if fragment:
            dist = min(dist, 1.0)  # "Stargate ? Un programme … de 500 milliards"
        role = tok is not None and (tok.dep_.startswith("nsubj") or (
            tok.dep_ in ("compound", "nmod", "amod", "appos", "flat", "flat:name", "nummod")
            and tok.head.dep_.startswith("nsubj")))
        if role:
            dist -= 0.5  # the clause's subject is what a figure in it is usually about
        aside = _in_aside(tok, anchor)  # "la start-up, que Meta et Apple ont pensé à racheter, … lever 2 milliards"
        linear = abs(m.start - at) / 200.0 + (0.3 if m.start > at and not lead else 0.0)
        add(d.canonical(m, metric), dist + linear + bonus + _kind_bias(m.kind, metric), m.kind, "mention", tok,
            m.start, speaker=float(speaker), fragment=float(fragment), subject_role=float(role), aside=float(aside),
            named=float(named), train_model=float(bonus < 0))
    if anchor is not None:
        for tok in sent:
            if tok.dep_ not in ("nsubj", "nsubj:pass", "nsubjpass", "obj", "dobj"):
                continue
            phrase = d.doc[tok.left_edge.i:tok.i + 1].text
            joined = _HYPHEN_TAIL.match(d.text, tok.idx + len(tok.text))
            if joined is not None:
                phrase += joined.group()  # « la start-up »: the French model splits "start", "-", "up"
            if tok.head not in [anchor, *anchor.ancestors]:
                continue  # "… qu'il compare aux GPU H100": a pronoun in another clause
            referent = _referent(d, tok, phrase, mentions, metric)
            if referent is not None:
                add(referent, tree_distance(anchor, tok) + 0.05, _kind_of(d, referent), "referent", tok, tok.idx,
                    subject_role=float(tok.dep_.startswith("nsubj")))
    last_model = d.ctx.last_of_kind.get("model")
    if metric in _MODEL_METRICS and last_model is not None and d.sent_index - last_model[1] <= CARRY_SENTENCES \
            and _MODEL_PHRASE.search(sent.text):
        add(last_model[0].name, 1.5, "model", "referent", None, last_model[0].start, model_phrase=1.0)
    if d.ctx.fragment_topic is not None:
        m = d.ctx.fragment_topic
        add(d.canonical(m, metric), 1.0, m.kind, "fragment", None, m.start)
    if metric == "price":
        chips = [m for m in mentions if m.kind == "chip"]
        if chips:
            # "une baie GB200 NVL72, qui regroupe 72 GPU Blackwell, s'échange autour de 3 M$": the
            # chip nearest in the parse, one written before the price first
            return min(chips, key=lambda m: (m.start > q.start, tree_distance(anchor, d.root_of(m.start, m.end))
                                             + abs(m.start - q.start) / 200.0)).name
        if d.ctx.chip is not None and (not found or _UNIT_PRICE.search(sent.text)):
            return d.ctx.chip  # "… ces cartes, dont le prix … 40 000 dollars l'unité": the chip just named
    if found:
        # What the article is about so far stands as a candidate too; the rules never pick it
        # over a name in the sentence, a model may.
        carried = topic(d, metric)
        if carried is not None and carried not in found and not (on_cluster and _kind_of(d, carried) == "model") \
                and not (_kind_of(d, carried) == "person" and metric != "agi_date"):
            add(carried, _NEVER, _kind_of(d, carried), "topic", None, -1)
        main = _main_subject(d)
        if main is not None and main not in found and metric != "agi_date":
            add(main, _NEVER, _kind_of(d, main), "main", None, -1)
    return list(found.values())


def _no_one(d: Document, sent: Span, q: Quantity, metric: str, chosen: list[Candidate], best: float) -> Candidate:
    """The "no one" candidate, with what says a figure is a total of many: market or sector words,
    a plural common noun for the clause's subject ("AI startups", « les investissements »), many
    names, a vague amount, and how weak the best named candidate is (``best``, its rule score)."""
    family = _family(metric)
    feats = {"none": 1.0, f"none&family={family}": 1.0, f"none&metric={metric}": 1.0,
             "none&best_rule": min(best, 20.0) / 10}
    if _AGGREGATE.search(sent.text):
        feats["none&aggregate"] = 1.0
    subj = _clause_subject(d, q.number.start, q.number.end)
    if subj is not None and subj.pos_ == "NOUN" and "Plur" in subj.morph.get("Number", []):
        feats["none&plural_subject"] = 1.0  # "AI startups raised", « les investissements … ont atteint »
    if len({c.name for c in chosen if c.source == "mention"}) >= 3:
        feats["none&many_names"] = 1.0
    if q.hedge == "vague":
        feats["none&vague"] = 1.0
    return Candidate(NO_ONE, 3 * _NEVER, "none", "none", feats)


def _carried_model(d: Document) -> str | None:
    """The model a sentence that names none speaks of: the one model the headline names ("GPT-4.5 :
    un modèle de transition avant la vraie révolution ?", then a price after a word on GPT-5),
    else the last one named lately."""
    heads = {m.name for m in d.headline if m.kind == "model"}
    if len(heads) == 1:
        return heads.pop()
    last = d.ctx.last_of_kind.get("model")
    return last[0].name if last is not None and d.sent_index - last[1] <= CARRY_SENTENCES else None


def _clause_subject(d: Document, start: int, end: int) -> Token | None:
    """The grammatical subject of the clause of the figure at ``text[start:end]``: the first
    nominal subject on the way up from it in the parse."""
    anchor = d.root_of(start, end)
    if anchor is None:
        return None
    for head in (anchor, *anchor.ancestors):
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubj:pass", "nsubjpass"):
                return child
    return None


def possessor(d: Document, mentions: list[Mention], start: int, metric: str) -> str | None:
    """The name in the possessive right before a figure starting at ``start`` ("OpenAI's $86
    billion valuation", "versus o1's $60"), which owns it; a price is only ever a model's or a
    chip's ("Nvidia's $40,000 Blackwell" prices the chip)."""
    owner = next((m for m in mentions if m.end <= start and _POSSESSIVE_GAP.fullmatch(d.text, m.end, start)
                  and (m.kind in ("model", "chip") if metric == "price" else m.kind not in _NEVER_SUBJECT)
                  and not is_vendor(d, m, metric)), None)
    if owner is None and metric != "price":
        owner = next((m for m in mentions if m.end <= start and m.kind not in _NEVER_SUBJECT
                      and not is_vendor(d, m, metric) and _owns_noun(d, m, start)), None)
    return d.canonical(owner, metric) if owner is not None else None


def _owns_noun(d: Document, m: Mention, start: int) -> bool:
    """Whether ``m`` is the possessor of the noun phrase between it and a figure starting at
    ``start`` ("Core Scientific's total debt of $1.1 billion"): lexicon ``owned_noun_gap``, and
    in the parse ``m`` the noun's ``poss``, every other word between a modifier of that noun."""
    gap = _OWNED_NOUN_GAP.fullmatch(d.text, m.end, start)
    if gap is None:
        return False  # most mentions: no parse lookup
    root = d.root_of(m.start, m.end)
    if root is None or root.dep_ != "poss":
        return False
    words = d.doc.char_span(gap.start(1), gap.start(1) + len(gap.group(1).rstrip()), alignment_mode="expand")
    if words is None or root.head != words[-1]:
        return False
    return all(t.head == words[-1] and t.dep_ in ("amod", "compound", "nmod") for t in words[:-1])


def _owns_bracket(d: Document, m: Mention, q: Quantity, metric: str) -> bool:
    """Whether the figure ``q`` stands in brackets right after ``m`` ("distancée par Microsoft
    (3.230 milliards)") or, for money, in an apposition to it (« Nvidia, qui pèse 3 000 milliards »).
    A one-word "person" owns a bracketed amount (never an apposition): it is mostly a company the
    small models mistag ("Clio ($500 million)", « Pigment (145 millions de dollars) »)."""
    gap = d.text[m.end:q.start]
    if m.kind in ("org", "programme", "model"):
        return bool(_BRACKETED.fullmatch(gap) or (metric in _MONEY_METRICS and _APPOSED.fullmatch(gap)))
    return m.kind == "person" and " " not in m.name and metric in _MONEY_METRICS and bool(_BRACKETED.fullmatch(gap))


def _within(tok: Token | None, m: Mention) -> bool:
    """Whether mention ``m`` lies in the phrase ``tok`` heads."""
    return tok is not None and tok.left_edge.idx <= m.start < tok.right_edge.idx + len(tok.right_edge)


def _participle_agent(d: Document, sent: Span, q: Quantity, mentions: list[Mention]) -> str | None:
    """The name a present participle right before the amount has for its agent ("…, with ASML
    investing €1.3 billion", « …, ASML apportant 1,3 milliard »): the one who puts the money in."""
    for m in mentions:
        if m.kind in ("org", "person") and sent.start_char <= m.end <= q.start \
                and _PARTICIPLE_GAP.fullmatch(d.text, m.end, q.start):
            return d.canonical(m, "investment")
    return None


def one_named_subject(d: Document, q_start: int, q_end: int) -> bool:
    """The figure's clause has one company for its subject, coordinated with no other ("Amazon has
    put $8 billion into the company in total and Google has committed $2 billion"): a "total" there
    is that company's own."""
    child = _clause_subject(d, q_start, q_end)
    if child is None or any(t.dep_ == "conj" for t in child.children):
        return False
    lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
    return len({m.name for m in d.mentions if m.kind in ("org", "programme") and lo <= m.start < hi}) == 1


def sector_total(d: Document, sent: Span, q_start: int, q_end: int) -> bool:
    """The figure's clause has a sector for its subject ("AI startups raised $19 billion", « les
    jeunes pousses françaises ont levé 2 milliards »): a total that belongs to no one."""
    child = _clause_subject(d, q_start, q_end)
    if child is None:
        return False
    # the subject's words up to its head, or with the words after it that French puts there (« les
    # investissements mondiaux dans les centres de calcul »), else up to four words before it that
    # the small parsers left out of it ("US startup funding overall surged …" parsed with "funding"
    # alone for subject)
    lo = child.left_edge.i
    lo = max([lo, *(t.i + 1 for t in d.doc[lo:child.i] if t.text in _CLAUSE_MARKS)])  # « D'après le cabinet, les … »
    ends = range(child.i, min(child.right_edge.i, child.i + 8) + 1)
    hi = next((e for e in ends if _SECTOR.match(d.doc[lo:e + 1].text.lower())), -1)
    if hi < 0:
        words = [i for i in range(max(sent.start, child.i - 4), child.i) if not any(t.is_punct for t in d.doc[i:child.i])]
        if not any(_SECTOR.match(d.doc[i:child.i + 1].text.lower()) for i in words):
            return False
        lo, hi = words[0], child.i  # names anywhere in those words count ("Groq startup funding" is Groq's)
    # a name in the phrase, or one set beside its noun (« La startup américaine Anthropic, … serait
    # sur le point de lever »), makes it one company's; a list beside it ("The four hyperscalers —
    # Microsoft, Meta, Alphabet and Amazon — …") leaves it a total of many
    orgs = [m for m in d.mentions if m.kind in ("org", "programme")]
    if any(d.doc[lo].idx <= m.start < d.doc[hi].idx + len(d.doc[hi]) for m in orgs):
        return False
    if any(_INTO_NAME.fullmatch(d.text, q_end, m.start) for m in orgs if q_end <= m.start < q_end + 40):
        return False  # "Investors poured $2 billion into Thinking Machines Lab": the named company's round
    beside = [t for t in child.children if t.dep_ in ("appos", "flat", "flat:name", "nmod")]
    listed = {m.name for m in orgs for t in beside
              if t.left_edge.idx <= m.start < t.right_edge.idx + len(t.right_edge)}
    if len(listed) == 1:
        return False
    # … and examples of it ("AI chip companies such as Groq and Cerebras are pursuing rounds, with
    # Groq in talks to raise $600 million"): one of them is what the figure is about
    end = child.right_edge.idx + len(child.right_edge)
    return not any(child.idx < m.start < end and _EXAMPLE_BEFORE.search(d.text, max(0, m.start - 20), m.start)
                   for m in orgs)


def generic_training(d: Document, sent: Span, mentions: list[Mention]) -> bool:
    """The sentence (whose names are ``mentions``) prices training a model in general ("Training
    a large language model like GPT-4 costs between $78-192 million", « entraîner des modèles
    coûte … »): a train word right before a model phrase with no name, and every model the
    sentence names given as an example."""
    if not _GENERIC_TRAINING.search(sent.text):
        # « Certains modèles en développement pourraient coûter jusqu’à un milliard », "Some models
        # could cost …": models in general, when the sentence names no one but as an example
        if not _GENERIC_MODEL_SUBJECT.search(sent.text) or any(
                m.kind in ("org", "person", "programme") for m in mentions):
            return False
    return all(_EXAMPLE_BEFORE.search(d.text, max(sent.start_char, m.start - 12), m.start)
               for m in mentions if m.kind == "model")


def is_rival(d: Document, m: Mention) -> bool:
    """A name the sentence compares the subject with: "performs on par with GPT-4o", « capables
    de concurrencer ceux de géants comme OpenAI, Meta et Google »."""
    return bool(_RIVALS_BEFORE.search(d.text[max(0, m.start - 100):m.start]))


def _referent(d: Document, tok: Token, phrase: str, mentions: list[Mention], metric: str) -> str | None:
    """What a pronoun or a generic noun phrase ("the company", "le cluster") stands for."""
    low = phrase.lower()
    kinds: tuple[str, ...]
    if _GENERIC_CHIP_MAKER.match(d.text[tok.left_edge.idx:tok.right_edge.idx + len(tok.right_edge)].lower()):
        maker = _chip_maker_before(d, tok.idx)
        if maker is not None:
            return maker  # else "the chipmaker" is read as any generic company is
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
    before = [m for m in mentions if m.end <= tok.idx and m.kind in near and not is_vendor(d, m)
              and not _is_backer(d, m, metric) and not _in_aside(d.root_of(m.start, m.end), tok)]
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
    carried = topic(d, metric)
    if kinds in (("org", "person"), ("programme",)) and (carried is None or _kind_of(d, carried) not in kinds):
        # "La société a déclaré un chiffre d'affaires de …", "The system incorporates over 100,000
        # GPUs" long after the last name, or "the company" after a model ("… trained GPT-3 175B.
        # The company reported a net loss"): the company or site the article names most
        return _main_of(d, kinds[0])
    return carried


def _investees(d: Document, sent: Span, mentions: list[Mention]) -> set[str]:
    """The names (as figures of an investment are filed) of what money of the sentence goes into:
    a name right after a figure ("$40 billion in OpenAI", « versera 10 milliards à OpenAI », and for
    every figure of the sentence: "invest up to $4 billion in Anthropic, bringing its total
    investment to $8 billion"), after an
    investment noun ("Nvidia's investment in OpenAI"), or named as the one a backer backs
    ("OpenAI's largest backer", « premier actionnaire d'OpenAI »)."""
    ends = [x.unit_end for x in d.quantities if sent.start_char <= x.start < sent.end_char]
    return {d.canonical(m, "investment") for m in mentions
            if any(end <= m.start and _INVESTED_IN.fullmatch(d.text[end:m.start]) for end in ends)
            or _INVESTEE_BEFORE.search(d.text[max(sent.start_char, m.start - 60):m.start])
            or _BACKER_OF_AFTER.match(d.text, m.end) or _BACKER_OF_BEFORE.search(d.text, max(0, m.start - 40), m.start)
            or (_ACQUIRED_BEFORE.search(d.text, max(sent.start_char, m.start - 50), m.start) is not None
                and _PRICE_FOR.match(d.text, m.end) is not None)}


def _chip_maker_before(d: Document, at: int) -> str | None:
    """The chip maker named last before ``at`` ("Nvidia … The chipmaker announced plans to
    invest"), a chip standing for its maker; None when the article has named none."""
    for m in reversed([m for m in d.mentions if m.end <= at]):
        name = d.matcher.entities[m.name].part_of if m.kind == "chip" and m.name in d.matcher.entities else m.name
        if name in d.matcher.chip_makers:
            return name
    return None


def _carried_candidates(d: Document, carried: str, metric: str) -> list[Candidate]:
    """With no name in the sentence: the carried topic (the rules' pick) against the article's
    main organisation and the last organisation, programme and model named, for the scorer."""
    before = d.ctx.subjects_of.get(metric, {})
    most = max(before.values(), default=0)
    names: dict[str, str] = {carried: "topic"}
    main = _main_subject(d)
    if main is not None:
        named = next((m for m in (*d.mentions, *d.headline) if m.name == main), None)
        names.setdefault(d.canonical(named, metric) if named is not None else main, "main")
    for kind in ("org", "programme", "model"):
        last = d.ctx.last_of_kind.get(kind)
        if last is not None and d.sent_index - last[1] <= CARRY_SENTENCES and not is_rival(d, last[0]):
            names.setdefault(d.canonical(last[0], metric), "last")
    out = []
    for rank, (name, source) in enumerate(names.items()):
        kind = _kind_of(d, name)
        feats = {"rule": rank / 10, "carried": 1.0, f"carried_source={source}": 1.0, f"kind={kind}": 1.0,
                 f"kind={kind}&family={_family(metric)}": 1.0, f"kind={kind}&metric={metric}": 1.0,
                 **_article_features(d, name, metric, before, most)}
        out.append(Candidate(name, float(rank), kind, "carried", feats))
    return out


def _article_features(d: Document, name: str, metric: str, before: dict[str, int], most: int) -> dict[str, float]:
    """What the article says of ``name`` whatever the sentence: its salience, whether earlier
    figures of the metric were its (``before``: their count per subject, ``most`` the highest),
    and whether it makes chips ("10 gigawatts of Nvidia systems", "the number Nvidia shipped":
    the seller of the chips is rarely whose GPUs or power a figure counts; its investments are
    its own)."""
    feats = _salience(d, name)
    feats["same_metric_before"] = float(before.get(name, 0) > 0)
    feats["same_metric_most"] = float(most > 0 and before.get(name, 0) == most)
    if name in d.matcher.chip_makers:
        feats[f"chip_maker&family={_family(metric)}"] = 1.0
    return feats


def _family(metric: str) -> str:
    """The family a metric's features are crossed with: money, or the metric itself."""
    return "money" if metric in _MONEY_METRICS else metric


def _in_aside(tok: Token | None, anchor: Token | None) -> bool:
    """``tok`` lies in a relative or participial clause that the figure is not in ("the startup,
    that Meta and Apple thought of buying, raised …"): a name said in passing."""
    if tok is None or anchor is None:
        return False
    for a in (tok, *tok.ancestors):
        if a.dep_ in ("acl", "acl:relcl", "relcl"):
            return not a.left_edge.i <= anchor.i <= a.right_edge.i
    return False


def _is_backer(d: Document, m: Mention, metric: str) -> bool:
    """« OpenAI, soutenu par Microsoft », "the Amazon-backed startup": ``m`` backs what the sentence
    is about, so a figure of ``metric`` is not its (an investment is the backer's own)."""
    return metric != "investment" and bool(_BACKER_BEFORE.search(d.text[max(0, m.start - 30):m.start])
                                           or _BACKER_AFTER.match(d.text, m.end))


def topic(d: Document, metric: str) -> str | None:
    """The subject carried from the sentences before, for a figure whose sentence names none;
    when none was named in the last :data:`CARRY_SENTENCES`, the headline's first organisation or site."""
    ctx = d.ctx
    last_model = ctx.last_of_kind.get("model")
    if metric in ("cost", "gpu_count", "duration") and last_model is not None and TRAIN_CUE.search(d.sent_text) \
            and d.sent_index - last_model[1] <= 1:
        return last_model[0].name  # "… avec Llama 3.1. Sa version … a été entraînée sur 16 000 GPU": the model trained
    if ctx.topic is None or d.sent_index - ctx.topic_sent > CARRY_SENTENCES:
        # nothing named lately: what the headline is about ("CoreWeave files for IPO …" and, far
        # below, "Revenue in Q4 2024 surged 28% …, contributing to a full-year revenue of $1.92 billion")
        head = next((m for m in d.headline if m.kind in ("org", "programme")), None)
        return d.canonical(head, metric) if head is not None else None
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
    mentions = [m for m in mentions if not is_rival(d, m)]
    for m in mentions:
        if not is_vendor(d, m):
            ctx.last_of_kind[m.kind] = (m, d.sent_index)
        if m.kind == "chip":
            ctx.chip = m.name
        if m.kind == "person":
            ctx.last_person = d.person_name(m.name)
    candidates = [m for m in mentions if m.kind != "chip" and m.kind not in _NEVER_SUBJECT and not is_vendor(d, m)]
    ctx.fragment_topic = None
    if candidates:
        subj = next((m for m in candidates if d.dep_of(m) in ("nsubj", "nsubj:pass")), candidates[0])
        ctx.topic, ctx.topic_sent = subj, d.sent_index
        last = candidates[-1]
        if re.fullmatch(r"\s*[?:]\s*", d.text[last.end:sent.end_char]) and (
                last.start - sent.start_char < 3 or re.search(r"[.!?»]\s+$", d.text[sent.start_char:last.start])):
            ctx.fragment_topic = last  # "… avec moins. Stargate ? Un programme de 500 milliards"
    for c in made:
        if c.subject:
            per = ctx.subjects_of.setdefault(c.metric, {})
            per[c.subject] = per.get(c.subject, 0) + 1
    claimed = [c for c in made if c.subject and c.metric not in ("agi_date", "price")]
    if claimed:
        named = next((x for x in mentions if x.name == claimed[-1].subject), None)
        if named is not None:
            ctx.topic, ctx.topic_sent = named, d.sent_index
        elif ctx.topic is not None and d.canonical(ctx.topic, claimed[-1].metric) == claimed[-1].subject:
            ctx.topic_sent = d.sent_index  # the figure was about the carried topic: it stays current


def _with(c: Candidate, **extra: float) -> Candidate:
    return Candidate(c.name, c.rule, c.kind, c.source, {**c.features, **extra})


def _features(d: Document, anchor: Token | None, fig_start: int, metric: str, kind: str, source: str,
              tok: Token | None, start: int, rule: float, train: bool) -> dict[str, float]:
    """What the scorer reads about one candidate: the rule's own terms, and crosses of its kind
    and source with the metric's family (money, count, time)."""
    family = _family(metric)
    feats = {
        "rule": min(rule, 20.0) / 10,
        "tree": min(tree_distance(anchor, tok), 20.0) / 10 if tok is not None else 2.0,
        "linear": min(abs(start - fig_start), 400) / 200 if start >= 0 else 2.0,
        "after": float(start > fig_start),
        "train_cue": float(train),
        f"kind={kind}": 1.0,
        f"source={source}": 1.0,
        f"kind={kind}&family={family}": 1.0,
        f"kind={kind}&metric={metric}": 1.0,
        f"source={source}&family={family}": 1.0,
    }
    if tok is not None:
        dep = tok.dep_.split(":")[0]
        feats[f"dep={dep if dep in ('nsubj', 'obj', 'dobj', 'nmod', 'obl', 'pobj', 'appos', 'compound', 'poss') else 'other'}"] = 1.0
    return feats


def _kind_of(d: Document, name: str) -> str:
    entity = d.matcher.entities.get(name)
    if entity is not None:
        return entity.kind
    return next((m.kind for m in d.mentions if m.name == name), "org")


def _maker(d: Document) -> str | None:
    """The organisation a carried model belongs to: the last one named that sells no hardware."""
    last = d.ctx.last_of_kind.get("org")
    if last is not None and d.sent_index - last[1] <= CARRY_SENTENCES + 2:
        return d.canonical(last[0], "gpu_count")
    return None


def _counts(d: Document) -> dict[str, int]:
    """How often the article names each subject (a person counts for their organisation)."""
    if d.name_counts is None:
        counts: dict[str, int] = {}
        for m in d.mentions:
            if m.kind == "chip" or m.kind in _NEVER_SUBJECT:
                continue
            name = d.canonical(m, "other")
            counts[name] = counts.get(name, 0) + 1
        for m in d.headline:
            if m.kind == "chip" or m.kind in _NEVER_SUBJECT:
                continue
            name = d.canonical(m, "other")
            counts[name] = counts.get(name, 0) + HEADLINE_WEIGHT
        d.name_counts = counts
    return d.name_counts


HEADLINE_WEIGHT = 3
"""A name in the title counts for the article's salience as much as this many in its text."""


def _main_subject(d: Document) -> str | None:
    """The organisation or site the article names most (the first named on a tie)."""
    return _main_of(d, "org", "programme")


def _main_of(d: Document, *kinds: str) -> str | None:
    """The name of one of ``kinds`` the article names most (the first named on a tie)."""
    counts = _counts(d)
    ranked = [n for n in counts if _kind_of(d, n) in kinds]
    return max(ranked, key=lambda n: counts[n]) if ranked else None


def _salience(d: Document, name: str) -> dict[str, float]:
    """How much the article is about ``name``: its share of the article's mentions, whether it
    is the most named, and whether it is a guess of the NER model rather than a table name."""
    counts = _counts(d)
    total = sum(counts.values()) or 1
    top = max(counts.values(), default=0)
    n = counts.get(name, 0)
    return {
        "share": n / total,
        "most_named": float(n > 0 and n == top),
        "named_once": float(n <= 1),
        "ner_guess": float(name not in d.matcher.entities and _kind_of(d, name) in ("org", "person")),
    }
