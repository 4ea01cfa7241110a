"""The read paths of the web pages and the JSON API: keyset pages over facts, contradictions
and articles, what was learnt since a moment, an entity's parts.

Every list is a :class:`Page`: its items and an opaque cursor for the next page (``None`` at
the end). A cursor holds the sort key of the last item, never an offset, so page 1,000 costs
what page 1 costs (one index range scan).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.orm import Session, defer

from storage.articles import ArticleView, article_view
from storage.contradictions import ContradictionView, contradictions_query
from storage.db import Store
from storage.entities import EntityView, find_entity_id, root_id, subject_ids, tree_ids
from storage.groups import ClaimGroupView, groups_query, load_group_views, timeline_of
from storage.models import (
    ArticleEntityRow,
    ArticleRow,
    ClaimGroupRow,
    ClaimRow,
    ContradictionRow,
    EntityAliasRow,
    EntityRow,
    FeedRow,
    UTCDateTime,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next: str | None
    """Cursor of the following page, ``None`` on the last one."""


def encode_cursor(*key: Any) -> str:
    """An opaque, URL-safe cursor for a sort key (datetimes as ISO strings)."""
    plain = [k.isoformat() if isinstance(k, datetime) else k for k in key]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: Sequence[type]) -> tuple[Any, ...]:
    """The sort key a cursor holds, checked against ``kinds``; ``ValueError`` if it is not one."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        raise ValueError("not a cursor this list gave") from None
    if not isinstance(raw, list) or len(raw) != len(kinds):
        raise ValueError("not a cursor this list gave")
    out: list[Any] = []
    for value, kind in zip(raw, kinds, strict=True):
        if kind is datetime and isinstance(value, str):
            try:
                out.append(datetime.fromisoformat(value))
            except ValueError:
                raise ValueError("not a cursor this list gave") from None
        elif kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(float(value))
        elif kind is int and isinstance(value, int) and not isinstance(value, bool):
            out.append(value)
        else:
            raise ValueError("not a cursor this list gave")
    return tuple(out)


def day_start(day: date | datetime) -> datetime:
    return day if isinstance(day, datetime) else datetime.combine(day, time.min, tzinfo=UTC)


def _page(items: list[T], limit: int, key: Any) -> Page[T]:
    if len(items) <= limit:
        return Page(tuple(items), None)
    kept = items[:limit]
    return Page(tuple(kept), encode_cursor(*key(kept[-1])))


def facts_page(
    store: Store, *, subject: str | None = None, metric: str | None = None,
    since: date | datetime | None = None, limit: int = 50, cursor: str | None = None,
) -> Page[ClaimGroupView]:
    """Facts (claim groups) as ``veille claims`` lists them, most recently seen first."""
    after = decode_cursor(cursor, (datetime, int)) if cursor else None
    with store.session() as session:
        entity_ids: list[int] | None = None
        if subject is not None:
            entity_ids = subject_ids(session, subject)  # a whole's facts and its parts', as `veille claims`
            if entity_ids is None:
                return Page((), None)
        query = groups_query(entity_ids, metric, since, None)
        if after is not None:
            query = query.where(
                tuple_(ClaimGroupRow.last_seen_at, ClaimGroupRow.id)
                < tuple_(literal(after[0], UTCDateTime()), literal(after[1]))
            )
        ids = list(session.scalars(query.limit(limit + 1)))
        views = load_group_views(session, ids)
        return _page([views[i] for i in ids], limit, lambda g: (g.last_seen_at, g.id))


def contradictions_page(
    store: Store, *, kind: str | None = None, subject: str | None = None, metric: str | None = None,
    since: datetime | None = None, limit: int = 50, cursor: str | None = None,
) -> Page[ContradictionView]:
    """Contradictions as ``veille contradictions`` lists them, most recently detected first."""
    after = decode_cursor(cursor, (datetime, int)) if cursor else None
    with store.session() as session:
        entity_ids: list[int] | None = None
        if subject is not None:
            tree = subject_ids(session, subject)
            if tree is None:
                return Page((), None)
            # a part's contradictions are stored under its topmost whole, as `veille contradictions` reads them
            entity_ids = sorted({root_id(session, tree[0]), *tree})
        query = contradictions_query(kind, entity_ids, metric, since, None)
        if after is not None:
            query = query.where(
                tuple_(ContradictionRow.detected_at, ContradictionRow.id)
                < tuple_(literal(after[0], UTCDateTime()), literal(after[1]))
            )
        rows = list(session.scalars(query.limit(limit + 1)))
        return _page(_contradiction_views(session, rows), limit, lambda c: (c.detected_at, c.id))


def _contradiction_views(
    session: Session, rows: Sequence[ContradictionRow], known: dict[int, ClaimGroupView] | None = None,
) -> list[ContradictionView]:
    views = dict(known or {})
    wanted = {r.group_a_id for r in rows} | {r.group_b_id for r in rows}
    views.update(load_group_views(session, wanted - set(views)))
    return [
        ContradictionView(
            id=r.id, kind=r.kind, subject=views[r.group_a_id].subject, metric=r.metric,
            qualifier=r.qualifier, gap=r.gap, explanation=r.explanation,
            detected_at=r.detected_at, a=views[r.group_a_id], b=views[r.group_b_id],
        )
        for r in rows
    ]


def articles_page(
    store: Store, *, feed: str | None = None, lang: str | None = None, entity: str | None = None,
    since: date | datetime | None = None, limit: int = 50, cursor: str | None = None,
) -> Page[ArticleView]:
    """Articles, newest stored first, without their text and claims (``get_article`` has them).

    ``feed`` is a feed id or URL; ``entity`` any alias of an entity the article names (index
    ``ix_article_entities_entity_article``); ``since`` keeps articles published (else fetched)
    on or after that day. Unknown feed or entity: an empty page.
    """
    after = decode_cursor(cursor, (int,)) if cursor else None
    with store.session() as session:
        query = articles_query(session, feed=feed, lang=lang, entity=entity, since=since, after=after)
        if query is None:
            return Page((), None)
        rows = list(session.scalars(query.limit(limit + 1)))
        return _page([article_view(r) for r in rows], limit, lambda a: (a.id,))


def articles_query(
    session: Session, *, feed: str | None, lang: str | None, entity: str | None,
    since: date | datetime | None, after: tuple[Any, ...] | None,
) -> Select[ArticleRow] | None:
    """The statement behind :func:`articles_page`; ``None`` when a filter names nothing."""
    query = select(ArticleRow).options(defer(ArticleRow.text))  # lists never show the text
    order = ArticleRow.id
    if entity is not None:
        entity_id = find_entity_id(session, entity)
        if entity_id is None:
            return None
        query = query.join(ArticleEntityRow, ArticleEntityRow.article_id == ArticleRow.id).where(
            ArticleEntityRow.entity_id == entity_id
        )
        order = ArticleEntityRow.article_id
    if feed is not None:
        feed_id = int(feed) if feed.isdigit() else session.scalar(select(FeedRow.id).where(FeedRow.url == feed))
        if feed_id is None:
            return None
        query = query.where(ArticleRow.feed_id == feed_id)
    if lang is not None:
        query = query.where(ArticleRow.lang == lang)
    if since is not None:
        query = query.where(func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at) >= day_start(since))
    if after is not None:
        query = query.where(order < after[0])
    return query.order_by(order.desc())


def facts_learnt_since(store: Store, start: datetime, *, limit: int = 200) -> list[ClaimGroupView]:
    """Facts with a mention in an article fetched at or after ``start``, most recently seen
    first (index on ``articles.fetched_at``): what the home page calls today's new facts."""
    with store.session() as session:
        ids = list(
            session.scalars(
                select(ClaimRow.group_id)
                .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                .where(ArticleRow.fetched_at >= start, ClaimRow.group_id.is_not(None))
                .distinct()
            )
        )
        views = load_group_views(session, [i for i in ids if i is not None])
        ordered = sorted(views.values(), key=lambda g: (g.last_seen_at, g.id), reverse=True)
        return ordered[:limit]


def entity_parts(store: Store, name: str) -> list[str]:
    """Names of the entities that are parts of ``name`` (``entities.part_of_id``, all levels
    down: Colossus for xAI), by name; an unknown name has none."""
    with store.session() as session:
        entity_id = find_entity_id(session, name)
        return _parts(session, entity_id) if entity_id is not None else []


def _parts(session: Session, entity_id: int) -> list[str]:
    below = tree_ids(session, entity_id)[1:]
    if not below:
        return []
    return list(session.scalars(select(EntityRow.name).where(EntityRow.id.in_(below)).order_by(EntityRow.name)))


@dataclass(frozen=True, slots=True)
class EntityOverview:
    """All an entity page shows, read in one transaction."""

    entity: EntityView
    parts: tuple[str, ...]
    facts: tuple[ClaimGroupView, ...]
    """Every fact, as ``entity_timeline`` orders them."""
    contradictions: tuple[ContradictionView, ...]
    articles: tuple[ArticleView, ...]
    """The most recent articles naming it."""


def entity_overview(
    store: Store, name: str, *, contradictions: int = 20, articles: int = 10
) -> EntityOverview | None:
    """The entity ``name`` (any alias) with its facts, parts, latest contradictions and articles."""
    with store.session() as session:
        entity_id = find_entity_id(session, name)
        row = session.get(EntityRow, entity_id) if entity_id is not None else None
        if row is None:
            return None
        aliases = session.scalars(
            select(EntityAliasRow.alias).where(EntityAliasRow.entity_id == row.id).order_by(EntityAliasRow.alias)
        )
        found = list(session.scalars(contradictions_query(None, row.id, None, None, contradictions))) if contradictions else []
        query = select(ArticleRow).options(defer(ArticleRow.text)).join(
            ArticleEntityRow, ArticleEntityRow.article_id == ArticleRow.id
        ).where(ArticleEntityRow.entity_id == row.id).order_by(ArticleEntityRow.article_id.desc()).limit(articles)
        facts = timeline_of(session, row.id)
        return EntityOverview(
            entity=EntityView(id=row.id, name=row.name, kind=row.kind, aliases=tuple(aliases)),
            parts=tuple(_parts(session, row.id)),
            facts=tuple(facts),
            contradictions=tuple(_contradiction_views(session, found, {g.id: g for g in facts})),
            articles=tuple(article_view(r) for r in session.scalars(query)),
        )
