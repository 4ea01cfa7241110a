"""Feeds and their fetch state (conditional-GET headers, schedule, error counters).

A feed's ``origin`` says why it is known: ``config`` (listed in the config file, kept in step by
:func:`sync_feeds`), ``added`` (``veille feeds add`` or an OPML import), ``once`` (a
``veille run --feed URL`` of one run) or ``removed`` (no longer configured, or ``veille feeds
remove``). Only ``config`` and ``added`` feeds are polled; the others keep their articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

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
    origin: str = "config"
    added_at: datetime | None = None
    failing_since: datetime | None = None

    @property
    def polled(self) -> bool:
        """Polled by the daemon: configured or added, and not disabled."""
        return self.origin in POLLED_ORIGINS and not self.disabled


ORIGINS = ("config", "added", "once", "removed")
POLLED_ORIGINS = ("config", "added")
USER_DISABLED = "disabled with `veille feeds disable`"


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
    last_article_at: datetime | None = None
    """When the newest of its articles was fetched (a new entry seen)."""


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
        origin=row.origin or "config",
        added_at=row.added_at,
        failing_since=row.failing_since,
    )


def sync_feeds(store: Store, feeds: Sequence[FeedConfig], *, now: datetime | None = None) -> list[FeedState]:
    """Make the store's configured feeds exactly ``feeds``: insert those not yet known (by URL,
    or by the URL they were first known as before a permanent redirect), refresh name, lang and
    switches of known ones, and mark ``removed`` the configured feeds no longer listed (they
    keep their articles and are no longer polled). An ``added`` feed stays ``added``.

    Returns the states of ``feeds`` in the order given.
    """
    urls = [f.url for f in feeds]
    wanted = set(urls)
    with store.session() as session:
        known = _by_url(session, urls)
        rows: list[FeedRow] = []
        for feed in feeds:
            row = known.get(feed.url)
            if row is None:
                row = _new_row(feed.url, origin="config", now=now)
                session.add(row)
                known[feed.url] = row
            if row.origin != "added":
                row.origin = "config"
            row.name = feed.name if feed.name is not None else row.name
            row.lang = feed.lang if feed.lang is not None else row.lang
            row.ignore_cache_headers = feed.ignore_cache_headers
            rows.append(row)
        session.flush()
        kept = {row.id for row in rows}
        for row in session.scalars(select(FeedRow).where(FeedRow.origin == "config")):
            if row.id not in kept and row.url not in wanted:
                row.origin = "removed"
        session.flush()
        return [_state(row) for row in rows]


def _by_url(session: Session, urls: Sequence[str]) -> dict[str, FeedRow]:
    """Known feeds by the URLs given: by their current URL first, else the one they were first
    known as (a feed moved by a permanent redirect is still the configured one)."""
    if not urls:
        return {}
    found: dict[str, FeedRow] = {}
    for row in session.scalars(select(FeedRow).where(FeedRow.first_url.in_(list(urls)))):
        if row.first_url is not None:
            found[row.first_url] = row
    for row in session.scalars(select(FeedRow).where(FeedRow.url.in_(list(urls)))):
        found[row.url] = row
    return found


def _new_row(url: str, *, origin: str, now: datetime | None) -> FeedRow:
    return FeedRow(
        url=url, first_url=url, origin=origin, added_at=now or datetime.now(UTC),
        consecutive_errors=0, disabled=False, ignore_cache_headers=False,
    )


def feeds_to_poll(
    store: Store, configured: Sequence[FeedConfig], now: datetime, *, one_run: Sequence[str] | None = None
) -> list[FeedState]:
    """The feeds one cycle polls: the due ones among ``configured`` and the added feeds, or,
    with ``one_run`` (``veille run --feed``), exactly those URLs; one not yet known is stored
    as a ``once`` feed, which no later cycle polls (and the configured list is left as is)."""
    if one_run is None:
        sync_feeds(store, configured, now=now)
        return due_feeds(store, now)
    with store.session() as session:
        known = _by_url(session, one_run)
        for url in one_run:
            if url not in known:
                known[url] = _new_row(url, origin="once", now=now)
                session.add(known[url])
        session.flush()
        return [_state(known[url]) for url in dict.fromkeys(one_run)]


def due_feeds(store: Store, now: datetime, *, urls: Sequence[str] | None = None) -> list[FeedState]:
    """Feeds to poll at ``now``: configured or added, enabled, and never polled or past
    ``next_poll_at``.

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
        .where(FeedRow.origin.in_(POLLED_ORIGINS))
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
            row.failing_since = None
        else:
            if not row.consecutive_errors:
                row.failing_since = update.polled_at
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
        row = _require(store, session, url)
        row.disabled = False
        row.disabled_reason = None
        row.consecutive_errors = 0
        row.failing_since = None
        row.next_poll_at = None
        session.flush()
        return _state(row)


def list_feeds(store: Store) -> list[FeedSummary]:
    """Every feed with how many articles it brought and when the newest was fetched, by URL."""
    with store.session() as session:
        counts = {
            feed_id: (int(count), newest)
            for feed_id, count, newest in session.execute(
                select(ArticleRow.feed_id, func.count(ArticleRow.id), func.max(ArticleRow.fetched_at))
                .where(ArticleRow.feed_id.is_not(None))
                .group_by(ArticleRow.feed_id)
            )
        }
        rows = session.scalars(select(FeedRow).order_by(FeedRow.url))
        return [
            FeedSummary(state=_state(r), article_count=counts.get(r.id, (0, None))[0],
                        last_article_at=_aware(counts.get(r.id, (0, None))[1]))
            for r in rows
        ]


def _aware(value: datetime | None) -> datetime | None:
    """``max()`` of a UTC column comes back raw (naive, or a string on SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def find_feed(store: Store, url: str) -> FeedState | None:
    """The feed known by ``url`` (or first known by it), if any."""
    with store.session() as session:
        row = _by_url(session, [url]).get(url)
        return _state(row) if row is not None else None


def add_feed(
    store: Store, url: str, *, name: str | None = None, lang: str | None = None, now: datetime | None = None
) -> tuple[FeedState, bool]:
    """Poll ``url`` from now on beside the configured feeds (``veille feeds add``).

    Returns the feed and whether it is new to the store. A known feed (one-run, removed) keeps
    its history and articles and becomes ``added``; a configured one stays ``config``.
    """
    with store.session() as session:
        row = _by_url(session, [url]).get(url)
        created = row is None
        if row is None:
            row = _new_row(url, origin="added", now=now)
            session.add(row)
        elif row.origin != "config":
            row.origin = "added"
        row.name = name if name is not None else row.name
        row.lang = lang if lang is not None else row.lang
        session.flush()
        return _state(row), created


def remove_feed(store: Store, url: str) -> FeedSummary:
    """Stop polling an added feed; its row and articles are kept (``veille feeds remove``)."""
    with store.session() as session:
        row = _require(store, session, url)
        row.origin = "removed"
        session.flush()
        count = session.scalar(select(func.count(ArticleRow.id)).where(ArticleRow.feed_id == row.id)) or 0
        return FeedSummary(state=_state(row), article_count=int(count))


def disable_feed(store: Store, url: str, *, reason: str = USER_DISABLED) -> FeedState:
    """Stop polling a feed until :func:`enable_feed` (``veille feeds disable``)."""
    with store.session() as session:
        row = _require(store, session, url)
        row.disabled = True
        row.disabled_reason = reason
        session.flush()
        return _state(row)


def _require(store: Store, session: Session, url: str) -> FeedRow:
    row = _by_url(session, [url]).get(url)
    if row is None:
        raise StorageError(f"database {store.safe_url}: no feed with url {url}")
    return row


@dataclass(frozen=True, slots=True)
class FeedProblem:
    """A polled feed that needs a look: ``failing`` (its last polls failed, or it was disabled
    after an error) or ``stale`` (no new entry for ``stale_after_days``)."""

    feed: FeedSummary
    kind: str
    since: datetime | None
    """Failing: the first failed poll since the last success; stale: the newest article."""
    detail: str


def feed_problems(store: Store, now: datetime, *, stale_after_days: float) -> list[FeedProblem]:
    """Failing feeds, then stale ones, among the polled (configured or added) feeds: what
    ``veille status`` and the digest list."""
    failing: list[FeedProblem] = []
    stale: list[FeedProblem] = []
    horizon = now - timedelta(days=stale_after_days)
    for summary in list_feeds(store):
        state = summary.state
        if state.origin not in POLLED_ORIGINS or (state.disabled and state.disabled_reason == USER_DISABLED):
            continue
        if state.disabled:
            failing.append(FeedProblem(summary, "failing", state.failing_since or state.last_polled_at,
                                       f"disabled: {state.disabled_reason or state.last_error or ''}"))
        elif state.consecutive_errors:
            failing.append(FeedProblem(summary, "failing", state.failing_since or state.last_polled_at,
                                       state.last_error or "unknown error"))
        elif state.last_polled_at is not None:
            newest = summary.last_article_at or state.added_at
            if newest is not None and newest < horizon:
                days = (now - newest).days
                detail = (f"no new article for {days} day(s)" if summary.last_article_at
                          else f"no article in the {days} day(s) since it was added")
                stale.append(FeedProblem(summary, "stale", newest, detail))
    failing.sort(key=lambda p: (p.since or now, p.feed.state.url))
    stale.sort(key=lambda p: (p.since or now, p.feed.state.url))
    return failing + stale
