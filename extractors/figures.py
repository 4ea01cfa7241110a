"""Step 2, figures: quantities (:mod:`extractors.quantities`) become candidate figures.

``candidate_figure(d, sent, q)`` decides the unit a quantity is read in, or None when it is no
figure (a bare year, a number with no unit). A unit can come from the words before it ("les GPU
… s'élèvent à 100 000"), be elided ("671 billion parameters, with 37 billion active"), be
shared with the end of a range ("de 100 000 à 200 000 GPU H100"), or be a currency carried
from earlier in the sentence or the article ("Amazon plus de 75 milliards").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

from extractors import lexicon
from extractors.document import Document
from extractors.quantities import Quantity
from extractors.timescope import is_year

MONEY = ("USD", "EUR", "GBP")
_GPU_BEFORE = lexicon.pattern(r"\b<<gpu_before_nouns>>\b[^.;]{0,50}\b<<gpu_before_verbs>>(?:\s+\w+){0,2}?\s+"
                              r"<<gpu_before_preps>>?$")
_OTHER_NOUN = lexicon.pattern(r"^[ \u00a0\u202f]*(?!<<elided_not_noun>>\b)[^\W\d]{2,}")
_OF_OTHER_NOUN = lexicon.pattern(r"^[ \u00a0\u202f]*(?:of|de|d['’])[ \u00a0\u202f]*(?!<<elided_of_ok>>\b)[^\W\d]{3,}")
"""« … host millions of computing cores »: a figure "of" another noun counts that noun."""
_TO_NEXT = lexicon.pattern(r"^[ \u00a0\u202f]*<<range_to>>[ \u00a0\u202f]*\d", 0)
_MONEY_SCALES = lexicon.words("money_scales")
_MONEY_FOLLOW = lexicon.pattern(r"^(?:\s*$|\s*[.,;:!?)»—–-]|\s+<<money_follow>>\b)")
_GLUED_COUNT_SCALES = ("B", "T")
_SIZE_NOUN = lexicon.pattern(r"^[ \u00a0\u202f-]*<<size_nouns>>\b")
_SIZE_CUE = lexicon.pattern("size_cues")
_SHARE_JOIN = lexicon.pattern(r"^[ \u00a0\u202f]*(?:<<size_qualifiers>>[ \u00a0\u202f]+)?<<unit_share_joins>>[ \u00a0\u202f]*$")
COMPARED = lexicon.pattern(r"(?:<<compared>>)\s*<<compared_approx>>?\s*$")


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity read as a figure: its unit (written, elided or implied) and what it counts."""

    quantity: Quantity
    unit: str
    qualifier: str | None
    currency_implied: bool


def candidate_figure(d: Document, sent: Span, q: Quantity) -> Figure | None:
    """The figure ``q`` states in ``sent``, or None when it is no figure."""
    n = q.number
    if q.unit is None and is_year(n):
        return None
    unit, implied = q.unit, False
    if unit is None and _GPU_BEFORE.search(d.text[max(sent.start_char, q.start - 70):q.start]):
        unit = "GPU"
    if unit is None and q.number.scale is not None:
        prev = [p for p in d.quantities if sent.start_char <= p.start < q.start and p.unit in ("parameter", "GPU")]
        after = d.text[n.end:n.end + 30]
        if prev and q.start - prev[-1].unit_end < 60 and not _OTHER_NOUN.match(after) \
                and not _OF_OTHER_NOUN.match(after):
            unit = prev[-1].unit  # "671 billion parameters, with 37 billion active": the unit is elided
    qualifier = q.qualifier
    if unit is None:
        nxt = next((p for p in d.quantities if p.start > q.start), None)
        if nxt is not None and _shares_unit(d, sent, q, nxt):
            unit, qualifier = nxt.unit, nxt.qualifier
    if unit is None and n.scale in _GLUED_COUNT_SCALES and _model_size(d, sent, q):
        unit = "parameter"  # « Maverick monte à 400B », "DeepSeek-LLM (October 2023): 67B and 7B"
    if unit is None:
        unit, implied = _implied_currency(d, sent, q), True
        if unit is None:
            return None
    if unit == "GPU" and (q.high or 0) < 100 and (_PER_BOX.match(d.text[q.unit_end:q.unit_end + 40])
                                                  or _EACH_BOX.search(d.text[max(sent.start_char, q.start - 60):q.start])):
        return None  # "8 NVIDIA HGX H100 GPUs per system", « 8 GPU par serveur »: a configuration, not a fleet
    return Figure(q, unit, qualifier, implied)


def _shares_unit(d: Document, sent: Span, q: Quantity, nxt: Quantity) -> bool:
    """Whether ``q``, written with no unit, takes the unit of the next figure ``nxt``: as the
    start of a range ("de 100 000 à 200 000 GPU H100", "de 1 000 à 4 000 milliards de dollars"),
    or joined to it by "and", "or" or a comma in the same sentence, both scaled or neither ("8B and
    70B parameters", « 14 milliards et 72 milliards de paramètres »)."""
    n = q.number
    if _TO_NEXT.match(d.text[n.end:n.end + 8]) and nxt.start - n.end < 8 and (
            nxt.unit in ("GPU", "parameter", "W") or nxt.unit in MONEY and n.scale is not None):
        return True
    return nxt.unit in ("GPU", "parameter") and nxt.start < sent.end_char \
        and bool(_SHARE_JOIN.match(d.text[q.end:nxt.start])) and (n.scale is None) == (nxt.number.scale is None)


def _model_size(d: Document, sent: Span, q: Quantity) -> bool:
    """A glued ``B``/``T`` size with no unit reads as a parameter count: in French always (money
    is written Md$ / M€ there), in English when its sentence is about models (a model's name, or
    a word of ``size_cues``) and names no sum; in both when no other noun follows it, or a size
    noun does ("a 1.5B model")."""
    after = d.text[q.number.end:q.number.end + 30]
    if _OTHER_NOUN.match(after) and not _SIZE_NOUN.match(after):
        return False
    if d.lang == "fr":
        return True
    if any(m.kind == "model" and _SIZE_IN_BRACKETS.fullmatch(d.text, m.end, q.start) for m in d.mentions
           if sent.start_char <= m.start < q.start):
        return True  # "Google's PaLM (540B) model, which had cost $12.4 million": the size in brackets
    if any(p.unit in MONEY for p in d.quantities if sent.start_char <= p.start < sent.end_char):
        return False
    return _SIZE_CUE.search(sent.text) is not None or any(
        m.kind == "model" and sent.start_char <= m.start < sent.end_char for m in d.mentions)


_SIZE_IN_BRACKETS = re.compile(r"\s*\(\s*")
_PER_BOX = lexicon.pattern(r"^[\s,]*(?:\w+\s+){0,2}?<<per_box>>\b")
_EACH_BOX = lexicon.pattern(r"\b<<each_box>>\b[^.;]{0,40}$")


def _implied_currency(d: Document, sent: Span, q: Quantity) -> str | None:
    """The currency of a scaled figure written without one ("Amazon plus de 75 milliards",
    « 11,6 milliards de chiffre d'affaires »): the last one named earlier in the sentence, else
    in the article so far, else, when the article names none before it (« Treize milliards en
    série F » opening the piece), the first one it names at all."""
    n = q.number
    if n.scale is None or (n.scale not in _MONEY_SCALES and n.scale.lower() not in _MONEY_SCALES):
        return None
    earlier = [p.unit for p in d.quantities if sent.start_char <= p.start < q.start and p.unit in MONEY]
    linked = bool(earlier) and COMPARED.search(d.text[max(sent.start_char, n.start - 30):n.start]) is not None
    if not linked and not _MONEY_FOLLOW.match(d.text[n.end:n.end + 40]):
        return None
    if earlier:
        return earlier[-1]
    if d.ctx.currency is not None:
        return d.ctx.currency
    return next((p.unit for p in d.quantities if p.currency_explicit and p.unit in MONEY), None)


def unit_class(unit: str | None) -> str | None:
    """Money in any currency is one class; other units are their own."""
    return "money" if unit in MONEY else unit

