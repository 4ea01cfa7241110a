"""Contradictions as stored: two groups of one bucket whose figures cannot both hold.

Which pairs contradict, their kind (``conflict`` or ``update``), gap and explanation are decided
by :mod:`facts.contradictions`; this module saves them per bucket and lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from facts import contradictions as facts_contradictions
from facts.contradictions import Contradiction
from storage.db import Store
from storage.entities import root_id, subject_ids
from storage.groups import ClaimGroupView, load_group_views
from storage.models import ClaimGroupRow, ContradictionRow

KINDS = facts_contradictions.KINDS


@dataclass(frozen=True, slots=True)
class ContradictionView:
    id: int
    kind: str
    subject: str
    metric: str
    qualifier: str | None
    gap: float
    explanation: str
    detected_at: datetime
    a: ClaimGroupView
    """The later figure."""
    b: ClaimGroupView

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict: ``kind, subject, metric, qualifier, gap, explanation, a, b``."""
        return {
            "kind": self.kind,
            "subject": self.subject,
            "metric": self.metric,
            "qualifier": self.qualifier,
            "gap": round(self.gap, 4),
            "explanation": self.explanation,
            "a": _group_json(self.a),
            "b": _group_json(self.b),
        }


def _group_json(g: ClaimGroupView) -> dict[str, Any]:
    return {
        "subject": g.subject,
        "part_of": g.part_of,
        "modality": g.modality,
        "value_low": g.value_low,
        "value_high": g.value_high,
        "unit": g.unit,
        "hedge": g.hedge,
        "time": g.time,
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "published_at": s.published_at.isoformat() if s.published_at else None,
                "sentence": s.sentence,
            }
            for s in g.sources
        ],
    }


def save_contradictions(
    session: Session, subject_id: int, metric: str, groups: Sequence[ClaimGroupRow],
    found: Sequence[Contradiction],
) -> None:
    """Write the contradictions :func:`facts.decide` found among one bucket's ``groups`` (the
    rows of its groups, in its order); unchanged ones keep their row and detection time."""
    wanted = {(groups[c.a].id, groups[c.b].id): c for c in found}
    current = {
        (c.group_a_id, c.group_b_id): c
        for c in session.scalars(
            select(ContradictionRow).where(
                ContradictionRow.subject_id == subject_id, ContradictionRow.metric == metric
            )
        )
    }
    for key, row in current.items():
        if key not in wanted:
            session.delete(row)
    session.flush()
    if not wanted:
        return
    now = datetime.now(UTC)
    for key, item in wanted.items():
        existing = current.get(key)
        if existing is None:
            row = ContradictionRow(group_a_id=key[0], group_b_id=key[1], subject_id=subject_id,
                                   metric=metric, detected_at=now)
            session.add(row)
        else:
            row = existing
        row.qualifier = groups[item.a].qualifier
        row.kind = item.kind
        row.gap = item.gap
        row.explanation = item.explanation
    session.flush()


def list_contradictions(
    store: Store, *, kind: str | None = None, subject: str | None = None,
    metric: str | None = None, since: datetime | None = None, limit: int | None = None,
) -> list[ContradictionView]:
    """Contradictions, most recently detected first; ``subject`` matches through aliases and
    takes in the subject's parts (a part's contradictions are stored under its topmost whole;
    asked for a part, only those involving a fact of the part are listed). ``subject`` of each
    is that whole."""
    with store.session() as session:
        entity_ids: list[int] | None = None
        within: set[int] | None = None
        if subject is not None:
            tree = subject_ids(session, subject)
            if tree is None:
                return []
            root = root_id(session, tree[0])
            entity_ids = sorted({root, *tree})
            within = set(tree) if root != tree[0] else None
        query = contradictions_query(kind, entity_ids, metric, since, None if within else limit)
        rows = list(session.scalars(query))
        views = load_group_views(session, {r.group_a_id for r in rows} | {r.group_b_id for r in rows})
        found = [
            ContradictionView(
                id=r.id, kind=r.kind, subject=(views[r.group_a_id].path or (views[r.group_a_id].subject,))[0],
                metric=r.metric, qualifier=r.qualifier, gap=r.gap, explanation=r.explanation,
                detected_at=r.detected_at, a=views[r.group_a_id], b=views[r.group_b_id],
            )
            for r in rows
            if within is None or {views[r.group_a_id].subject_id, views[r.group_b_id].subject_id} & within
        ]
        return found[:limit] if limit is not None else found


def contradictions_query(
    kind: str | None, subject_ids: int | Sequence[int] | None, metric: str | None,
    since: datetime | None, limit: int | None,
) -> Select[ContradictionRow]:
    """The statement behind :func:`list_contradictions`."""
    query = select(ContradictionRow)
    if isinstance(subject_ids, int):
        subject_ids = [subject_ids]
    if subject_ids is not None:
        query = query.where(
            ContradictionRow.subject_id == subject_ids[0] if len(subject_ids) == 1
            else ContradictionRow.subject_id.in_(list(subject_ids))
        )
    if metric is not None:
        query = query.where(ContradictionRow.metric == metric)
    if kind is not None:
        query = query.where(ContradictionRow.kind == kind)
    if since is not None:
        query = query.where(ContradictionRow.detected_at >= since)
    query = query.order_by(ContradictionRow.detected_at.desc(), ContradictionRow.id.desc())
    return query.limit(limit) if limit is not None else query
