"""Articles and the claims extracted from them, written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import logging
from datetime import datetime

from sqlalchemy import Select, String, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config.errors import StorageError
from extractors.claims import Claim
from extractors.entities import NameCount
from storage import dedup
from storage.claims import ClaimView, claims_of_articles
from storage.db import Store
from storage.entities import resolve_entity_ids, root_id
from storage.groups import regroup
from storage.locks import lock_named, retrying
from storage.models import (
    ArticleBandRow,
    ArticleEntityRow,
    ArticleRow,
    ArticleSignatureRow,
    ArticleVersionRow,
    ClaimRow,
    EntityRow,
)

log = logging.getLogger(__name__)
STATUSES = ("ok", "summary_only", "skipped")
def _length(column: str) -> int:
    kind = ArticleRow.__table__.c[column].type
    assert isinstance(kind, String) and kind.length is not None
    return kind.length


MAX_URL = _length("canonical_url")
MAX_NAME = _length("author")
"""Column sizes of ``articles``: a longer URL is refused, a longer author or site name cut."""


def _clip(value: str | None, size: int) -> str | None:
    return value if value is None or len(value) <= size else value[: size - 1] + "…"


@dataclass(frozen=True, slots=True)
class NewArticle:
    url: str
    canonical_url: str
    guid: str | None
    feed_id: int | None
    title: str | None
    author: str | None
    site_name: str | None
    published_at: datetime | None
    fetched_at: datetime
    lang: str | None
    text: str
    summary: str | None
    content_hash: str
    status: str = "ok"
    """``ok``, ``summary_only`` (only the feed's summary could be read) or ``skipped``."""
    skip_reason: str | None = None
    entry_fingerprint: str | None = None
    """What the feed said about the entry; a different one next time means the page changed."""
    revision: bool = False
    """The page of an article already stored, fetched again: a new text becomes a new version."""


@dataclass(frozen=True, slots=True)
class AddResult:
    article_id: int
    duplicate_of: int | None
    created: bool
    claim_count: int
    revised: bool = False
    """The stored article's text changed: the old one is kept as a version, new claims stored."""


@dataclass(frozen=True, slots=True)
class ArticleView:
    id: int
    url: str
    title: str | None
    site_name: str | None
    published_at: datetime | None
    fetched_at: datetime
    lang: str | None
    summary: str | None
    status: str
    duplicate_of: int | None
    claims: tuple[ClaimView, ...]
    canonical_url: str = ""
    feed_id: int | None = None
    author: str | None = None
    text: str | None = None
    """Only filled by :func:`get_article` (lists leave it out)."""
    entities: tuple[NamedEntity, ...] = ()


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """An entity an article names, and how many times."""

    name: str
    kind: str | None
    mentions: int


def article_exists(store: Store, *, canonical_url: str, guid: str | None = None) -> bool:
    """Is an article with this canonical URL (or this feed GUID) already stored?"""
    with store.session() as session:
        return _existing(session, canonical_url, guid) is not None


def _existing(session: Session, canonical_url: str, guid: str | None) -> ArticleRow | None:
    return session.scalars(existing_query(canonical_url, guid)).first()


def existing_query(canonical_url: str, guid: str | None) -> Select[ArticleRow]:
    """The article stored under this canonical URL or GUID (two unique indexes)."""
    condition = ArticleRow.canonical_url == canonical_url
    if guid:
        condition = or_(condition, ArticleRow.guid == guid)
    return select(ArticleRow).where(condition).order_by(ArticleRow.id).limit(1)


def same_hash_query(content_hash: str) -> Select[int]:
    """The original of the first article with this exact content (index on content_hash)."""
    return (
        select(func.coalesce(ArticleRow.duplicate_of, ArticleRow.id))
        .where(ArticleRow.content_hash == content_hash)
        .order_by(ArticleRow.id)
        .limit(1)
    )


def between_query(start: datetime, end: datetime) -> Select[ArticleRow]:
    """The statement behind :func:`articles_between` (index on fetched_at)."""
    return (
        select(ArticleRow)
        .where(ArticleRow.fetched_at >= start, ArticleRow.fetched_at < end)
        .order_by(ArticleRow.fetched_at, ArticleRow.id)
    )


def add_article(
    store: Store, article: NewArticle, claims: Sequence[Claim], *, tolerance: float = 0.10,
    entities: Sequence[NameCount] = (),
) -> AddResult:
    """Store an article with its entities and claims, then regroup the touched facts and
    refresh their contradictions, all in ONE transaction. ``entities`` are the names the article
    mentions (``extractors.entities.count_mentions``); a claim's subject or speaker counts too.
    The full-text index follows the article in the same transaction (migration 0005).

    Already stored (same canonical URL or GUID): nothing is written, ``created=False``. Same
    content hash, or a near-duplicate text (MinHash): stored with ``duplicate_of`` set, and its
    claims do not count as independent sources.
    """
    if article.status not in STATUSES:
        raise StorageError(f"article {article.canonical_url}: unknown status {article.status!r}")
    for name in ("url", "canonical_url", "guid"):
        value = getattr(article, name)
        if value is not None and len(value) > MAX_URL:
            # one rule on every engine (SQLite would store it, PostgreSQL would refuse it)
            raise StorageError(f"article {value[:80]}…: {name} longer than {MAX_URL} characters")

    def attempt() -> AddResult:
        try:
            with store.session() as session:
                return _add(session, article, claims, tolerance, entities)
        except StorageError as exc:
            # Another writer stored the same URL between our check and our insert.
            if isinstance(exc.__cause__, IntegrityError):
                with store.session() as session:
                    found = _existing(session, article.canonical_url, article.guid)
                    if found is not None:
                        return _already(session, found)
            raise

    return retrying(f"article {article.canonical_url[:120]}", attempt, unique=True)


def _already(session: Session, row: ArticleRow) -> AddResult:
    count = session.scalar(select(func.count(ClaimRow.id)).where(ClaimRow.article_id == row.id))
    return AddResult(article_id=row.id, duplicate_of=row.duplicate_of, created=False, claim_count=int(count or 0))


def _add(
    session: Session, article: NewArticle, claims: Sequence[Claim], tolerance: float,
    entities: Sequence[NameCount],
) -> AddResult:
    found = _existing(session, article.canonical_url, article.guid)
    if found is not None:
        return _revise(session, found, article, claims, tolerance, entities) \
            if article.revision else _already(session, found)
    duplicate_of = session.scalar(same_hash_query(article.content_hash))
    sig = dedup.signature(article.text) if article.text else None
    if duplicate_of is None and sig is not None:
        duplicate_of = dedup.find_near_duplicate(session, sig)
    row = ArticleRow(
        url=article.url,
        canonical_url=article.canonical_url,
        guid=article.guid or None,
        feed_id=article.feed_id,
        title=article.title,
        author=_clip(article.author, MAX_NAME),
        site_name=_clip(article.site_name, MAX_NAME),
        published_at=article.published_at,
        fetched_at=article.fetched_at,
        lang=article.lang,
        text=article.text,
        summary=article.summary,
        content_hash=article.content_hash,
        duplicate_of=duplicate_of,
        status=article.status,
        skip_reason=article.skip_reason,
        entry_fingerprint=article.entry_fingerprint,
        version=1,
    )
    session.add(row)
    session.flush()
    if sig is not None:
        dedup.store_signature(session, row.id, sig)
    buckets = _insert_claims(session, row.id, article.published_at or article.fetched_at, claims, entities)
    for subject_id, metric in sorted(buckets):
        regroup(session, subject_id, metric, tolerance)
    return AddResult(article_id=row.id, duplicate_of=duplicate_of, created=True, claim_count=len(claims))


def _revise(
    session: Session, row: ArticleRow, article: NewArticle, claims: Sequence[Claim], tolerance: float,
    entities: Sequence[NameCount] = (),
) -> AddResult:
    """The page of a stored article read again. Same text: only the entry fingerprint moves.
    A new text: the old one becomes an ``article_versions`` row keeping its claims, the new
    claims are stored and every touched bucket is regrouped (so a changed figure updates the
    fact and its contradictions instead of overwriting it silently)."""
    row.entry_fingerprint = article.entry_fingerprint
    if row.content_hash == article.content_hash:
        session.flush()
        return _already(session, row)
    lock_named(session, f"veille:article:{row.id}")
    session.refresh(row)
    old = ArticleVersionRow(
        article_id=row.id, version=row.version or 1, title=row.title, text=row.text, summary=row.summary,
        content_hash=row.content_hash, fetched_at=row.fetched_at, replaced_at=article.fetched_at,
    )
    session.add(old)
    session.flush()
    buckets: set[tuple[int, str]] = set()
    superseded = 0
    for claim in session.scalars(select(ClaimRow).where(ClaimRow.article_id == row.id, ClaimRow.version_id.is_(None))):
        claim.version_id = old.id
        claim.group_id = None
        superseded += 1
        if claim.subject_id is not None:
            buckets.add((root_id(session, claim.subject_id), claim.metric))  # a part's facts are its whole's
    row.url = article.url
    row.title = article.title
    row.text = article.text
    row.summary = article.summary
    row.content_hash = article.content_hash
    row.fetched_at = article.fetched_at
    row.lang = article.lang
    row.status = article.status
    row.skip_reason = article.skip_reason
    row.version = (row.version or 1) + 1
    if article.author:
        row.author = _clip(article.author, MAX_NAME)
    session.execute(delete(ArticleSignatureRow).where(ArticleSignatureRow.article_id == row.id))
    session.execute(delete(ArticleBandRow).where(ArticleBandRow.article_id == row.id))
    session.execute(delete(ArticleEntityRow).where(ArticleEntityRow.article_id == row.id))  # the new text's names
    session.flush()
    sig = dedup.signature(article.text) if article.text else None
    if sig is not None:
        dedup.store_signature(session, row.id, sig)
    buckets |= _insert_claims(session, row.id, row.published_at or article.fetched_at, claims, entities)
    for subject_id, metric in sorted(buckets):
        regroup(session, subject_id, metric, tolerance)
    log.info(
        "article %s changed: version %d kept with its %d claim(s), version %d stored with %d claim(s)",
        row.canonical_url[:200], old.version, superseded, row.version, len(claims),
    )
    return AddResult(article_id=row.id, duplicate_of=row.duplicate_of, created=False, claim_count=len(claims), revised=True)


def _insert_claims(
    session: Session, article_id: int, observed_at: datetime, claims: Sequence[Claim],
    entities: Sequence[NameCount] = (),
) -> set[tuple[int, str]]:
    names = {n for c in claims for n in (c.subject, c.speaker) if n} | {e.name for e in entities}
    entity_ids = resolve_entity_ids(session, sorted(names))
    _store_entities(session, article_id, entities, claims, entity_ids)
    buckets: set[tuple[int, str]] = set()
    roots: dict[int, int] = {}
    for claim in claims:
        subject_id = entity_ids.get(claim.subject) if claim.subject else None
        session.add(
            ClaimRow(
                article_id=article_id,
                subject_id=subject_id,
                speaker_id=entity_ids.get(claim.speaker) if claim.speaker else None,
                metric=claim.metric,
                qualifier=claim.qualifier,
                value_low=claim.value_low,
                value_high=claim.value_high,
                unit=claim.unit,
                hedge=claim.hedge,
                time=claim.time,
                probability=claim.probability,
                sentence=claim.sentence,
                start=claim.start,
                end=claim.end,
                lang=claim.lang,
                is_plan=claim.is_plan,
                modality=claim.modality,
                currency_implied=claim.currency_implied,
                observed_at=observed_at,
            )
        )
        if subject_id is not None:
            if subject_id not in roots:
                roots[subject_id] = root_id(session, subject_id)
            buckets.add((roots[subject_id], claim.metric))  # a part's facts are its whole's bucket
    session.flush()
    return buckets


def is_stale(store: Store, *, canonical_url: str, guid: str | None, fingerprint: str) -> bool:
    """Is an article stored under this URL or GUID whose feed entry looked different
    (``fingerprint``)? Such a page is fetched again (articles stored before fingerprints were
    kept count as stale once)."""
    with store.session() as session:
        row = _existing(session, canonical_url, guid)
        return row is not None and row.entry_fingerprint != fingerprint


@dataclass(frozen=True, slots=True)
class VersionView:
    version: int
    title: str | None
    content_hash: str
    fetched_at: datetime
    replaced_at: datetime | None
    """``None`` for the current text."""
    claims: tuple[ClaimView, ...]


def article_versions(store: Store, canonical_url: str) -> list[VersionView]:
    """Every text an article had, oldest first, each with the claims read from it."""
    with store.session() as session:
        row = _existing(session, canonical_url, None)
        if row is None:
            return []
        claims = claims_of_articles(session, [row.id], all_versions=True)[row.id]
        old = list(session.scalars(
            select(ArticleVersionRow).where(ArticleVersionRow.article_id == row.id).order_by(ArticleVersionRow.version)
        ))
        views = [
            VersionView(v.version, v.title, v.content_hash, v.fetched_at, v.replaced_at,
                        tuple(c for c in claims if c.version_id == v.id))
            for v in old
        ]
        views.append(VersionView(row.version or 1, row.title, row.content_hash, row.fetched_at, None,
                                 tuple(c for c in claims if c.version_id is None)))
        return views


def _store_entities(
    session: Session, article_id: int, entities: Sequence[NameCount], claims: Sequence[Claim],
    entity_ids: dict[str, int],
) -> None:
    counts: dict[int, int] = {}
    for named in entities:
        if named.name in entity_ids:
            entity_id = entity_ids[named.name]
            counts[entity_id] = counts.get(entity_id, 0) + named.mentions
    for name in {n for c in claims for n in (c.subject, c.speaker) if n}:
        if name in entity_ids:
            counts.setdefault(entity_ids[name], 1)
    for named in entities:  # a name first met here gets the kind its mention was found as
        if named.name in entity_ids:
            session.execute(
                update(EntityRow)
                .where(EntityRow.id == entity_ids[named.name], EntityRow.kind.is_(None))
                .values(kind=named.kind)
            )
    session.add_all(
        ArticleEntityRow(article_id=article_id, entity_id=e, mentions=n) for e, n in sorted(counts.items())
    )


def get_article(store: Store, article_id: int) -> ArticleView | None:
    """One article with its text, its claims in text order and the entities it names."""
    with store.session() as session:
        row = session.get(ArticleRow, article_id)
        if row is None:
            return None
        claims = claims_of_articles(session, [row.id])[row.id]
        named = session.execute(
            select(EntityRow.name, EntityRow.kind, ArticleEntityRow.mentions)
            .join(EntityRow, EntityRow.id == ArticleEntityRow.entity_id)
            .where(ArticleEntityRow.article_id == row.id)
            .order_by(ArticleEntityRow.mentions.desc(), EntityRow.name)
        )
        return article_view(row, claims, text=row.text,
                            entities=tuple(NamedEntity(n, k, m) for n, k, m in named))


def article_view(
    row: ArticleRow, claims: Sequence[ClaimView] = (), *, text: str | None = None,
    entities: tuple[NamedEntity, ...] = (),
) -> ArticleView:
    """The view of a row (storage modules only)."""
    return ArticleView(
        id=row.id, url=row.url, title=row.title, site_name=row.site_name,
        published_at=row.published_at, fetched_at=row.fetched_at, lang=row.lang,
        summary=row.summary, status=row.status, duplicate_of=row.duplicate_of,
        claims=tuple(claims), canonical_url=row.canonical_url, feed_id=row.feed_id,
        author=row.author, text=text, entities=entities,
    )


def articles_between(store: Store, start: datetime, end: datetime) -> list[ArticleView]:
    """Articles fetched in ``[start, end)``, oldest first, each with its claims (the digest)."""
    with store.session() as session:
        rows = list(session.scalars(between_query(start, end)))
        claims = claims_of_articles(session, [r.id for r in rows])
        return [
            ArticleView(
                id=r.id,
                url=r.url,
                title=r.title,
                site_name=r.site_name,
                published_at=r.published_at,
                fetched_at=r.fetched_at,
                lang=r.lang,
                summary=r.summary,
                status=r.status,
                duplicate_of=r.duplicate_of,
                claims=tuple(claims[r.id]),
                canonical_url=r.canonical_url,
                feed_id=r.feed_id,
            )
            for r in rows
        ]


def count_articles(store: Store) -> int:
    """How many articles are stored (for ``veille stats``)."""
    with store.session() as session:
        return int(session.scalar(select(func.count(ArticleRow.id))) or 0)
