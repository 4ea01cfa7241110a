"""Step 1, names: who and what a sentence can be about.

``find_names(matcher, doc, text)`` returns every :class:`Mention` in text order: table aliases
and rule patterns (:mod:`extractors.entities`), spaCy NER for organisations and people the table
lacks, names given to computing sites ("le supercalculateur Jean Zay", "Mistral Compute,
l'infrastructure de calcul"), and short names ("Behemoth" after "Llama 4 Behemoth").
:func:`is_vendor` tells a name that sells the hardware ("puces de Nvidia") from one that owns it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors import lexicon
from extractors.document import Document, overlaps
from extractors.entities import EntityMatcher, Mention

_NER_KINDS = {"ORG": "org", "PER": "person", "PERSON": "person"}
_NOT_A_NAME = re.compile(r"[$€£%§#@/\\()\[\]{}<>=+*|]")
COMMON_CAPS = lexicon.words("common_caps")
_CLUSTER_NOUN = lexicon.expand("<<cluster_nouns>>")
_CLUSTER_THEN_NAME = re.compile(lexicon.expand(
    rf"\b{_CLUSTER_NOUN}(?:[ \u00a0]<<cluster_adjectives>>)?(?:[ \u00a0]|,?[ \u00a0]<<cluster_naming>>[ \u00a0])"
    r"(?P<name>[A-Z][\w-]+(?:[ \u00a0][A-Z][\w-]+)?)"))
_NAME_THEN_CLUSTER = re.compile(lexicon.expand(
    rf"(?P<name>[A-Z][\w-]+(?:[ \u00a0][A-Z][\w-]+)?),[ \u00a0]<<cluster_apposition>>"
    rf"(?:\w+[ \u00a0])?{_CLUSTER_NOUN}\b"))
_DETERMINERS = ("The", "Le", "La", "Les", "Its", "Son", "This", "Ce")
_NAME_PARTICLES = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "of", "the", "and", "et",
                             "for", "pour", "van", "von", "der", "den", "di", "da", "y", "e", "al", "bin", "ibn"})
_ORG_SUFFIXED = re.compile(lexicon.expand(
    r"(?<![\w.])(?<!\w-)(?P<name>(?:[A-Z][\w-]*[ \u00a0]){1,2}(?:<<org_suffixes>>))(?![\w-])"), 0)
_ORG_SUFFIX_STOPS = lexicon.words("org_suffix_stops")
_PROGRAMME_SUFFIXED = re.compile(lexicon.expand(
    r"(?<![\w.])(?<!\w-)(?P<name>(?:[A-Z][\w-]*[ \u00a0]){1,2}(?:<<programme_suffixes>>))(?![\w-])"), 0)
_VENDOR_HEAD = lexicon.pattern(r"^<<vendor_heads>>$")
_SHARE_HEAD = lexicon.pattern(r"^<<share_heads>>$")
_SALES_NEAR = lexicon.pattern(r"\b<<sales_nouns>>\b")
_VENDOR_BEFORE = lexicon.pattern(r"<<vendor_nouns_before>>[^\S\n]+(?:\w+[^\S\n]+)?(?:de[^\S\n]+|d['’])?$", 0)
_VENDOR_AFTER = lexicon.pattern(r"^(?:'s)?[^\S\n]+<<vendor_nouns_after>>\b", 0)


_POSSESSIVE = re.compile(r"['’]s\b")
# an article the small models take into an organisation's name; one word after it is the name's
# own ("The Guardian", "The Information")
_LEADING_THE = re.compile(r"(?:The|Le|La|Les)\s+(?=\S+\s+\S)")


def find_names(matcher: EntityMatcher, doc: Doc, text: str) -> list[Mention]:
    """Every name in ``text`` (parsed as ``doc``), in text order, without overlaps."""
    found = matcher.find(text)
    taken = sorted((m.start, m.end) for m in found)
    for ent in doc.ents:
        kind = _NER_KINDS.get(ent.label_)
        if kind is None or overlaps(taken, ent.start_char, ent.end_char):
            continue
        text_of = ent.text
        cut = _POSSESSIVE.search(text_of)
        if cut is not None:
            text_of = text_of[:cut.start()]  # "Core Scientific's debt": the name ends at the possessive
        name = text_of.strip(" \u00a0'’\"«»“”")
        end = ent.start_char + len(text_of.rstrip(" \u00a0'’\"«»“”"))
        if len(name) < 3 or any(c.isdigit() for c in name) or not name[0].isupper() or "\n" in name:
            continue
        if _NOT_A_NAME.search(name) or name.casefold() in COMMON_CAPS:
            continue  # "Md$", "GPU", "IA": abbreviations the small models tag as organisations
        if "," in name or any(w[:1].islower() and w.casefold() not in _NAME_PARTICLES for w in name.split()):
            continue  # "Scale included Coatue, Tiger Global Management": a clause, not a name
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip(" \u00a0'’\"«»“”")))
        lead = _LEADING_THE.match(name)
        if lead is not None:
            name, start = name[lead.end():], start + lead.end()  # "The Vision Fund" is the Vision Fund
        found.append(Mention(name, kind, start, end))
    found = _named_clusters(text, found, set(matcher.entities))
    found = _suffixed_names(doc, text, found, set(matcher.entities), _ORG_SUFFIXED, "org")
    found = _suffixed_names(doc, text, found, set(matcher.entities), _PROGRAMME_SUFFIXED, "programme")
    found.sort(key=lambda m: m.start)
    found = _part_names(text, found, matcher)
    return _short_org_names(text, _short_names(text, found), set(matcher.entities))


def _part_names(text: str, found: list[Mention], matcher: EntityMatcher) -> list[Mention]:
    """In an article that names a whole ("Llama 4"), the one word a part of it goes by in the
    table ("Maverick", ``short``) names that part, before or after the whole is named."""
    named = {m.name for m in found}
    for name in list(named):  # "Llama 4 Scout" names its whole, Llama 4, too: "Maverick" is then its sibling
        entity = matcher.entities.get(name)
        while entity is not None and entity.part_of is not None and entity.part_of not in named:
            named.add(entity.part_of)
            entity = matcher.entities.get(entity.part_of)
    by_word = {word: Mention(e.name, e.kind, -1, -1, e.org) for word, e in matcher.by_short.items() if e.part_of in named}
    return _named_by_word(text, found, by_word, after_first=False)


def is_vendor(d: Document, m: Mention, metric: str | None = None) -> bool:
    """An organisation named as the maker of the hardware ("puces H100 de Nvidia", "Nvidia's GPUs")."""
    if m.kind != "org":
        return False
    tok = d.root_of(m.start, m.end)
    if tok is None:
        return False
    head = tok.head
    if metric in ("market_value_change", "valuation") and _SHARE_HEAD.match(head.text):
        return False  # "l'action Nvidia a chuté …": the shares are the company's
    if metric == "revenue" and _SALES_NEAR.search(d.text, max(0, m.start - 30), m.end + 20):
        return False  # "Nvidia's chip sales reached …", « les ventes de puces de Nvidia »: the seller's revenue
    if _VENDOR_HEAD.match(head.text) or any(c.kind == "chip" and c.start <= head.idx < c.end for c in d.mentions):
        return True
    # within the line, never across a headline's end
    before = d.text[max(0, m.start - 25):m.start].rpartition("\n")[2]
    return bool(_VENDOR_BEFORE.search(before)) or bool(_VENDOR_AFTER.match(d.text[m.end:m.end + 12]))


def _named_clusters(text: str, found: list[Mention], known: set[str]) -> list[Mention]:
    """Names given to a computing site ("le supercalculateur Jean Zay", "clusters, including
    Prometheus", "Mistral Compute, l'infrastructure de calcul"): the site is the subject of its
    GPU counts, power and cost, not the company named next to it."""
    for rx in (_CLUSTER_THEN_NAME, _NAME_THEN_CLUSTER):
        for m in rx.finditer(text):
            s, e = m.span("name")
            name = re.sub(r"[\s\u00a0]+", " ", m.group("name"))
            if name.casefold() in COMMON_CAPS or name.split()[0] in _DETERMINERS:
                continue
            overl = [x for x in found if x.start < e and s < x.end]
            if any(x.kind in ("programme", "chip", "model") or x.name in known or x.end - x.start > e - s for x in overl):
                continue  # a table name, or a longer one, wins; not an NER guess ("Jean Zay" as a person)
            found = [x for x in found if x not in overl]
            found.append(Mention(name, "programme", s, e))
    return found


def _suffixed_names(doc: Doc, text: str, found: list[Mention], known: set[str], suffixed: re.Pattern[str],
                    kind: str) -> list[Mention]:
    """Names of ``kind`` that ``suffixed`` finds by their suffix and the table and the small NER
    models miss: companies ("Scale AI said …", "a round in Moonshot AI": NER tags "AI" alone, or
    "Moonshot" as a place), programmes ("under the IndiaAI Mission, 18,693 GPUs …"); never in a
    title-case line (a headline's "Startup Lands AI" is no name), never over a table name ("Meta AI"
    stays Meta's) or a name of a third kind (a programme may replace the company NER saw in it),
    never as a modifier ("its Grand Teton AI server platform", "a 1 GW AI datacenter": a noun
    follows) or after a unit in capitals ("GW")."""
    for m in suffixed.finditer(text):
        s, e = m.span("name")
        words = m.group("name").split()
        if any(w.casefold() in _ORG_SUFFIX_STOPS or w.casefold() in COMMON_CAPS or (w.isupper() and len(w) <= 3)
               or any(p[:1].islower() for p in w.split("-")[1:]) for w in words[:-1]):
            continue  # … or a compound adjective: "a Zeta-scale AI supercluster"
        after = doc.char_span(e, e, alignment_mode="expand")
        nxt = next((t for t in doc[after.start:after.start + 2] if t.idx >= e and not t.is_space), None) \
            if after is not None else None
        if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.text[:1].islower():
            continue
        if _title_case_line(text, s):
            continue
        overl = [x for x in found if x.start < e and s < x.end]
        if any(x.name in known or x.kind not in ("org", kind) or x.end - x.start > e - s for x in overl):
            continue
        found = [x for x in found if x not in overl]
        found.append(Mention(re.sub(r"[\s\u00a0]+", " ", m.group("name")), kind, s, e))
    return found


def _title_case_line(text: str, at: int) -> bool:
    """The line holding ``at`` capitalises most of its words (a headline in title case)."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    words = re.findall(r"[^\W\d_][\w'’-]*", text[start:end if end >= 0 else len(text)])
    if len(words) < 5:
        return False
    return bool(sum(w[0].isupper() for w in words) >= 0.6 * len(words))


def _short_org_names(text: str, found: list[Mention], known: set[str]) -> list[Mention]:
    """A company named in full once ("Lila Sciences", "Cerebras Systems", "Scale AI") is the one its
    first word alone names anywhere in the article ("Lila said", a headline's "Cerebras"), unless
    that word is a name of its own in the table ("Google" of "Google Cloud")."""
    full: dict[str, Mention] = {}
    for m in found:
        parts = m.name.split()
        if m.kind == "org" and len(parts) >= 2 and parts[0].isalpha() and parts[0][:1].isupper() \
                and len(parts[0]) >= 4 and parts[0] not in known and parts[0].casefold() not in COMMON_CAPS:
            full.setdefault(parts[0], m)
    for word, whole in list(full.items()):
        if any(other.name != whole.name and other.name.split()[0] == word for other in full.values()):
            del full[word]  # two companies share the word: it names neither
    return _named_by_word(text, found, full, after_first=False)


def _short_names(text: str, found: list[Mention]) -> list[Mention]:
    """After "Llama 4 Behemoth" or "Gemini Ultra" is named, "Behemoth" or "Ultra" alone means it."""
    short: dict[str, Mention] = {}
    for m in found:
        parts = m.name.split()
        if m.kind in ("model", "programme") and len(parts) >= 2 and parts[-1][:1].isupper() and parts[-1].isalpha() \
                and len(parts[-1]) >= 4:
            short.setdefault(parts[-1], m)
    return _named_by_word(text, found, short, after_first=True)


def _named_by_word(text: str, found: list[Mention], by_word: dict[str, Mention], *, after_first: bool) -> list[Mention]:
    """Each standalone occurrence of a word of ``by_word`` as a mention of the name it stands for
    (only after that name's first mention when ``after_first``); a table or rule name there wins,
    an NER guess of the same word ("Maverick" as ORG) does not."""
    if not by_word:
        return found
    rx = re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, by_word)) + r")(?![\w-])")
    out = list(found)
    for hit in rx.finditer(text):
        whole = by_word[hit.group()]
        if after_first and hit.start() <= whole.start:
            continue
        overl = [x for x in out if x.start < hit.end() and hit.start() < x.end]
        if any(not (x.kind in ("org", "person") and x.name == hit.group()) for x in overl):
            continue  # inside the full name, or a table or rule name
        out = [x for x in out if x not in overl]
        out.append(Mention(whole.name, whole.kind, hit.start(), hit.end(), whole.org))
    out.sort(key=lambda x: x.start)
    return out
