"""Feeds and their fetch state (conditional-GET headers, schedule, error counters)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select

from config.errors import StorageError
from config.settings import FeedConfig
from storage.db import Store
from storage.models import ArticleRow, FeedRow


@dataclass(frozen=True, slots=True)
class FeedState:
    id: int
    url: str
    name: str | None
    lang: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    ignore_cache_headers: bool
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    consecutive_errors: int
    disabled: bool
    disabled_reason: str | None
    mean_interval_s: float | None


@dataclass(frozen=True, slots=True)
class PollUpdate:
    """The outcome of one poll, as the scheduler wants it recorded."""

    polled_at: datetime
    next_poll_at: datetime
    ok: bool
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    new_url: str | None = None
    """A permanent redirect: the feed is known by this URL from now on."""
    disable_reason: str | None = None
    """Set to stop polling the feed (410 Gone, too many errors ...)."""
    mean_interval_s: float | None = None


@dataclass(frozen=True, slots=True)
class FeedSummary:
    state: FeedState
    article_count: int


def _state(row: FeedRow) -> FeedState:
    return FeedState(
        id=row.id,
        url=row.url,
        name=row.name,
        lang=row.lang,
        etag=row.etag,
        last_modified=row.last_modified,
        body_hash=row.body_hash,
        ignore_cache_headers=row.ignore_cache_headers,
        next_poll_at=row.next_poll_at,
        last_polled_at=row.last_polled_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        consecutive_errors=row.consecutive_errors,
        disabled=row.disabled,
        disabled_reason=row.disabled_reason,
        mean_interval_s=row.mean_interval_s,
    )


def sync_feeds(store: Store, feeds: Sequence[FeedConfig]) -> list[FeedState]:
    """Insert feeds not yet known (by URL), refresh name/lang/switches of known ones.

    Returns their states in the order given. Feeds absent from ``feeds`` are left untouched
    (their history stays; ``due_feeds(urls=...)`` is how a run is narrowed).
    """
    urls = [f.url for f in feeds]
    with store.session() as session:
        existing = {
            row.url: row for row in session.scalars(select(FeedRow).where(FeedRow.url.in_(urls)))
        } if urls else {}
        rows: list[FeedRow] = []
        for feed in feeds:
            row = existing.get(feed.url)
            if row is None:
                row = FeedRow(
                    url=feed.url,
                    consecutive_errors=0,
                    disabled=False,
                    ignore_cache_headers=feed.ignore_cache_headers,
                )
                session.add(row)
                existing[feed.url] = row
            row.name = feed.name if feed.name is not None else row.name
            row.lang = feed.lang if feed.lang is not None else row.lang
            row.ignore_cache_headers = feed.ignore_cache_headers
            rows.append(row)
        session.flush()
        return [_state(row) for row in rows]


def due_feeds(store: Store, now: datetime, *, urls: Sequence[str] | None = None) -> list[FeedState]:
    """Feeds to poll at ``now``: enabled and never polled or past ``next_poll_at``.

    With ``urls``: exactly those feeds that are known, due or not, disabled or not (a manual
    ``veille run --feed URL``), in the order given.
    """
    with store.session() as session:
        if urls is not None:
            found = {
                row.url: row for row in session.scalars(select(FeedRow).where(FeedRow.url.in_(list(urls))))
            } if urls else {}
            return [_state(found[u]) for u in urls if u in found]
        return [_state(row) for row in session.scalars(due_query(now))]


def due_query(now: datetime) -> Select[FeedRow]:
    """The statement behind :func:`due_feeds` (index ``ix_feeds_disabled_next_poll_at``)."""
    return (
        select(FeedRow)
        .where(FeedRow.disabled.is_(False))
        .where(or_(FeedRow.next_poll_at.is_(None), FeedRow.next_poll_at <= now))
        .order_by(FeedRow.next_poll_at.is_not(None), FeedRow.next_poll_at, FeedRow.id)
    )


def record_poll(store: Store, feed_id: int, update: PollUpdate) -> FeedState:
    """Store one poll's outcome; ``None`` cache fields keep their previous values."""
    with store.session() as session:
        row = session.get(FeedRow, feed_id)
        if row is None:
            raise StorageError(f"database {store.safe_url}: no feed with id {feed_id}")
        row.last_polled_at = update.polled_at
        row.next_poll_at = update.next_poll_at
        if update.ok:
            row.consecutive_errors = 0
            row.last_success_at = update.polled_at
            row.last_error = None
        else:
            row.consecutive_errors = (row.consecutive_errors or 0) + 1
            row.last_error = update.error or "unknown error"
        if update.etag is not None:
            row.etag = update.etag
        if update.last_modified is not None:
            row.last_modified = update.last_modified
        if update.body_hash is not None:
            row.body_hash = update.body_hash
        if update.mean_interval_s is not None:
            row.mean_interval_s = update.mean_interval_s
        if update.disable_reason is not None:
            row.disabled = True
            row.disabled_reason = update.disable_reason
        if update.new_url is not None and update.new_url != row.url:
            clash = session.scalar(select(FeedRow.id).where(FeedRow.url == update.new_url))
            if clash is None:
                row.url = update.new_url
            else:
                # The redirect target is already a feed of its own: keep one poller for it.
                row.disabled = True
                row.disabled_reason = f"redirects to {update.new_url}, already a feed"
        session.flush()
        return _state(row)


def enable_feed(store: Store, url: str) -> FeedState:
    """Re-enable a disabled feed and clear its error counter (``veille feeds enable``)."""
    with store.session() as session:
        row = session.scalar(select(FeedRow).where(FeedRow.url == url))
        if row is None:
            raise StorageError(f"database {store.safe_url}: no feed with url {url}")
        row.disabled = False
        row.disabled_reason = None
        row.consecutive_errors = 0
        row.next_poll_at = None
        session.flush()
        return _state(row)


def list_feeds(store: Store) -> list[FeedSummary]:
    """Every feed with how many articles it brought, by URL."""
    with store.session() as session:
        counts: dict[int | None, int] = {
            k: v for k, v in session.execute(
                select(ArticleRow.feed_id, func.count(ArticleRow.id))
                .where(ArticleRow.feed_id.is_not(None))
                .group_by(ArticleRow.feed_id)
            )
        }
        rows = session.scalars(select(FeedRow).order_by(FeedRow.url))
        return [FeedSummary(state=_state(r), article_count=int(counts.get(r.id, 0))) for r in rows]
