"""Claim groups: mentions of one fact, merged across articles.

Two mentions belong together when they describe the same entity (their scope, see
:mod:`facts.parts`), have modalities that may be merged (:data:`MERGEABLE`), compatible
qualifiers, units and times, and value intervals (after hedges) within the relative tolerance
of each other. Mentions are clustered in an order of their content (never of insertion), so
the same articles ingested in any order give the same groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from facts.intervals import (
    effective_interval,
    qualifier_key,
    qualifiers_compatible,
    relative_gap,
    times_compatible,
    units_compatible,
)
from facts.parts import Node, scope_of

# Which modalities may share a group. A stated figure and a reported one ("according to
# Reuters") are the same fact, one of them attributed. A plan, a hypothesis (a conditional
# computation) and a denial are each kept with their own kind only: a denied figure never
# supports the figure it denies, a plan is not a current figure.
MERGEABLE: Mapping[str, str] = {
    "stated": "asserted", "reported": "asserted", "plan": "plan", "hypothetical": "hypothetical",
    "denied": "denied",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """One stored claim as grouping sees it (built from a row, or by hand in tests)."""

    claim_id: int
    subject_id: int
    source_id: int
    """The article, or the original it duplicates: mentions with one source_id are one source."""
    source_key: str
    modality: str
    qualifier: str | None
    unit: str | None
    time: str | None
    value_low: float | None
    value_high: float | None
    hedge: str | None
    observed_at: datetime
    start: int = 0
    speaker: str | None = None
    site: str = ""
    """The outlet (site name, else host) that published it, for explanations."""


@dataclass(frozen=True, slots=True)
class GroupValue:
    """What a group says: the tightest interval consistent with its mentions."""

    modality: str
    qualifier: str | None
    unit: str | None
    time: str | None
    value_low: float | None
    value_high: float | None
    hedge: str | None
    first_seen_at: datetime
    last_seen_at: datetime
    mention_count: int
    source_count: int

    @property
    def is_plan(self) -> bool:
        return self.modality == "plan"


@dataclass(frozen=True, slots=True)
class Group:
    """One fact: its mentions, the entity it is about and its value."""

    members: tuple[Mention, ...]
    subject_id: int
    """The entity every member names, else the scope they share (a whole)."""
    scope_id: int
    value: GroupValue
    sources: frozenset[int]
    site: str
    """The outlet of the earliest mention."""
    speaker: str | None
    """Who states it, as most members say (``None`` when none does)."""

    @property
    def claim_ids(self) -> frozenset[int]:
        return frozenset(m.claim_id for m in self.members)


def modality_class(modality: str) -> str:
    return MERGEABLE.get(modality, modality)


def _sort_key(m: Mention, scope: int) -> tuple[object, ...]:
    lo, hi = effective_interval(m.value_low, m.value_high, m.hedge, 0.0)
    return (scope, modality_class(m.modality), qualifier_key(m.qualifier), lo, hi, m.time or "",
            m.unit or "", m.source_key, m.start, m.claim_id)


def _fits(metric: str, m: Mention, other: Mention, tolerance: float) -> bool:
    if modality_class(m.modality) != modality_class(other.modality):
        return False
    if not qualifiers_compatible(metric, m.qualifier, other.qualifier):
        return False
    if not units_compatible(metric, m.unit, other.unit) or not times_compatible(m.time, other.time):
        return False
    a = effective_interval(m.value_low, m.value_high, m.hedge, tolerance)
    b = effective_interval(other.value_low, other.value_high, other.hedge, tolerance)
    return relative_gap(a, b) <= tolerance


def cluster(
    metric: str, mentions: Sequence[Mention], tolerance: float, nodes: Mapping[int, Node] | None = None
) -> list[Group]:
    """Partition one bucket's ``mentions`` into groups of one fact.

    Complete linkage over a content order: a mention joins the first group of its scope all of
    whose members it fits, so a chain 100, 108, 116 does not drift into one group.
    """
    tree = nodes or {}
    scoped = sorted(((scope_of(tree, m.subject_id, metric), m) for m in mentions),
                    key=lambda item: _sort_key(item[1], item[0]))
    clusters: list[tuple[int, list[Mention]]] = []
    for scope, m in scoped:
        for group_scope, members in clusters:
            if group_scope == scope and all(_fits(metric, m, other, tolerance) for other in members):
                members.append(m)
                break
        else:
            clusters.append((scope, [m]))
    return [_group(scope, members) for scope, members in clusters]


def _group(scope: int, members: Sequence[Mention]) -> Group:
    subjects = {m.subject_id for m in members}
    earliest = min(members, key=lambda m: (m.observed_at, m.source_key, m.start))
    speakers = Counter(m.speaker for m in members if m.speaker)
    return Group(
        members=tuple(members),
        subject_id=next(iter(subjects)) if len(subjects) == 1 else scope,
        scope_id=scope,
        value=summarize(members),
        sources=frozenset(m.source_id for m in members),
        site=earliest.site,
        speaker=min(speakers, key=lambda s: (-speakers[s], s)) if speakers else None,
    )


def summarize(members: Sequence[Mention]) -> GroupValue:
    """The group's value: the intersection of its mentions' intervals, or, when tolerated
    mentions do not quite overlap, the narrowest span joining them."""
    lows = [m.value_low for m in members if m.value_low is not None and m.hedge != "at_most"]
    highs = [m.value_high for m in members if m.value_high is not None and m.hedge != "at_least"]
    low = max(lows) if lows else None
    high = min(highs) if highs else None
    if low is not None and high is not None and low > high:
        low, high = high, low
    hedges = {m.hedge for m in members}
    if len(hedges) == 1:
        hedge = next(iter(hedges))
    elif low is not None and low == high:
        hedge = None
    elif high is None:
        hedge = "at_least"
    elif low is None:
        hedge = "at_most"
    else:
        hedge = "range"
    units = Counter(m.unit for m in members if m.unit)
    unit = min(units, key=lambda u: (-units[u], u)) if units else None
    qualifiers = Counter(m.qualifier for m in members if m.qualifier)
    times = sorted({m.time for m in members if m.time}, key=lambda t: (-len(t), t))
    modalities = {m.modality for m in members}
    # a stated figure that others only report is stated; otherwise the members share one modality
    modality = "stated" if "stated" in modalities else min(modalities)
    return GroupValue(
        modality=modality,
        qualifier=min(qualifiers, key=lambda q: (-qualifiers[q], q)) if qualifiers else None,
        unit=unit,
        time=times[0] if times else None,
        value_low=low,
        value_high=high,
        hedge=hedge,
        first_seen_at=min(m.observed_at for m in members),
        last_seen_at=max(m.observed_at for m in members),
        mention_count=len(members),
        source_count=len({m.source_id for m in members}),
    )
