"""Contradictions: two groups of one subject, metric and qualifier whose figures cannot both
hold. Different times (explicit time scopes, or publication dates far apart) make it an
``update`` (a timeline); otherwise it is a ``conflict``. Plans are only compared with plans.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from extractors.periods import days_apart, period_interval
from extractors.values import format_value
from storage.db import Store
from storage.entities import find_entity_id, tree_ids
from storage.groups import (
    ClaimGroupView,
    effective_interval,
    load_group_views,
    relative_gap,
    units_compatible,
)
from storage.models import ArticleRow, ClaimGroupRow, ClaimRow, ContradictionRow, EntityRow

KINDS = ("conflict", "update")
# Undated figures published more than a month apart are read as successive states of the world
# (a company buying GPUs), not as sources disagreeing about one moment.
SAME_TIME_WINDOW = timedelta(days=30)
_METRIC_LABELS = {"gpu_count": "GPU count", "agi_date": "AGI date"}


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


def _group_time(g: ClaimGroupRow) -> str:
    return g.time or g.first_seen_at.date().isoformat()


def different_times(a: ClaimGroupRow, b: ClaimGroupRow) -> bool:
    """Do the two groups describe different moments?

    Each group's moment is its stated time scope (``2024``, ``2025-Q3``, ``2025-01-24``), else
    the day it was first published. Two stated scopes differ when they do not overlap; a
    publication date is only a proxy for when a figure held, so against it the gap must exceed
    :data:`SAME_TIME_WINDOW`.
    """
    gap = days_apart(_moment(a), _moment(b))
    if a.time and b.time and period_interval(a.time) and period_interval(b.time):
        return gap > 0
    return gap > SAME_TIME_WINDOW.days


def _moment(g: ClaimGroupRow) -> tuple[date, date]:
    stated = period_interval(g.time) if g.time else None
    if stated is not None:
        return stated
    day = g.first_seen_at.date()
    return day, day


def compare(metric: str, a: ClaimGroupRow, b: ClaimGroupRow, tolerance: float) -> tuple[str, float] | None:
    """``(kind, gap)`` when the groups contradict each other, else ``None``."""
    if a.is_plan != b.is_plan or (a.qualifier or "").casefold() != (b.qualifier or "").casefold():
        return None
    if not units_compatible(metric, a.unit, b.unit):
        return None
    gap = relative_gap(
        effective_interval(a.value_low, a.value_high, a.hedge, tolerance),
        effective_interval(b.value_low, b.value_high, b.hedge, tolerance),
    )
    if gap <= tolerance:
        return None
    return ("update" if different_times(a, b) else "conflict", gap)


def _later_first(a: ClaimGroupRow, b: ClaimGroupRow) -> tuple[ClaimGroupRow, ClaimGroupRow]:
    def key(g: ClaimGroupRow) -> tuple[object, ...]:
        return (_group_time(g), g.first_seen_at, g.value_low if g.value_low is not None else -math.inf,
                g.value_high if g.value_high is not None else math.inf)

    return (a, b) if key(a) >= key(b) else (b, a)


def refresh_contradictions(
    session: Session, subject_id: int, metric: str, groups: Sequence[ClaimGroupRow], tolerance: float
) -> None:
    """Recompute the contradictions among one bucket's ``groups``; unchanged ones are kept."""
    wanted: dict[tuple[int, int], tuple[str, float, ClaimGroupRow, ClaimGroupRow]] = {}
    ordered = sorted(groups, key=lambda g: g.id)
    sources, names = _group_sources(session, [g.id for g in ordered])
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if sources.get(first.id) == sources.get(second.id):
                # The same article(s) state both figures ("valued at $183bn, up from $61.5bn in
                # March"): the text itself sets them side by side, so no source disagrees.
                continue
            found = compare(metric, first, second, tolerance)
            if found is not None:
                a, b = _later_first(first, second)
                wanted[(a.id, b.id)] = (found[0], found[1], a, b)
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
    subject = session.get(EntityRow, subject_id)
    now = datetime.now(UTC)
    for key, (kind, gap, a, b) in wanted.items():
        text = _explain(subject.name if subject else "?", metric, kind, gap, a, b, names)
        existing = current.get(key)
        if existing is None:
            row = ContradictionRow(group_a_id=a.id, group_b_id=b.id, subject_id=subject_id,
                                   metric=metric, detected_at=now)
            session.add(row)
        else:
            row = existing
        row.qualifier = a.qualifier
        row.kind = kind
        row.gap = gap
        row.explanation = text
    session.flush()


def _group_sources(
    session: Session, group_ids: Sequence[int]
) -> tuple[dict[int, frozenset[int]], dict[int, str]]:
    """Per group, in one query: its independent sources (article ids, a near-duplicate counted
    as its original) and the site (else host) of its earliest source, for explanations."""
    sources: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    rows = session.execute(
        select(ClaimRow.group_id, ArticleRow.id, ArticleRow.duplicate_of, ArticleRow.site_name,
               ArticleRow.canonical_url)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(ClaimRow.group_id.in_(group_ids))
        .order_by(ClaimRow.group_id, ClaimRow.observed_at, ArticleRow.canonical_url)
    )
    for group_id, article_id, duplicate_of, site, url in rows:
        if group_id is None:
            continue
        sources.setdefault(group_id, set()).add(duplicate_of or article_id)
        if group_id not in names:
            names[group_id] = site or urlsplit(url).hostname or url
    return {group_id: frozenset(ids) for group_id, ids in sources.items()}, names


def _explain(
    subject: str, metric: str, kind: str, gap: float, a: ClaimGroupRow, b: ClaimGroupRow,
    names: dict[int, str],
) -> str:
    label = _METRIC_LABELS.get(metric, metric.replace("_", " "))
    qualifier = f" ({a.qualifier})" if a.qualifier else ""
    left = f"{format_value(a)} ({_group_time(a)}, {names.get(a.id, '?')})"
    right = f"{format_value(b)} ({_group_time(b)}, {names.get(b.id, '?')})"
    if kind == "update":
        verdict = "later figure, likely an update"
    else:
        verdict = f"figures {gap:.0%} apart for the same period, sources disagree"
    return f"{subject} {label}{qualifier}: {left} vs {right}: {verdict}"


def list_contradictions(
    store: Store, *, kind: str | None = None, subject: str | None = None,
    metric: str | None = None, since: datetime | None = None, limit: int | None = None,
) -> list[ContradictionView]:
    """Contradictions, most recently detected first; ``subject`` matches through aliases and
    takes in the subject's parts."""
    with store.session() as session:
        entity_ids: list[int] | None = None
        if subject is not None:
            entity_id = find_entity_id(session, subject)
            if entity_id is None:
                return []
            entity_ids = tree_ids(session, entity_id)
        query = contradictions_query(kind, entity_ids, metric, since, limit)
        rows = list(session.scalars(query))
        views = load_group_views(session, {r.group_a_id for r in rows} | {r.group_b_id for r in rows})
        return [
            ContradictionView(
                id=r.id, kind=r.kind, subject=views[r.group_a_id].subject, metric=r.metric,
                qualifier=r.qualifier, gap=r.gap, explanation=r.explanation,
                detected_at=r.detected_at, a=views[r.group_a_id], b=views[r.group_b_id],
            )
            for r in rows
        ]


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
