"""Claim groups as stored: load one bucket, let :mod:`facts` decide, save the result.

A bucket is one metric for a whole and all its parts (``entities.part_of_id``): xAI's GPU count
takes in Colossus's. Which mentions form a group, its value, and which groups contradict are
decided by the pure :func:`facts.decide`; this module only reads the bucket's rows and writes
groups (keeping the id of a group whose membership did not change) and contradictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from facts import Bucket, Group, GroupValue, Mention, decide
from facts.parts import path
from storage.db import Store
from storage.entities import entity_nodes, find_entity_id, subject_ids, tree_ids
from storage.locks import lock_bucket
from storage.models import ArticleRow, ClaimGroupRow, ClaimRow, EntityRow

_Speaker = aliased(EntityRow)

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
    subject_id: int = 0
    path: tuple[str, ...] = ()
    """The subject under its wholes, topmost first: ``("xAI", "Colossus")``."""
    modality: str = "stated"

    @property
    def part_of(self) -> str | None:
        """The whole the subject belongs to (``xAI`` for a fact about Colossus)."""
        return self.path[-2] if len(self.path) > 1 else None

    @property
    def label(self) -> str:
        """``xAI › Colossus`` for a part, else the subject."""
        return " › ".join(self.path) if self.path else self.subject


# --- persistence -----------------------------------------------------------------------------


def regroup(session: Session, subject_id: int, metric: str, tolerance: float) -> None:
    """Recompute the groups and contradictions of one bucket: ``metric`` for the whole
    ``subject_id`` (a root, see :func:`storage.entities.root_id`) and all its parts.

    Only that bucket's rows are read (index ``ix_claims_subject_metric_observed``); what they
    mean is decided by :func:`facts.decide`. Groups whose membership did not change keep their id.
    """
    from storage.contradictions import save_contradictions

    lock_bucket(session, subject_id, metric)
    subject_ids = tree_ids(session, subject_id)
    nodes = entity_nodes(session, subject_ids)
    rows = session.execute(bucket_query(subject_ids, metric)).all()
    claim_rows = {row.id: row for row, *_ in rows}
    mentions = tuple(
        Mention(
            claim_id=row.id,
            subject_id=row.subject_id,
            source_id=dup or row.article_id,
            source_key=canonical,
            modality=row.modality,
            qualifier=row.qualifier,
            unit=row.unit,
            time=row.time,
            value_low=row.value_low,
            value_high=row.value_high,
            hedge=row.hedge,
            observed_at=row.observed_at,
            start=row.start,
            speaker=speaker,
            site=site or urlsplit(canonical).hostname or canonical,
        )
        for row, canonical, dup, site, speaker in rows
        if row.subject_id is not None and (row.value_low is not None or row.value_high is not None)
    )
    decided = decide(Bucket(metric=metric, mentions=mentions, nodes=nodes), tolerance)
    saved = _save_groups(session, subject_ids, metric, claim_rows, decided.groups)
    save_contradictions(session, subject_id, metric, saved, decided.contradictions)


def _save_groups(
    session: Session, subject_ids: Sequence[int], metric: str, claim_rows: dict[int, ClaimRow],
    groups: Sequence[Group],
) -> list[ClaimGroupRow]:
    """Write ``groups`` over the bucket's current ones; returns their rows, in order."""
    existing: dict[frozenset[int], int] = {}
    members_of: dict[int, set[int]] = {}
    for row in claim_rows.values():
        if row.group_id is not None:
            members_of.setdefault(row.group_id, set()).add(row.id)
    for group_id, ids in members_of.items():
        existing[frozenset(ids)] = group_id
    group_rows = {
        g.id: g
        for g in session.scalars(
            select(ClaimGroupRow).where(_subject_in(ClaimGroupRow.subject_id, subject_ids),
                                        ClaimGroupRow.metric == metric)
        )
    }
    saved: list[ClaimGroupRow] = []
    assignment: dict[int, ClaimGroupRow] = {}
    for group in groups:
        kept_id = existing.pop(group.claim_ids, None)
        grow = group_rows.pop(kept_id, None) if kept_id is not None else None
        if grow is None:
            grow = ClaimGroupRow(subject_id=group.subject_id, metric=metric)
            session.add(grow)
        grow.subject_id = group.subject_id
        _assign(grow, group.value)
        saved.append(grow)
        assignment.update((claim_id, grow) for claim_id in group.claim_ids)
    session.flush()
    for claim_id, row in claim_rows.items():
        target = assignment.get(claim_id)
        target_id = target.id if target is not None else None
        if row.group_id != target_id:
            row.group_id = target_id
    session.flush()
    # Groups nobody belongs to any more go (their contradictions cascade with them).
    for orphan in group_rows.values():
        session.delete(orphan)
    session.flush()
    return saved


def bucket_metrics(session: Session, subject_ids: Sequence[int]) -> list[str]:
    """The metrics the given subjects have claims for (the buckets they take part in)."""
    return sorted(set(session.scalars(
        select(ClaimRow.metric).where(_subject_in(ClaimRow.subject_id, subject_ids)).distinct()
    )))


def _assign(row: ClaimGroupRow, value: GroupValue) -> None:
    row.is_plan = value.is_plan
    row.modality = value.modality
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
        # columns, not ORM rows: a source shows its title and sentence, never the article's text
        select(ClaimRow.group_id, ClaimRow.sentence, ClaimRow.modality, speaker.name, ArticleRow.id, ArticleRow.url,
               ArticleRow.title, ArticleRow.site_name, ArticleRow.published_at, ArticleRow.duplicate_of)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(speaker, speaker.id == ClaimRow.speaker_id)
        .where(ClaimRow.group_id.in_(ids))
        .order_by(ClaimRow.group_id, ClaimRow.observed_at, ArticleRow.canonical_url, ClaimRow.start)
    )
    for group_id, sentence, modality, speaker_name, article_id, url, title, site_name, published_at, duplicate_of in rows:
        if group_id is None:
            continue
        sources.setdefault(group_id, []).append(
            SourceView(
                article_id=article_id,
                url=url,
                title=title,
                site_name=site_name,
                published_at=published_at,
                sentence=sentence,
                duplicate_of=duplicate_of,
                modality=modality,
                speaker=speaker_name,
            )
        )
    nodes = entity_nodes(session, {g.subject_id for g, _ in groups})
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
            subject_id=g.subject_id,
            path=path(nodes, g.subject_id),
            modality=g.modality,
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
    aliases, case-insensitively, and takes in the subject's parts (``xAI`` lists Colossus's
    facts too); ``since`` keeps groups seen on or after that day."""
    with store.session() as session:
        entity_ids: list[int] | None = None
        if subject is not None:
            entity_ids = subject_ids(session, subject)
            if entity_ids is None:
                return []
        query = groups_query(entity_ids, metric, since, limit)
        ids = list(session.scalars(query))
        views = load_group_views(session, ids)
        return [views[i] for i in ids]


def groups_query(
    subject_ids: int | Sequence[int] | None, metric: str | None, since: date | datetime | None,
    limit: int | None,
) -> Select[int]:
    """The statement behind :func:`list_claim_groups` (ids, newest first)."""
    query = select(ClaimGroupRow.id)
    if isinstance(subject_ids, int):
        subject_ids = [subject_ids]
    if subject_ids is not None:
        query = query.where(_subject_in(ClaimGroupRow.subject_id, subject_ids))
    if metric is not None:
        query = query.where(ClaimGroupRow.metric == metric)
    if since is not None:
        query = query.where(ClaimGroupRow.last_seen_at >= _since(since))
    query = query.order_by(ClaimGroupRow.last_seen_at.desc(), ClaimGroupRow.id.desc())
    return query.limit(limit) if limit is not None else query


def bucket_query(
    subject_ids: int | Sequence[int], metric: str
) -> Select[ClaimRow, str, int | None, str | None, str | None]:
    """One bucket's claims (a whole and its parts, one metric): all that regrouping ever reads
    (claims of an article's older texts, ``version_id`` set, are kept but no longer grouped)."""
    if isinstance(subject_ids, int):
        subject_ids = [subject_ids]
    return (
        select(ClaimRow, ArticleRow.canonical_url, ArticleRow.duplicate_of, ArticleRow.site_name,
               _Speaker.name)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(_Speaker, _Speaker.id == ClaimRow.speaker_id)
        .where(_subject_in(ClaimRow.subject_id, subject_ids), ClaimRow.metric == metric,
               ClaimRow.version_id.is_(None))
    )


def _subject_in(column: Any, ids: Sequence[int]) -> Any:
    return column == ids[0] if len(ids) == 1 else column.in_(list(ids))


def entity_timeline(store: Store, name: str) -> list[ClaimGroupView]:
    """Every figure known about an entity and its parts (one view per group, all metrics),
    oldest first: by stated time scope when there is one, else by first publication."""
    with store.session() as session:
        entity_id = find_entity_id(session, name)
        if entity_id is None:
            return []
        return timeline_of(session, entity_id)


def timeline_of(session: Session, entity_id: int) -> list[ClaimGroupView]:
    """:func:`entity_timeline` inside an open session, for a resolved entity (its parts' facts
    included)."""
    ids = list(session.scalars(
        select(ClaimGroupRow.id).where(_subject_in(ClaimGroupRow.subject_id, tree_ids(session, entity_id)))
    ))
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

