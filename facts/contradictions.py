"""Which groups of one bucket contradict each other, how, and why in one line.

Between different sources (no article states both figures), within one scope:

- two asserted figures (stated or reported) or two plans further apart than the tolerance are
  an ``update`` when they describe different moments (stated time scopes that do not overlap,
  else publication dates more than :data:`SAME_TIME_WINDOW` apart), else a ``conflict``;
- a denied figure against an asserted one it matches (within the tolerance, same moment) is a
  ``conflict``: one source denies what another states;
- a hypothetical figure (a conditional computation) asserts nothing about the world on its own
  and is never compared across sources; plans are only compared with plans.

Within one article (the groups share a source) figures are set side by side by the text itself
("valued at $183bn, up from $61.5bn"): no contradiction, except a *dispute*, which is a
``conflict`` even between a part and its whole (DeepSeek R1's reported $5–6M against the
$1.5B the same article computes for DeepSeek's chips): a hypothetical figure set against a
reported one it does not match, or a denial of a figure the article states or reports.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.periods import days_apart, period_interval
from extractors.values import format_value
from facts.groups import Group, modality_class
from facts.intervals import (
    effective_interval,
    qualifier_key,
    qualifiers_compatible,
    relative_gap,
    units_compatible,
)
from facts.parts import Node, label, path, related

KINDS = ("conflict", "update")
# Undated figures published more than a month apart are read as successive states of the world
# (a company buying GPUs), not as sources disagreeing about one moment.
SAME_TIME_WINDOW = timedelta(days=30)
METRIC_LABELS = {"gpu_count": "GPU count", "agi_date": "AGI date"}


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two groups of one bucket that cannot both hold; ``a`` and ``b`` index the bucket's
    groups, ``a`` the later figure."""

    a: int
    b: int
    kind: str
    gap: float
    explanation: str


def _moment(g: Group) -> tuple[date, date]:
    stated = period_interval(g.value.time) if g.value.time else None
    if stated is not None:
        return stated
    day = g.value.first_seen_at.date()
    return day, day


def different_times(a: Group, b: Group) -> bool:
    """Do the two groups describe different moments?

    Each group's moment is its stated time scope (``2024``, ``2025-Q3``, ``2025-01-24``), else
    the day it was first published. Two stated scopes differ when they do not overlap; a
    publication date is only a proxy for when a figure held, so against it the gap must exceed
    :data:`SAME_TIME_WINDOW`.
    """
    gap = days_apart(_moment(a), _moment(b))
    if a.value.time and b.value.time and period_interval(a.value.time) and period_interval(b.value.time):
        return gap > 0
    return gap > SAME_TIME_WINDOW.days


def _gap(a: Group, b: Group, tolerance: float) -> float:
    return relative_gap(
        effective_interval(a.value.value_low, a.value.value_high, a.value.hedge, tolerance),
        effective_interval(b.value.value_low, b.value.value_high, b.value.hedge, tolerance),
    )


def _dispute(a: Group, b: Group, gap: float, tolerance: float) -> bool:
    """Does the one article stating both set them against each other?"""
    kinds = {a.value.modality, b.value.modality}
    if a.value.time and b.value.time and different_times(a, b):
        return False  # a before/after pair
    if kinds == {"reported", "hypothetical"}:
        return gap > tolerance
    if "denied" in kinds and len(kinds) == 2 and kinds - {"denied"} <= {"stated", "reported"}:
        return gap <= tolerance
    return False


def compare(
    metric: str, a: Group, b: Group, tolerance: float, nodes: Mapping[int, Node] | None = None
) -> tuple[str, float, str] | None:
    """``(kind, gap, reason)`` when the groups contradict each other, else ``None``."""
    tree = nodes or {}
    if not units_compatible(metric, a.value.unit, b.value.unit) or not related(tree, a.scope_id, b.scope_id):
        return None
    gap = _gap(a, b, tolerance)
    if a.sources & b.sources:
        if _dispute(a, b, gap, tolerance):
            return ("conflict", gap, "dispute")
        if a.sources == b.sources:
            return None  # the text sets them side by side; no source disagrees
    if a.scope_id != b.scope_id or not qualifiers_compatible(metric, a.value.qualifier, b.value.qualifier):
        return None
    classes = {modality_class(a.value.modality), modality_class(b.value.modality)}
    if classes == {"asserted", "denied"}:
        if gap <= tolerance and not different_times(a, b):
            return ("conflict", gap, "denial")
        return None
    if len(classes) != 1 or classes & {"hypothetical", "denied"} or gap <= tolerance:
        return None
    return ("update", gap, "update") if different_times(a, b) else ("conflict", gap, "disagree")


def _later_first(a: Group, b: Group) -> bool:
    def key(g: Group) -> tuple[object, ...]:
        v = g.value
        return (v.time or v.first_seen_at.date().isoformat(), v.first_seen_at,
                v.value_low if v.value_low is not None else -math.inf,
                v.value_high if v.value_high is not None else math.inf,
                v.modality, min(m.source_key for m in g.members), min(m.claim_id for m in g.members))

    return key(a) >= key(b)


def find_contradictions(
    metric: str, groups: Sequence[Group], tolerance: float, nodes: Mapping[int, Node] | None = None
) -> list[Contradiction]:
    """Every contradicting pair among one bucket's ``groups``, with its one-line explanation."""
    tree = nodes or {}
    found: list[Contradiction] = []
    for i, first in enumerate(groups):
        for j in range(i + 1, len(groups)):
            second = groups[j]
            verdict = compare(metric, first, second, tolerance, tree)
            if verdict is None:
                continue
            kind, gap, reason = verdict
            ia, ib = (i, j) if _later_first(first, second) else (j, i)
            text = explain(metric, kind, gap, reason, groups[ia], groups[ib], tree)
            found.append(Contradiction(a=ia, b=ib, kind=kind, gap=gap, explanation=text))
    return found


def _side(g: Group, nodes: Mapping[int, Node], *, name: bool, qualifier: bool) -> str:
    who = g.value.modality + (f" by {g.speaker}" if g.speaker else "")
    details = [who]
    if qualifier and g.value.qualifier:
        details.append(g.value.qualifier)
    details += [g.value.time or g.value.first_seen_at.date().isoformat(), g.site or "?"]
    prefix = f"{label(nodes, g.subject_id)} " if name else ""
    return f"{prefix}{format_value(g.value)} ({', '.join(details)})"


_VERDICTS = {
    "update": "later figure, likely an update",
    "disagree": "figures {gap:.0%} apart for the same period, sources disagree",
    "denial": "one source denies the figure the other states",
    "dispute": "the same article sets one figure against the other ({gap:.0%} apart)",
}


def explain(
    metric: str, kind: str, gap: float, reason: str, a: Group, b: Group, nodes: Mapping[int, Node]
) -> str:
    """``xAI GPU count: ~200,000 GPU (stated, 2025-08-27, Site) vs 100,000 GPU (reported by
    Elon Musk, 2025-01-06, Site): later figure, likely an update``: each side's modality,
    speaker, moment and outlet; each side's name when they are different parts."""
    metric_label = METRIC_LABELS.get(metric, metric.replace("_", " "))
    same_subject = label(nodes, a.subject_id) == label(nodes, b.subject_id)
    same_qualifier = qualifier_key(a.value.qualifier) == qualifier_key(b.value.qualifier)
    # different parts of one bucket: the head names the whole they share, each side its part
    head = label(nodes, a.subject_id) if same_subject else (path(nodes, a.subject_id) or ("?",))[0]
    qualifier = f" ({a.value.qualifier})" if same_qualifier and a.value.qualifier else ""
    left = _side(a, nodes, name=not same_subject, qualifier=not same_qualifier)
    right = _side(b, nodes, name=not same_subject, qualifier=not same_qualifier)
    verdict = _VERDICTS[reason].format(gap=gap)
    return f"{head} {metric_label}{qualifier}: {left} vs {right}: {verdict}"
