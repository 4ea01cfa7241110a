"""Figures that lean on the figure before them in the same sentence.

``link_figures(d, claims)`` gives a figure introduced by a comparison or a part-of word the
metric and subject of the figure it is compared with ("65 Md$, contre 40 Md$ en 2024", "up
from $3.7 billion", "1,7 milliard, dont 1,3 milliard apporté par ASML"), drops a conversion into
another currency ("5,6 M$, soit 5,4 M€", "£2 billion ($2.7bn)": the same figure), files a figure
gapped after a name ("…, et Apple 3 400 milliards", "AMD ($7.7bn)") under that name, and gives
a valuation stated with a funding round to whoever raised it.
"""

from __future__ import annotations

import dataclasses
import re

from extractors import lexicon
from extractors.contract import Claim
from extractors.document import Document
from extractors.figures import COMPARED, unit_class
from extractors.subject import possessor

_CONVERSION = lexicon.pattern(r"^\s*(?:\(|[,;]?\s*<<conversion>>\s*)<<approx_words>>?\s*$")
_GAPPED = re.compile(r"^[^.;:!?]{0,40}?(?:,|\bet|\band)\s+(?P<name>[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)?)\s*,?\s+"
                     r"(?:entre|between|de|d['’]|about|environ|quelque|roughly|some|près de|nearly|pour|for|à|at)?\s*[$€£]?\s*$")
# "devant Microsoft (3 800 milliards) et Apple (3 400 milliards)", "AMD ($7.7bn)": a figure in
# brackets right after a name is that name's, measured like the figure before it.
_PAREN_NAME = re.compile(r"^[^.;:!?]*?(?P<name>[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*)?)\s*\(\s*(?:environ|près de|about|around|"
                         r"roughly|nearly|some)?\s*[$€£]?\s*$")
_FOR_NAME = lexicon.pattern(r"\s*<<for_name>>\s+", 0)
_NEW_CLAUSE = lexicon.pattern(r"[.;:!?]|\b<<new_clause>>\b")
_INVESTEE = lexicon.pattern(r"\s*<<investee>>\s*", 0)


def link_figures(d: Document, made: list[Claim]) -> list[Claim]:
    """``made`` (one sentence's claims, in text order) with linked figures resolved."""
    out: list[Claim] = []
    for c in made:
        prev = next((p for p in reversed(out) if p.end <= c.start and unit_class(p.unit) == unit_class(c.unit)
                     and p.metric != "agi_date"), None)
        if prev is None or c.metric in ("agi_date", "release_date"):
            out.append(c)
            continue
        between = d.text[prev.end:c.start]
        if c.unit != prev.unit and unit_class(c.unit) == "money" and _CONVERSION.match(between):
            continue
        gapped = _GAPPED.match(between) or _PAREN_NAME.search(between)
        named = next((m for m in d.mentions if gapped and prev.end + gapped.start("name") == m.start
                      and m.kind in ("org", "programme", "model")), None)
        if named is not None:
            c = dataclasses.replace(c, metric=prev.metric, subject=named.name)
        elif COMPARED.search(between) and not _NEW_CLAUSE.search(between):
            own = _FOR_NAME.match(d.text[c.end:c.end + 12])
            named = next((m for m in d.mentions if own and c.end + own.end() == m.start), None)
            # "… compared with $4.38 for GPT-4o", "versus o1's $60": the metric carries over, the
            # subject is named
            subject = named.name if named else possessor(d, d.mentions, c.start, prev.metric) or prev.subject
            c = dataclasses.replace(c, metric=prev.metric, subject=subject,
                                    qualifier=c.qualifier or (prev.qualifier if c.unit == "GPU" else None))
        elif c.metric == "valuation" and unit_class(c.unit) == "money":
            raised = next((p for p in reversed(out) if p.metric == "funding" and p.subject
                           and not _NEW_CLAUSE.search(d.text[p.end:c.start])), None)
            invested = next((p for p in reversed(out) if p.metric == "investment"), None)
            if raised is not None:
                c = dataclasses.replace(c, subject=raised.subject)
            elif invested is not None:
                target = _investee(d, invested.end, c.start)
                if target is not None:
                    c = dataclasses.replace(c, subject=target)
        out.append(c)
    return out


def _investee(d: Document, start: int, end: int) -> str | None:
    """The org named after "in"/"dans" between an investment and the valuation it sets."""
    m = _INVESTEE.match(d.text[start:end])
    if m is None:
        return None
    target = start + m.end()
    return next((x.name for x in d.mentions if x.start == target and x.kind == "org"), None)
