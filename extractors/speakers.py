"""Who the text says states a figure: a person or an organisation, else None.

``speaker_of(claim, token, doc, mentions, cues)`` tries, in order:

1. an attribution on the figure's clause: « selon Bloomberg », « d'après Reuters », "according
   to the Financial Times", "per The Information" -> that name;
2. an attribution closing the sentence ("…, as Barron's has noted", "…, per the Financial Times",
   "…, Bloomberg reported, citing people familiar with the matter", « …, comme l'a rapporté
   Bloomberg », « …, selon Bloomberg ») -> that name;
3. a speaking verb that governs the figure ("Musk said xAI has …", « Nvidia a annoncé … ») or
   follows it inverted (« …, a déclaré Elon Musk », "…, said Jensen Huang") -> its subject;
4. a quotation holding the figure, attributed right after it closes -> that name.

A subject pronoun ("he said", « a-t-il dit ») is the last person named before the figure; a
generic noun ("the company", « la société ») is the claim's own subject. People get their full
name from earlier mentions in the article (« Huang » after « Jensen Huang »).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from extractors.cues import Cues
from extractors.entities import Mention

if TYPE_CHECKING:
    from extractors.claims import Claim

_SPEAKER_KINDS = ("person", "org", "programme", "outlet")
_INVERTED_DEPS = {"conj", "parataxis", "ROOT", "ccomp", "advcl", "dep", "acl"}
_CLOSE_QUOTE = re.compile(r"[»”\"]")
_DETERMINERS = re.compile(r"^(?:the|le|la|les|l['’])\s*")  # lower case only: "The Information" keeps its article
_NAME_TEXT = re.compile(r"^[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4}$")


def speaker_of(claim: Claim, token: Token, text: str, mentions: Sequence[Mention], cues: Cues) -> str | None:
    """The speaker of the figure whose parse token is ``token`` in ``text`` (see the module docstring)."""
    sent = _whole_sentence(token)
    before = [m for m in mentions if m.end <= claim.end]
    names = _full_names(mentions)
    chain = {token.i, *(t.i for t in token.ancestors)}

    for a in sent:
        obj = _attribution_object(a, cues)
        if obj is None:
            continue
        if obj.head.i not in chain and a.head.i not in chain and not (a.i < token.i and a.i - sent[0].i <= 2):
            continue  # an attribution on another clause
        found = _resolve(obj, claim, text, mentions, before, names, cues, allow_text=True)
        if found is not None:
            return found

    noted = _as_noted(claim, text, cues, mentions, names)
    if noted is not None:
        return noted

    verbs = [t for t in (token, *token.ancestors) if cues.word("speech_words", t.text)]
    verbs += [t for t in sent if t.i > token.i and t.i not in chain and t.dep_ in _INVERTED_DEPS
              and cues.word("speech_words", t.text) and _after_break(t)]
    for verb in verbs:
        told = _told_by_anonymous(verb, cues)
        if told is not None:
            found = _resolve(told, claim, text, mentions, before, names, cues, allow_text=True)
            if found is not None:
                return found
        for subj in _subjects(verb):
            # a name the table and NER lack stands as the speaker where it cannot be a capitalised
            # first word: after its verb (", The Information reported") or of two capitalised words
            found = _resolve(subj, claim, text, mentions, before, names, cues,
                             allow_text=subj.i > verb.i or _two_capitalised(subj))
            if found is not None:
                return found

    return _quote_attribution(claim, text, mentions, names, cues)


def _as_noted(claim: Claim, text: str, cues: Cues, mentions: Sequence[Mention], names: dict[str, str]) -> str | None:
    """"…, as Barron's has noted.", « …, comme l'a rapporté Bloomberg. »: the name of an
    attribution that closes the figure's sentence, as the table or NER name it when they do
    (", Musk said" is Elon Musk; ", the WSJ reported" the Wall Street Journal)."""
    end = text.find(".", claim.end)
    tail = text[claim.end:end if end >= 0 else len(text)]
    m = cues.search("as_noted_after", tail)
    if m is None:
        return None
    # one named group per alternative: name, name2, … (", as Barron's noted", ", per the FT",
    # ", Bloomberg reported, citing …")
    group = next(k for k, v in m.groupdict().items() if k.startswith("name") and v)
    lo, hi = claim.end + m.start(group), claim.end + m.end(group)
    named = next((x for x in mentions if x.start <= lo and hi <= x.end and x.kind in _SPEAKER_KINDS), None)
    if named is not None:
        return _named(named, names)
    return m.group(group)


def attribution_word(t: Token, cues: Cues) -> bool:
    """« selon », « d'après » (two tokens), "according", "reportedly", "per" before a name."""
    if cues.word("attribution_words", t.text):
        return True
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    if nxt is None:
        return False
    if cues.word("attribution_name_words", t.text):
        if nxt.lower_ == "the" and nxt.i + 1 < len(t.doc):
            nxt = nxt.nbor(1)  # "per the Financial Times"
        return nxt.text[:1].isupper()
    return t.lower_ in ("d'", "d’") and nxt.lower_ == "après"


def _attribution_object(a: Token, cues: Cues) -> Token | None:
    """The name an attribution word introduces: « selon [Bloomberg] », "according to [the FT]"."""
    if not attribution_word(a, cues):
        return None
    if a.dep_ == "case":
        return a.head
    for c in a.children:
        if c.dep_ == "pobj":
            return c
        if c.dep_ == "prep":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _told_by_anonymous(verb: Token, cues: Cues) -> Token | None:
    """Whom a source with no name spoke to ("people familiar with the matter told Bloomberg",
    « des sources proches du dossier ont indiqué à Reuters »): the outlet stands as the speaker."""
    subj = next((c for c in verb.children if c.dep_.startswith("nsubj")), None)
    if subj is None:
        return None
    phrase = verb.doc.text[subj.left_edge.idx:subj.right_edge.idx + len(subj.right_edge.text)]
    if cues.search("anonymous_sources", phrase) is None:
        return None
    for c in verb.children:
        if c.i > verb.i and c.dep_ in ("dobj", "obj", "dative", "iobj", "obl", "obl:arg"):
            return c
        if c.i > verb.i and c.dep_ == "prep" and c.lower_ in ("to", "à"):
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _subjects(verb: Token) -> list[Token]:
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]
    if not subj:
        # « …, a déclaré Jensen Huang »: the small French model reads the inverted subject as an object
        subj = [c for c in verb.children if c.dep_ in ("obj", "dobj") and c.i > verb.i]
    if not subj:
        # « Dans son rapport, DeepSeek indique que … »: the small French model may read a name
        # before its verb as an indirect object
        subj = [c for c in verb.children if c.dep_ in ("iobj", "obj", "dep") and c.i < verb.i and c.text[:1].isupper()]
    if not subj and verb.dep_ == "xcomp":
        subj = [c for c in verb.head.children if c.dep_.startswith("nsubj")]
    subj.sort(key=lambda c: abs(c.i - verb.i))  # "SAN FRANCISCO (Reuters) - OpenAI said": the nearest
    if _after_break(verb):
        # « Les ventes ont bondi de 171 %, a déclaré le patron de l'entreprise Jensen Huang »: the
        # parser made "ventes" the subject; the inverted one follows, read as an object
        subj += [c for c in verb.children if c.dep_ in ("obj", "dobj") and c.i > verb.i and c not in subj]
    return subj


def _two_capitalised(tok: Token) -> bool:
    """The phrase ``tok`` heads is two or more capitalised words ("The Information", "Wall Street Journal")."""
    words = tok.doc[tok.left_edge.i:tok.i + 1]
    return len(words) >= 2 and all(w.text[:1].isupper() for w in words)


def _whole_sentence(token: Token) -> list[Token]:
    """The figure's sentence, mended where the parser cut it without a full stop: at a colon or a
    semicolon, or after a stop the tokenizer kept on its word (« … 5,4 M€. »); fragments are
    joined up to the end punctuation or a line break. (Within a line the pipeline lets the parser
    cut nowhere else, :func:`extractors.nlp._line_breaks`: « … l'an dernier, | a déclaré Jensen
    Huang. » no longer happens.)"""
    doc = token.doc
    start, end = token.sent.start, token.sent.end
    while start > 0 and not _ends_sentence(doc, start):
        start = doc[start - 1].sent.start
    while end < len(doc) and not _ends_sentence(doc, end):
        end = doc[end].sent.end
    return list(doc[start:end])


def _ends_sentence(doc: Doc, boundary: int) -> bool:
    """The tokens before ``boundary`` end a sentence: end punctuation or a line break."""
    k = boundary - 1
    while k >= 0 and doc[k].is_space:
        if "\n" in doc[k].text:
            return True
        k -= 1
    return k < 0 or doc[k].text in (".", "!", "?", "…", "»", "”", '"') or "\n" in doc[k].whitespace_


def _after_break(t: Token) -> bool:
    """An inverted attribution comes after a comma, a dash or a closing quote: « …, a déclaré X »."""
    for k in range(1, 4):
        if t.i - k < t.sent.start:
            return False
        prev = t.doc[t.i - k]
        if prev.text in (",", "—", "–", "»", "”", '"', ":"):
            return True
        if not (prev.dep_.startswith("aux") or prev.lower_ in ("a", "ont", "has", "have", "t", "-t-")):
            return False
    return False


def _resolve(tok: Token, claim: Claim, text: str, mentions: Sequence[Mention], before: Sequence[Mention],
             names: dict[str, str], cues: Cues, *, allow_text: bool = False) -> str | None:
    if cues.word("person_pronoun_words", tok.text) or tok.lower_ in ("lui", "him", "her"):
        person = next((m for m in reversed(before) if m.kind == "person"), None)
        return _full(person.name, names) if person is not None else None
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    inside = [m for m in mentions if lo <= m.start and m.end <= hi and m.kind in _SPEAKER_KINDS]
    if inside:
        # the name the phrase's head stands in ("According to Bloomberg, GIC and Koto …", which the
        # parser may coordinate), else a person in it ("according to Nvidia chief Jensen Huang")
        best = next((m for m in inside if m.start <= tok.idx < m.end), None) \
            or next((m for m in inside if m.kind == "person"), inside[0])
        return _named(best, names)
    phrase = text[tok.left_edge.idx:tok.idx + len(tok.text)].strip()
    if phrase in names:
        return names[phrase]  # "Huang said", which the small models may not tag as a person
    if claim.subject is not None and cues.search("self_noun_phrases", phrase):
        return claim.subject
    if allow_text:
        bare = _DETERMINERS.sub("", phrase)
        if _NAME_TEXT.match(bare):
            return bare  # "according to the Financial Times": a name the table and NER lack
    return None


def _quote_attribution(claim: Claim, text: str, mentions: Sequence[Mention], names: dict[str, str],
                       cues: Cues) -> str | None:
    """“… $80 billion …,” said Brad Smith, across the sentence break the parser may put inside."""
    close = _CLOSE_QUOTE.search(text, claim.end, claim.end + 400)
    if close is None:
        return None
    opened = text.rfind("«", 0, claim.start) > text.rfind("»", 0, claim.start) or \
        text.rfind("“", 0, claim.start) > text.rfind("”", 0, claim.start) or \
        text[max(0, claim.start - 400):claim.start].count('"') % 2 == 1
    if not opened or re.search(r"[.!?]\s*$", text[claim.end:close.start()]) and "\n" in text[claim.end:close.start()]:
        return None
    tail = text[close.end():close.end() + 60].split("\n")[0]
    words = re.findall(r"[\w'’-]+", tail)[:4]
    if not any(cues.word("speech_words", w) for w in words):
        return None
    after = [m for m in mentions if close.end() <= m.start < close.end() + 60 and m.kind in _SPEAKER_KINDS]
    if after:
        return _named(after[0], names)
    if any(cues.word("person_pronoun_words", w) for w in words):
        person = next((m for m in reversed(mentions) if m.kind == "person" and m.end <= claim.start), None)
        return _full(person.name, names) if person is not None else None
    return None


def _full_names(mentions: Sequence[Mention]) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in mentions:
        parts = m.name.split()
        if m.kind == "person" and len(parts) >= 2:
            for part in (parts[0], parts[-1]):
                out.setdefault(part, m.name)
    return out


def _named(m: Mention, names: dict[str, str]) -> str:
    """The speaker a mention names: a person by their full name, anything else as the table has it."""
    return _full(m.name, names) if m.kind == "person" else m.name


def _full(name: str, names: dict[str, str]) -> str:
    return names.get(name, name) if " " not in name else name
