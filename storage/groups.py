"""Claim groups: mentions of one fact, merged across articles.

Two mentions belong together when they share subject, metric, qualifier and plan-ness, their
units are comparable, their times are compatible and their value intervals (after hedges) are
within the relative tolerance of each other. Grouping is recomputed for one
``(subject, metric)`` bucket at a time, from the bucket's mentions sorted by content (never by
insertion order), so the same articles ingested in any order give the same groups.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from storage.db import Store
from storage.entities import find_entity_id
from storage.models import ArticleRow, ClaimGroupRow, ClaimRow, EntityRow

_APPROXIMATE = ("approx", "vague")
# Units that only label what is counted (an "H100" is a GPU): figures stay comparable across them.
_LABEL_UNIT_METRICS = frozenset({"gpu_count", "parameter_count", "compute_multiplier"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One claim as grouping sees it (built from a row, or by hand in tests)."""

    claim_id: int
    source_id: int
    """The article, or the original it duplicates: mentions with one source_id are one source."""
    source_key: str
    is_plan: bool
    qualifier: str | None
    unit: str | None
    time: str | None
    value_low: float | None
    value_high: float | None
    hedge: str | None
    observed_at: datetime
    start: int = 0


@dataclass(frozen=True, slots=True)
class GroupValue:
    """What a group says: the tightest interval consistent with its mentions."""

    is_plan: bool
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


@dataclass(frozen=True, slots=True)
class SourceView:
    article_id: int
    url: str
    title: str | None
    site_name: str | None
    published_at: datetime | None
    sentence: str
    duplicate_of: int | None
    modality: str = "stated"
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimGroupView:
    id: int
    subject: str
    metric: str
    qualifier: str | None
    is_plan: bool
    value_low: float | None
    value_high: float | None
    unit: str | None
    hedge: str | None
    time: str | None
    first_seen_at: datetime
    last_seen_at: datetime
    mention_count: int
    source_count: int
    """Independent sources: near-duplicate articles count once."""
    sources: tuple[SourceView, ...]


# --- interval arithmetic -------------------------------------------------------------------


def effective_interval(
    low: float | None, high: float | None, hedge: str | None, tolerance: float
) -> tuple[float, float]:
    """The values a figure allows: open bounds are infinite, approximations widened."""
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high
    if hedge == "at_least":
        hi = math.inf
    elif hedge == "at_most":
        lo = -math.inf
    elif hedge in _APPROXIMATE:
        lo = lo - abs(lo) * tolerance if math.isfinite(lo) else lo
        hi = hi + abs(hi) * tolerance if math.isfinite(hi) else hi
    return (min(lo, hi), max(lo, hi))


def relative_gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """0 when the intervals overlap, else the distance between them relative to the larger
    magnitude of the two facing bounds (so always in (0, 1] for same-sign figures)."""
    lower, upper = (a, b) if a[0] <= b[0] else (b, a)
    if upper[0] <= lower[1]:
        return 0.0
    distance = upper[0] - lower[1]
    scale = max(abs(upper[0]), abs(lower[1]))
    return distance / scale if scale else 0.0


def units_compatible(metric: str, a: str | None, b: str | None) -> bool:
    if a is None or b is None or a.casefold() == b.casefold():
        return True
    return metric in _LABEL_UNIT_METRICS


def times_compatible(a: str | None, b: str | None) -> bool:
    """``None`` fits anything; ``2025`` fits ``2025-03``; ``2024`` does not fit ``2025``."""
    if not a or not b:
        return True
    a, b = a.casefold(), b.casefold()
    return a.startswith(b) or b.startswith(a)


def _qualifier_key(q: str | None) -> str:
    return (q or "").casefold().strip()


# --- clustering ----------------------------------------------------------------------------


def _mention_sort_key(m: Mention) -> tuple[object, ...]:
    lo, hi = effective_interval(m.value_low, m.value_high, m.hedge, 0.0)
    return (m.is_plan, _qualifier_key(m.qualifier), lo, hi, m.time or "", m.unit or "",
            m.source_key, m.start, m.claim_id)


def _fits(metric: str, m: Mention, other: Mention, tolerance: float) -> bool:
    if m.is_plan != other.is_plan or _qualifier_key(m.qualifier) != _qualifier_key(other.qualifier):
        return False
    if not units_compatible(metric, m.unit, other.unit) or not times_compatible(m.time, other.time):
        return False
    a = effective_interval(m.value_low, m.value_high, m.hedge, tolerance)
    b = effective_interval(other.value_low, other.value_high, other.hedge, tolerance)
    return relative_gap(a, b) <= tolerance


def cluster(metric: str, mentions: Sequence[Mention], tolerance: float) -> list[list[Mention]]:
    """Partition ``mentions`` (one subject and metric) into groups of one fact.

    Complete linkage over a content order: a mention joins the first group all of whose
    members it fits, so a chain 100, 108, 116 does not drift into one group.
    """
    groups: list[list[Mention]] = []
    for m in sorted(mentions, key=_mention_sort_key):
        for group in groups:
            if all(_fits(metric, m, other, tolerance) for other in group):
                group.append(m)
                break
        else:
            groups.append([m])
    return groups


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
    times = sorted({m.time for m in members if m.time}, key=lambda t: (-len(t), t))
    return GroupValue(
        is_plan=members[0].is_plan,
        qualifier=members[0].qualifier,
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


# --- persistence -----------------------------------------------------------------------------


def regroup(session: Session, subject_id: int, metric: str, tolerance: float) -> None:
    """Recompute the groups and contradictions of one ``(subject, metric)`` bucket.

    Only that bucket's rows are read (index ``ix_claims_subject_metric_observed``). Groups whose
    membership did not change keep their id.
    """
    from storage.contradictions import refresh_contradictions

    rows = session.execute(bucket_query(subject_id, metric)).all()
    by_id = {row.id: row for row, _, _ in rows}
    mentions = [
        Mention(
            claim_id=row.id,
            source_id=dup or row.article_id,
            source_key=canonical,
            is_plan=row.is_plan,
            qualifier=row.qualifier,
            unit=row.unit,
            time=row.time,
            value_low=row.value_low,
            value_high=row.value_high,
            hedge=row.hedge,
            observed_at=row.observed_at,
            start=row.start,
        )
        for row, canonical, dup in rows
        if row.value_low is not None or row.value_high is not None
    ]
    existing: dict[frozenset[int], int] = {}
    members_of: dict[int, set[int]] = {}
    for row in by_id.values():
        if row.group_id is not None:
            members_of.setdefault(row.group_id, set()).add(row.id)
    for group_id, ids in members_of.items():
        existing[frozenset(ids)] = group_id
    group_rows = {
        g.id: g
        for g in session.scalars(
            select(ClaimGroupRow).where(ClaimGroupRow.subject_id == subject_id, ClaimGroupRow.metric == metric)
        )
    }
    kept: list[ClaimGroupRow] = []
    assignment: dict[int, ClaimGroupRow] = {}
    for members in cluster(metric, mentions, tolerance):
        member_ids = [m.claim_id for m in members]
        kept_id = existing.pop(frozenset(member_ids), None)
        grow = group_rows.pop(kept_id, None) if kept_id is not None else None
        if grow is None:
            grow = ClaimGroupRow(subject_id=subject_id, metric=metric)
            session.add(grow)
        _assign(grow, summarize(members))
        kept.append(grow)
        assignment.update((claim_id, grow) for claim_id in member_ids)
    session.flush()
    for claim_id, row in by_id.items():
        target = assignment.get(claim_id)
        target_id = target.id if target is not None else None
        if row.group_id != target_id:
            row.group_id = target_id
    session.flush()
    # Groups nobody belongs to any more go (their contradictions cascade with them).
    for orphan in group_rows.values():
        session.delete(orphan)
    session.flush()
    refresh_contradictions(session, subject_id, metric, kept, tolerance)


def _assign(row: ClaimGroupRow, value: GroupValue) -> None:
    row.is_plan = value.is_plan
    row.qualifier = value.qualifier
    row.unit = value.unit
    row.time = value.time
    row.value_low = value.value_low
    row.value_high = value.value_high
    row.hedge = value.hedge
    row.first_seen_at = value.first_seen_at
    row.last_seen_at = value.last_seen_at
    row.mention_count = value.mention_count
    row.source_count = value.source_count


# --- queries -----------------------------------------------------------------------------------


def load_group_views(session: Session, group_ids: set[int] | Sequence[int]) -> dict[int, ClaimGroupView]:
    """Views of the given groups with their sources (index ``ix_claims_group_id``)."""
    ids = sorted(set(group_ids))
    if not ids:
        return {}
    groups = session.execute(
        select(ClaimGroupRow, EntityRow.name)
        .join(EntityRow, EntityRow.id == ClaimGroupRow.subject_id)
        .where(ClaimGroupRow.id.in_(ids))
    ).all()
    sources: dict[int, list[SourceView]] = {}
    speaker = aliased(EntityRow)
    rows = session.execute(
        select(ClaimRow.group_id, ClaimRow.sentence, ClaimRow.modality, speaker.name, ArticleRow)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(speaker, speaker.id == ClaimRow.speaker_id)
        .where(ClaimRow.group_id.in_(ids))
        .order_by(ClaimRow.group_id, ClaimRow.observed_at, ArticleRow.canonical_url, ClaimRow.start)
    )
    for group_id, sentence, modality, speaker_name, article in rows:
        if group_id is None:
            continue
        sources.setdefault(group_id, []).append(
            SourceView(
                article_id=article.id,
                url=article.url,
                title=article.title,
                site_name=article.site_name,
                published_at=article.published_at,
                sentence=sentence,
                duplicate_of=article.duplicate_of,
                modality=modality,
                speaker=speaker_name,
            )
        )
    return {
        g.id: ClaimGroupView(
            id=g.id,
            subject=name,
            metric=g.metric,
            qualifier=g.qualifier,
            is_plan=g.is_plan,
            value_low=g.value_low,
            value_high=g.value_high,
            unit=g.unit,
            hedge=g.hedge,
            time=g.time,
            first_seen_at=g.first_seen_at,
            last_seen_at=g.last_seen_at,
            mention_count=g.mention_count,
            source_count=g.source_count,
            sources=tuple(sources.get(g.id, ())),
        )
        for g, name in groups
    }


def _since(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=UTC)


def list_claim_groups(
    store: Store,
    *,
    subject: str | None = None,
    metric: str | None = None,
    since: date | datetime | None = None,
    limit: int | None = None,
) -> list[ClaimGroupView]:
    """Groups with their sources, most recently seen first; ``subject`` matches through
    aliases, case-insensitively; ``since`` keeps groups seen on or after that day."""
    with store.session() as session:
        entity_id = None
        if subject is not None:
            entity_id = find_entity_id(session, subject)
            if entity_id is None:
                return []
        query = groups_query(entity_id, metric, since, limit)
        ids = list(session.scalars(query))
        views = load_group_views(session, ids)
        return [views[i] for i in ids]


def groups_query(
    subject_id: int | None, metric: str | None, since: date | datetime | None, limit: int | None
) -> Select[int]:
    """The statement behind :func:`list_claim_groups` (ids, newest first)."""
    query = select(ClaimGroupRow.id)
    if subject_id is not None:
        query = query.where(ClaimGroupRow.subject_id == subject_id)
    if metric is not None:
        query = query.where(ClaimGroupRow.metric == metric)
    if since is not None:
        query = query.where(ClaimGroupRow.last_seen_at >= _since(since))
    query = query.order_by(ClaimGroupRow.last_seen_at.desc(), ClaimGroupRow.id.desc())
    return query.limit(limit) if limit is not None else query


def bucket_query(subject_id: int, metric: str) -> Select[ClaimRow, str, int | None]:
    """One ``(subject, metric)`` bucket's claims: all that regrouping ever reads."""
    return (
        select(ClaimRow, ArticleRow.canonical_url, ArticleRow.duplicate_of)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(ClaimRow.subject_id == subject_id, ClaimRow.metric == metric)
    )


def entity_timeline(store: Store, name: str) -> list[ClaimGroupView]:
    """Every figure known about an entity (one view per group, all metrics), oldest first:
    by stated time scope when there is one, else by first publication."""
    with store.session() as session:
        entity_id = find_entity_id(session, name)
        if entity_id is None:
            return []
        ids = list(
            session.scalars(select(ClaimGroupRow.id).where(ClaimGroupRow.subject_id == entity_id))
        )
        views = load_group_views(session, ids)
        return sorted(
            views.values(),
            key=lambda v: (v.time or v.first_seen_at.date().isoformat(), v.first_seen_at, v.metric, v.id),
        )


def count_groups(store: Store) -> int:
    """How many claim groups exist (for ``veille stats``)."""
    with store.session() as session:
        return int(session.scalar(select(func.count(ClaimGroupRow.id))) or 0)


def group_views(store: Store, group_ids: set[int] | Sequence[int]) -> list[ClaimGroupView]:
    """The given groups with all their sources, in id order (the digest's facts)."""
    with store.session() as session:
        views = load_group_views(session, group_ids)
        return [views[i] for i in sorted(views)]


def part_parents(store: Store) -> dict[str, str]:
    """Each entity that is part of another (``part_of`` in the entity table) -> its whole."""
    return {}
