"""One ``(subject, metric)`` bucket in, its groups and contradictions out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from facts.contradictions import Contradiction, find_contradictions
from facts.groups import Group, Mention, cluster
from facts.parts import Node


@dataclass(frozen=True, slots=True)
class Bucket:
    """Every mention of one metric about a whole and its parts, with the part tree."""

    metric: str
    mentions: tuple[Mention, ...]
    nodes: Mapping[int, Node] = field(default_factory=dict)
    """Each subject of the mentions and every whole above it, by id."""


@dataclass(frozen=True, slots=True)
class BucketFacts:
    groups: tuple[Group, ...]
    contradictions: tuple[Contradiction, ...]
    """``a`` and ``b`` index :attr:`groups`."""


def decide(bucket: Bucket, tolerance: float) -> BucketFacts:
    """Group the bucket's mentions into facts, then find the facts that contradict.

    The answer depends on the mentions' content only, never on their order.
    """
    groups = cluster(bucket.metric, bucket.mentions, tolerance, bucket.nodes)
    contradictions = find_contradictions(bucket.metric, groups, tolerance, bucket.nodes)
    return BucketFacts(groups=tuple(groups), contradictions=tuple(contradictions))
