"""One feed end to end, without a database: poll, parse, fetch new pages, extract text.

The orchestrator (``pipeline/run.py``) hands in what it knows about each feed as a
:class:`FeedRequest` and a ``is_known(canonical_url, guid)`` callback, and stores what comes
back as a :class:`FeedPoll`. Nothing here raises for a bad feed or page: failures become
``FeedPoll.error`` (the feed) or ``FeedPoll.page_errors`` (one article), and are logged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import random
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from config.errors import FetchError
from config.settings import LANGUAGES, ScheduleSettings
from extractors.language import detect_language
from extractors.page import content_hash, extract_page
from extractors.urls import canonical_url
from pipeline.feeds import FeedEntry, ParsedFeed, parse_feed
from pipeline.fetch import Fetcher, FetchResult, Gone, Refused, RetryLater
from pipeline.polling import next_poll_at

_log = logging.getLogger(__name__)

IsKnown = Callable[[str, str | None], bool]
"""(canonical_url, guid) → already stored? Called from worker threads, one call at a time."""

IsStale = Callable[[str, str | None, str], bool]
"""(canonical_url, guid, entry fingerprint) → stored, but the feed now describes the entry
differently (updated date, title, summary): fetch the page again. One call at a time."""

LANG_CONFIDENCE = 0.90
"""Detected language overrides the feed's declared one from this probability up."""


@dataclass(frozen=True, slots=True)
class FeedRequest:
    id: int
    url: str
    lang: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    ignore_cache_headers: bool
    consecutive_errors: int
    mean_interval_s: float | None
    retry: tuple[FeedEntry, ...] = ()
    """Entries of earlier polls whose page failed: fetched again at this poll, even on a 304."""


@dataclass(frozen=True, slots=True)
class FetchedArticle:
    url: str
    canonical_url: str
    guid: str | None
    feed_id: int
    title: str | None
    author: str | None
    site_name: str | None
    published_at: dt.datetime | None
    fetched_at: dt.datetime
    lang: str | None
    """Detected from the text; the feed's declared language only when detection is unsure."""
    lang_confidence: float
    text: str
    content_hash: str
    status: str
    """"ok" (page text), "summary_only" (no page text: the feed's summary) or "skipped"."""
    skip_reason: str | None
    entry: FeedEntry | None = None
    """The feed entry it came from (kept to retry it when storing fails)."""
    entry_fingerprint: str | None = None
    revision: bool = False
    """Already stored: the feed changed the entry, the page was fetched again."""


@dataclass(frozen=True, slots=True)
class FeedPoll:
    feed_id: int
    ok: bool
    error: str | None
    not_modified: bool
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    new_url: str | None
    """The feed moved for good (301/308): store this as its URL."""
    disable_reason: str | None
    """The feed is gone (410): disable it."""
    next_poll_at: dt.datetime
    mean_interval_s: float | None
    articles: tuple[FetchedArticle, ...]
    page_errors: tuple[str, ...]
    consecutive_errors: int = 0
    """0 after a success, the request's count + 1 after a failure."""
    bozo_reason: str | None = None
    """The feed was malformed but still read."""
    failed: tuple[tuple[FeedEntry, str], ...] = ()
    """Entries whose page failed (with the reason): to retry at the next poll."""
    retried: tuple[str, ...] = ()
    """URLs of the ``FeedRequest.retry`` entries this poll went through."""
    interrupted: bool = False
    """Stopped half-way (SIGTERM): record nothing, the next cycle polls the feed again."""


def poll_feed(
    fetcher: Fetcher,
    feed: FeedRequest,
    *,
    is_known: IsKnown,
    schedule: ScheduleSettings,
    now: dt.datetime,
    max_entries: int,
    rng: random.Random | None = None,
    is_stale: IsStale | None = None,
    stop: threading.Event | None = None,
) -> FeedPoll:
    """Poll one feed and fetch its new articles; never raises for a bad feed or page.

    Conditional GET (skipped with ``ignore_cache_headers``); a 304, or a body whose sha256
    equals ``feed.body_hash``, ends the poll before any parsing (the ``feed.retry`` entries are
    still fetched). Up to ``max_entries`` entries not ``is_known`` (or ``is_stale``) are
    fetched and extracted. Once ``stop`` is set no new page is fetched and the poll comes back
    ``interrupted``.
    """
    rng = rng or random.Random()
    if stop is not None and stop.is_set():
        return _interrupted(feed, now)
    use_validators = not feed.ignore_cache_headers
    try:
        result = fetcher.fetch_feed(
            feed.url,
            etag=feed.etag if use_validators else None,
            last_modified=feed.last_modified if use_validators else None,
        )
    except FetchError as exc:
        return _failed(feed, exc, schedule=schedule, now=now, rng=rng)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other feeds of the cycle
        _log.exception("feed %s (%s): unexpected error while fetching", feed.id, feed.url)
        return _failed(feed, FetchError(feed.url, f"internal error: {type(exc).__name__}: {exc}"), schedule=schedule, now=now, rng=rng)
    etag = result.etag if use_validators else None
    last_modified = result.last_modified if use_validators else None
    unchanged = _NO_ENTRIES
    if result.not_modified:
        if stop is not None and stop.is_set():
            return _interrupted(feed, now)
        pages = _pages(fetcher, feed, unchanged, feed.retry, is_known, is_stale, now, stop)
        if pages.interrupted:
            return _interrupted(feed, now)
        return _succeeded(feed, result, etag or feed.etag, last_modified or feed.last_modified, feed.body_hash,
                          schedule=schedule, now=now, rng=rng, not_modified=True, pages=pages)
    body_hash = hashlib.sha256(result.content).hexdigest()
    # servers whose validators are broken still send the same bytes: recognise them before parsing
    if feed.body_hash is not None and body_hash == feed.body_hash:
        pages = _pages(fetcher, feed, unchanged, feed.retry, is_known, is_stale, now, stop)
        if pages.interrupted:
            return _interrupted(feed, now)
        return _succeeded(feed, result, etag, last_modified, body_hash,
                          schedule=schedule, now=now, rng=rng, not_modified=True, pages=pages)
    try:
        parsed = parse_feed(result.content, result.final_url)
    except FetchError as exc:
        return _failed(feed, exc, schedule=schedule, now=now, rng=rng, new_url=result.moved_permanently_to)
    except Exception as exc:  # noqa: BLE001
        _log.exception("feed %s (%s): unexpected error while parsing", feed.id, feed.url)
        return _failed(feed, FetchError(feed.url, f"internal error: {type(exc).__name__}: {exc}"), schedule=schedule, now=now, rng=rng)
    if parsed.bozo_reason:
        _log.info("feed %s (%s) is malformed but readable: %s", feed.id, feed.url, parsed.bozo_reason)
    fresh = {e.url for e in parsed.entries[:max(0, max_entries)]}
    pages = _pages(
        fetcher, feed, parsed, [*parsed.entries[:max(0, max_entries)], *(e for e in feed.retry if e.url not in fresh)],
        is_known, is_stale, now, stop,
    )
    if pages.interrupted:
        return _interrupted(feed, now)
    return _succeeded(
        feed, result, etag, last_modified, body_hash, schedule=schedule, now=now, rng=rng,
        entry_dates=[e.published for e in parsed.entries if e.published is not None],
        pages=pages, bozo_reason=parsed.bozo_reason,
    )


_NO_ENTRIES = ParsedFeed(title=None, lang=None, entries=(), bozo_reason=None)


@dataclass(frozen=True, slots=True)
class _Pages:
    articles: tuple[FetchedArticle, ...]
    page_errors: tuple[str, ...]
    failed: tuple[tuple[FeedEntry, str], ...]
    retried: tuple[str, ...]
    interrupted: bool


def _pages(
    fetcher: Fetcher,
    feed: FeedRequest,
    parsed: ParsedFeed,
    entries: Sequence[FeedEntry],
    is_known: IsKnown,
    is_stale: IsStale | None,
    now: dt.datetime,
    stop: threading.Event | None,
) -> _Pages:
    articles: list[FetchedArticle] = []
    page_errors: list[str] = []
    failed: list[tuple[FeedEntry, str]] = []
    retry_urls = {e.url for e in feed.retry}
    retried: list[str] = []
    for entry in entries:
        if stop is not None and stop.is_set():
            return _Pages((), (), (), (), True)
        if entry.url in retry_urls:
            retried.append(entry.url)
        try:
            article = _article(fetcher, feed, parsed, entry, is_known, is_stale, now)
        except FetchError as exc:
            if stop is not None and stop.is_set():
                return _Pages((), (), (), (), True)
            _log.warning("feed %s: page %s failed (retried at the next poll): %s", feed.id, entry.url, exc)
            page_errors.append(str(exc))
            failed.append((entry, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001
            _log.exception("feed %s: page %s: unexpected error", feed.id, entry.url)
            reason = f"{entry.url}: internal error: {type(exc).__name__}: {exc}"
            page_errors.append(reason)
            failed.append((entry, reason))
            continue
        if article is not None:
            articles.append(article)
    return _Pages(tuple(articles), tuple(page_errors), tuple(failed), tuple(retried), False)


def entry_fingerprint(entry: FeedEntry) -> str:
    """What the feed says about an entry besides its address: a change means the page changed."""
    parts = [
        entry.updated.isoformat() if entry.updated else "",
        entry.published.isoformat() if entry.published else "",
        entry.title or "",
        entry.summary or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def poll_feeds(
    fetcher: Fetcher,
    feeds: Sequence[FeedRequest],
    *,
    is_known: IsKnown,
    schedule: ScheduleSettings,
    now: dt.datetime,
    max_entries: int,
    max_workers: int,
    rng: random.Random | None = None,
    is_stale: IsStale | None = None,
    stop: threading.Event | None = None,
    on_poll: Callable[[FeedPoll], None] | None = None,
) -> list[FeedPoll]:
    """:func:`poll_feed` for many feeds in a bounded thread pool; results in ``feeds`` order.

    ``on_poll`` is called with each poll as soon as it is done, in the polling thread (the
    cycle hands its articles to the extraction processes there, while other feeds still fetch).

    Feeds are interleaved by host so one slow host's politeness waits occupy few workers.
    An article listed by two feeds of the cycle is fetched once (the first feed claims it).
    ``is_known`` and ``is_stale`` are called under a lock, never concurrently with themselves.
    """
    rng = rng or random.Random()
    seeds = [rng.getrandbits(64) for _ in feeds]
    claim = _CycleClaims(is_known, is_stale)
    order = _interleave_by_host(feeds)
    results: list[FeedPoll | None] = [None] * len(feeds)
    _log.info("polling %d feed(s)", len(feeds), extra={"veille_feeds_total": len(feeds)})

    def work(index: int) -> None:
        results[index] = poll = poll_feed(
            fetcher,
            feeds[index],
            is_known=claim,
            schedule=schedule,
            now=now,
            max_entries=max_entries,
            rng=random.Random(seeds[index]),
            is_stale=claim.stale if is_stale is not None else None,
            stop=stop,
        )
        _log.info("polled %s: %s, %d new article(s)", feeds[index].url, "ok" if poll.ok else poll.error,
                   len(poll.articles), extra={"veille_event": "feed_polled"})
        if on_poll is not None:
            on_poll(poll)

    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="veille-poll") as pool:
        for future in [pool.submit(work, i) for i in order]:
            future.result()
    return [r for r in results if r is not None]


class _CycleClaims:
    """is_known, plus "another feed of this cycle already took it" (thread-safe)."""

    def __init__(self, is_known: IsKnown, is_stale: IsStale | None = None) -> None:
        self._is_known = is_known
        self._is_stale = is_stale
        self._lock = threading.Lock()
        self._urls: set[str] = set()
        self._guids: set[str] = set()
        self._revised: set[str] = set()

    def stale(self, url: str, guid: str | None, fingerprint: str) -> bool:
        with self._lock:
            if url in self._revised or self._is_stale is None:
                return False
            if not self._is_stale(url, guid, fingerprint):
                return False
            self._revised.add(url)
            return True

    def __call__(self, url: str, guid: str | None) -> bool:
        with self._lock:
            if url in self._urls or (guid is not None and guid in self._guids):
                return True
            if self._is_known(url, guid):
                return True
            self._urls.add(url)
            if guid is not None:
                self._guids.add(guid)
            return False


def _interleave_by_host(feeds: Sequence[FeedRequest]) -> list[int]:
    by_host: dict[str, list[int]] = defaultdict(list)
    for index, feed in enumerate(feeds):
        by_host[(urlsplit(feed.url).hostname or "").lower()].append(index)
    queues = list(by_host.values())
    order: list[int] = []
    depth = 0
    while len(order) < len(feeds):
        order.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return order


def _article(
    fetcher: Fetcher,
    feed: FeedRequest,
    parsed: ParsedFeed,
    entry: FeedEntry,
    is_known: IsKnown,
    is_stale: IsStale | None,
    now: dt.datetime,
) -> FetchedArticle | None:
    first_url = canonical_url(entry.url)
    fingerprint = entry_fingerprint(entry)
    revision = False
    if is_known(first_url, entry.guid):
        if is_stale is None or not is_stale(first_url, entry.guid, fingerprint):
            return None
        revision = True
    article = _read_article(fetcher, feed, parsed, entry, first_url, is_known, now, revision)
    if article is None:
        return None
    return dataclasses.replace(article, entry=entry, entry_fingerprint=fingerprint, revision=revision)


def _read_article(
    fetcher: Fetcher,
    feed: FeedRequest,
    parsed: ParsedFeed,
    entry: FeedEntry,
    first_url: str,
    is_known: IsKnown,
    now: dt.datetime,
    revision: bool,
) -> FetchedArticle | None:
    declared_lang = entry.lang or feed.lang or parsed.lang
    try:
        page = fetcher.fetch_page(entry.url)
    except Refused as exc:
        # robots.txt (or the SSRF guard) forbids the page; what the feed itself says is ours to keep
        return _from_feed(feed, entry, first_url, declared_lang, now, f"page not fetched: {exc.reason}")
    final_canonical = canonical_url(page.final_url)
    if page.kind != "html" or page.text is None:
        return _skipped(feed, entry, first_url, declared_lang, now, f"not an HTML page ({page.content_type or 'no content type'}, sniffed {page.kind})")
    extracted = extract_page(page.text, page.final_url)
    if extracted is None:
        return _from_feed(feed, entry, final_canonical, declared_lang, now, "no main text in the page")
    canonical = canonical_url(page.final_url, extracted.canonical_url)
    if not revision and canonical != first_url and is_known(canonical, None):
        return None  # reached under another address already stored
    lang, confidence = _language(extracted.text, declared_lang)
    published = entry.published
    if published is None and extracted.date is not None:
        published = dt.datetime.combine(extracted.date, dt.time(), tzinfo=dt.timezone.utc)
    status, reason = ("ok", None) if lang in LANGUAGES else ("skipped", _lang_reason(lang))
    return FetchedArticle(
        url=page.final_url,
        canonical_url=canonical,
        guid=entry.guid,
        feed_id=feed.id,
        title=extracted.title or entry.title,
        author=extracted.author,
        site_name=extracted.site_name or parsed.title,
        published_at=published,
        fetched_at=now,
        lang=lang,
        lang_confidence=confidence,
        text=extracted.text,
        content_hash=content_hash(extracted.text),
        status=status,
        skip_reason=reason,
    )


def _from_feed(
    feed: FeedRequest, entry: FeedEntry, canonical: str, declared_lang: str | None, now: dt.datetime, why: str
) -> FetchedArticle:
    """No page text: keep the feed's summary (status summary_only), or skip when it has none."""
    text = entry.summary or ""
    if not text:
        return _skipped(feed, entry, canonical, declared_lang, now, f"{why}; the feed has no summary")
    lang, confidence = _language(text, declared_lang)
    status, reason = ("summary_only", why) if lang in LANGUAGES else ("skipped", _lang_reason(lang))
    return _feed_article(feed, entry, canonical, lang, confidence, now, text, status, reason)


def _skipped(
    feed: FeedRequest, entry: FeedEntry, canonical: str, declared_lang: str | None, now: dt.datetime, why: str
) -> FetchedArticle:
    text = entry.summary or ""
    return _feed_article(feed, entry, canonical, declared_lang, 0.0, now, text, "skipped", why)


def _feed_article(
    feed: FeedRequest,
    entry: FeedEntry,
    canonical: str,
    lang: str | None,
    confidence: float,
    now: dt.datetime,
    text: str,
    status: str,
    reason: str | None,
) -> FetchedArticle:
    return FetchedArticle(
        url=entry.url,
        canonical_url=canonical,
        guid=entry.guid,
        feed_id=feed.id,
        title=entry.title,
        author=None,
        site_name=None,
        published_at=entry.published,
        fetched_at=now,
        lang=lang,
        lang_confidence=confidence,
        text=text,
        content_hash=content_hash(text),
        status=status,
        skip_reason=reason,
    )


def _language(text: str, declared: str | None) -> tuple[str | None, float]:
    detected, confidence = detect_language(text)
    if detected is not None and confidence >= LANG_CONFIDENCE:
        return detected, confidence
    if declared is not None:
        return declared, confidence if detected == declared else 0.0
    return detected, confidence


def _lang_reason(lang: str | None) -> str:
    return f"language {lang or 'unknown'} is not one of {', '.join(LANGUAGES)}"


def _succeeded(
    feed: FeedRequest,
    result: FetchResult,
    etag: str | None,
    last_modified: str | None,
    body_hash: str | None,
    *,
    schedule: ScheduleSettings,
    now: dt.datetime,
    rng: random.Random,
    not_modified: bool = False,
    entry_dates: Sequence[dt.datetime] = (),
    pages: _Pages | None = None,
    bozo_reason: str | None = None,
) -> FeedPoll:
    """A poll that reached the feed: unchanged (304 or same body) or read."""
    when, mean = next_poll_at(
        now=now, ok=True, consecutive_errors=0, entry_dates=entry_dates,
        previous_mean_s=feed.mean_interval_s, schedule=schedule, rng=rng,
    )
    return FeedPoll(
        feed_id=feed.id,
        ok=True,
        error=None,
        not_modified=not_modified,
        etag=etag,
        last_modified=last_modified,
        body_hash=body_hash,
        new_url=result.moved_permanently_to,
        disable_reason=None,
        next_poll_at=when,
        mean_interval_s=mean,
        articles=pages.articles if pages else (),
        page_errors=pages.page_errors if pages else (),
        consecutive_errors=0,
        bozo_reason=bozo_reason,
        failed=pages.failed if pages else (),
        retried=pages.retried if pages else (),
    )


def _interrupted(feed: FeedRequest, now: dt.datetime) -> FeedPoll:
    return FeedPoll(
        feed_id=feed.id, ok=False, error="interrupted: veille is stopping", not_modified=False,
        etag=feed.etag, last_modified=feed.last_modified, body_hash=feed.body_hash, new_url=None,
        disable_reason=None, next_poll_at=now, mean_interval_s=feed.mean_interval_s, articles=(),
        page_errors=(), consecutive_errors=feed.consecutive_errors, interrupted=True,
    )


def _failed(
    feed: FeedRequest,
    exc: FetchError,
    *,
    schedule: ScheduleSettings,
    now: dt.datetime,
    rng: random.Random,
    new_url: str | None = None,
) -> FeedPoll:
    _log.warning("feed %s (%s) failed: %s", feed.id, feed.url, exc)
    errors = feed.consecutive_errors + 1
    when, mean = next_poll_at(
        now=now,
        ok=False,
        consecutive_errors=errors,
        entry_dates=(),
        previous_mean_s=feed.mean_interval_s,
        schedule=schedule,
        retry_after_s=exc.retry_after if isinstance(exc, RetryLater) else None,
        rng=rng,
    )
    return FeedPoll(
        feed_id=feed.id,
        ok=False,
        error=str(exc),
        not_modified=False,
        etag=feed.etag,
        last_modified=feed.last_modified,
        body_hash=feed.body_hash,
        new_url=new_url,
        disable_reason=f"HTTP 410 Gone: {exc.url}" if isinstance(exc, Gone) else None,
        next_poll_at=when,
        mean_interval_s=mean,
        articles=(),
        page_errors=(),
        consecutive_errors=errors,
    )
