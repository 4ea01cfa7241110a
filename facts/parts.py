"""Parts and wholes: which figures of a part are its whole's.

A bucket is a whole with all its parts (``config/entities.toml``, ``part_of``). Within it each
mention has a *scope*: the entity its figure describes. A part keeps its own scope, except for
the metrics :data:`SAME_FIGURE` lists for its kind, where the part's figure *is* the whole's:
Colossus is xAI's fleet, so "Colossus has 200,000 GPUs" and "xAI has 100,000 GPUs" are one
series (an update), while Grok 3's training run or DeepSeek R1's training cost keep the
model's own scope and are never set against the maker's whole fleet or spending, except where
one article sets them against each other as a dispute (:mod:`facts.contradictions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# part kind -> metrics whose figure is the whole's own. A cluster, datacenter or programme run by
# one operator ("programme" in config/entities.toml) counts its operator's GPUs; a model's figures
# (GPUs it was trained on, its cost) describe one training run, not the maker's fleet.
SAME_FIGURE: Mapping[str, frozenset[str]] = {"programme": frozenset({"gpu_count"})}
_DEPTH = 16


@dataclass(frozen=True, slots=True)
class Node:
    """An entity as the part tree sees it."""

    id: int
    name: str
    kind: str | None
    part_of_id: int | None = None


def scope_of(nodes: Mapping[int, Node], subject_id: int, metric: str) -> int:
    """The entity a figure about ``subject_id`` describes: the nearest whole that the part's
    figure for ``metric`` belongs to, else the subject itself."""
    current = subject_id
    for _ in range(_DEPTH):
        node = nodes.get(current)
        if node is None or node.part_of_id is None or metric not in SAME_FIGURE.get(node.kind or "", ()):
            break
        current = node.part_of_id
    return current


def ancestors(nodes: Mapping[int, Node], entity_id: int) -> tuple[int, ...]:
    """The wholes above ``entity_id``, nearest first."""
    out: list[int] = []
    node = nodes.get(entity_id)
    while node is not None and node.part_of_id is not None and len(out) < _DEPTH:
        out.append(node.part_of_id)
        node = nodes.get(node.part_of_id)
    return tuple(out)


def related(nodes: Mapping[int, Node], a: int, b: int) -> bool:
    """One entity is the other, or a whole above it (siblings are not related)."""
    return a == b or a in ancestors(nodes, b) or b in ancestors(nodes, a)


def path(nodes: Mapping[int, Node], entity_id: int) -> tuple[str, ...]:
    """Names from the topmost whole down to the entity: ``("xAI", "Colossus")``."""
    ids = (entity_id, *ancestors(nodes, entity_id))
    return tuple(nodes[i].name for i in reversed(ids) if i in nodes)


def label(nodes: Mapping[int, Node], entity_id: int) -> str:
    """``xAI › Colossus`` for a part, else the entity's name."""
    return " › ".join(path(nodes, entity_id)) or "?"
