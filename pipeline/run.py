"""One polling cycle, top to bottom: feeds → fetch → text → claims → summary → store.

``run_once`` is what ``veille run --once`` and the scheduler's job both call. Fetching runs
concurrently (``pipeline.ingest.poll_feeds``); spaCy runs in this thread on small batches;
every write happens here, one short transaction per article (one writer for SQLite).

Nothing fetched is lost to a crash: a feed's poll (ETag, Last-Modified, body hash, next poll)
is recorded only after its articles are stored, so a process killed while storing polls the
feed in full again next time; an entry whose page failed to fetch, extract or store is kept in
``pending_entries`` and fetched again at the feed's next poll, even on a 304. When ``stop`` is
set (SIGTERM) no new page or article is started, and the feeds not fully stored are left, not
recorded, for the next cycle.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from config.errors import VeilleError
from config.settings import Settings
from extractors.claims import Analysis, Claim, ClaimExtractor
from extractors.entities import NameCount, count_mentions, load_entities
from extractors.summary import summarize
from pipeline.extract_pool import ExtractorPool, PendingAnalysis
from pipeline.fetch import Fetcher
from pipeline.feeds import FeedEntry
from pipeline.ingest import FeedPoll, FeedRequest, FetchedArticle, poll_feeds
from storage import articles as article_store
from storage import cycles as cycle_store
from storage import entities as entity_store
from storage import feeds as feed_store
from storage import pending as pending_store
from storage.cycles import CycleRecord
from storage.db import Store

log = logging.getLogger(__name__)
_EXTRACTABLE = ("fr", "en")


@dataclass(slots=True)
class RunReport:
    """What one cycle did, for the CLI and the logs."""

    feeds_polled: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    articles_new: int = 0
    articles_duplicate: int = 0
    articles_skipped: int = 0
    claims: int = 0
    articles_revised: int = 0
    entries_to_retry: int = 0
    feeds_left: int = 0
    """Feeds not recorded because the cycle was stopped: polled again next cycle."""
    articles_left: int = 0
    errors: list[str] = field(default_factory=list)

    def cycle(self, started: dt.datetime, finished: dt.datetime) -> CycleRecord:
        """The figures ``veille status`` shows for this cycle."""
        return CycleRecord(
            started_at=started, finished_at=finished, feeds_polled=self.feeds_polled,
            feeds_not_modified=self.feeds_not_modified, feeds_failed=self.feeds_failed,
            articles_new=self.articles_new, articles_duplicate=self.articles_duplicate,
            articles_skipped=self.articles_skipped, claims=self.claims, errors=len(self.errors),
        )

    @property
    def all_failed(self) -> bool:
        """Every feed polled failed (``veille run --once`` exits non-zero)."""
        return self.feeds_polled > 0 and self.feeds_failed == self.feeds_polled

    def line(self) -> str:
        text = (
            f"{self.feeds_polled} feed(s) polled ({self.feeds_not_modified} unchanged, "
            f"{self.feeds_failed} failed), {self.articles_new} new article(s) "
            f"({self.articles_duplicate} duplicate, {self.articles_skipped} skipped), "
            f"{self.claims} claim(s)"
        )
        if self.articles_revised:
            text += f", {self.articles_revised} article(s) changed"
        if self.entries_to_retry:
            text += f", {self.entries_to_retry} entry(ies) to retry"
        if self.feeds_left:
            text += f"; stopped: {self.feeds_left} feed(s) and {self.articles_left} fetched article(s) left for the next cycle"
        return text


def prepare(settings: Settings, store: Store) -> None:
    """Migrate the schema to head and load the configured entities and their aliases, so a
    query by any alias (``x.AI``, ``Musk``) finds the canonical entity, and its parts."""
    store.migrate()
    entity_store.seed_entities(
        store, [(e.name, e.kind, e.aliases, e.part_of) for e in load_entities(settings.entities_file)],
        tolerance=settings.claims.contradiction_tolerance,
    )


def run_once(
    settings: Settings,
    store: Store,
    extractor: ClaimExtractor,
    *,
    feed_urls: Sequence[str] | None = None,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
    fetcher: Fetcher | None = None,
    stop: threading.Event | None = None,
) -> RunReport:
    """Poll the due feeds (or exactly ``feed_urls``), store new articles and their claims.

    The daemon passes one long-lived ``fetcher`` so robots.txt caches, per-host politeness and
    kept-alive connections carry over between cycles; otherwise one is made for this cycle.
    The daemon's ``stop`` event ends the cycle early: what is stored stays, the rest is left
    for the next cycle (see the module docstring).
    """
    now = now or dt.datetime.now(dt.UTC)
    started = dt.datetime.now(dt.UTC)
    report = RunReport()
    due = feed_store.feeds_to_poll(store, settings.feeds, now, one_run=feed_urls)
    if not due:
        log.info("no feed due at %s", now.isoformat(timespec="seconds"))
        return report
    pending = pending_store.pending_entries(store, [f.id for f in due])
    requests = [
        FeedRequest(
            id=f.id, url=f.url, lang=f.lang, etag=f.etag, last_modified=f.last_modified,
            body_hash=f.body_hash, ignore_cache_headers=f.ignore_cache_headers,
            consecutive_errors=f.consecutive_errors, mean_interval_s=f.mean_interval_s,
            retry=tuple(_entry(p) for p in pending.get(f.id, ())),
        )
        for f in due
    ]

    def is_known(canonical_url: str, guid: str | None) -> bool:
        return article_store.article_exists(store, canonical_url=canonical_url, guid=guid)

    def is_stale(canonical_url: str, guid: str | None, fingerprint: str) -> bool:
        return article_store.is_stale(store, canonical_url=canonical_url, guid=guid, fingerprint=fingerprint)

    early = _EarlyExtraction(extractor, settings.nlp.batch_size, stop) if isinstance(extractor, ExtractorPool) else None
    with contextlib.ExitStack() as stack:
        if early is not None:
            stack.callback(early.cancel_rest)
        if fetcher is None:
            fetcher = stack.enter_context(Fetcher(settings.fetch))
        polls = poll_feeds(
            fetcher, requests, is_known=is_known, schedule=settings.schedule, now=now,
            max_entries=settings.fetch.max_entries_per_feed, max_workers=settings.fetch.max_workers,
            rng=rng, is_stale=is_stale, stop=stop, on_poll=early.submit_poll if early is not None else None,
        )
        for poll in polls:
            if poll.interrupted or (stop is not None and stop.is_set()):
                report.feeds_left += 1
                report.articles_left += len(poll.articles)
                continue
            failed = _store_articles(settings, store, extractor, poll.articles, report, stop, early)
            if failed is None:  # stopped half-way: the stored articles stay, the poll is not recorded
                report.feeds_left += 1
                continue
            _settle(store, poll, failed, now, report)
            _record(store, poll, now, report)
    if report.feeds_left:
        log.warning(
            "cycle stopped: %d feed(s) and %d fetched article(s) left for the next cycle (not recorded as polled)",
            report.feeds_left, report.articles_left,
        )
    log.info("cycle done: %s", report.line())
    cycle_store.record_cycle(store, report.cycle(started, dt.datetime.now(dt.UTC)))
    return report


def _entry(p: pending_store.PendingEntry) -> FeedEntry:
    return FeedEntry(guid=p.guid, url=p.url, title=p.title, published=p.published_at, summary=p.summary,
                     lang=p.lang, updated=p.updated_at)


def _settle(
    store: Store, poll: FeedPoll, failed: list[tuple[FeedEntry, str]], now: dt.datetime, report: RunReport
) -> None:
    """Entries that failed wait for the next poll; retried ones that went through leave the list."""
    failures = [*poll.failed, *failed]
    failed_urls = {entry.url for entry, _ in failures}
    done = [url for url in poll.retried if url not in failed_urls]
    pending_store.settle(
        store, poll.feed_id, now=now, done=done,
        failed=[
            pending_store.PendingEntry(poll.feed_id, e.url, e.guid, e.title, e.summary, e.published, e.updated,
                                       e.lang, reason)
            for e, reason in failures
        ],
    )
    report.entries_to_retry += len(failures)


def _record(store: Store, poll: FeedPoll, now: dt.datetime, report: RunReport) -> None:
    report.feeds_polled += 1
    report.feeds_not_modified += int(poll.not_modified)
    if not poll.ok:
        report.feeds_failed += 1
        report.errors.append(f"feed {poll.feed_id}: {poll.error}")
    report.errors.extend(poll.page_errors)
    feed_store.record_poll(
        store,
        poll.feed_id,
        feed_store.PollUpdate(
            polled_at=now,
            next_poll_at=poll.next_poll_at, ok=poll.ok, error=poll.error, etag=poll.etag,
            last_modified=poll.last_modified, body_hash=poll.body_hash, new_url=poll.new_url,
            disable_reason=poll.disable_reason, mean_interval_s=poll.mean_interval_s,
        ),
    )


def _store_articles(
    settings: Settings,
    store: Store,
    extractor: ClaimExtractor,
    fetched: Sequence[FetchedArticle],
    report: RunReport,
    stop: threading.Event | None = None,
    early: _EarlyExtraction | None = None,
) -> list[tuple[FeedEntry, str]] | None:
    """Extract and store ``fetched``; the entries that failed (to retry), or ``None`` when
    ``stop`` was set before all were stored."""
    failed: list[tuple[FeedEntry, str]] = []
    for first, chunk, wanted in _batches(fetched, settings.nlp.batch_size):
        if stop is not None and stop.is_set():
            report.articles_left += len(fetched) - first
            return None
        for a in wanted:
            if len(a.text) > settings.nlp.max_chars:
                log.warning(
                    "article %s: text of %d characters cut to the first %d (nlp.max_chars) for claim extraction",
                    a.url[:200], len(a.text), settings.nlp.max_chars,
                )
        analysis_of, errors = _extract(extractor, wanted, early.take(wanted) if early is not None else None)
        for article in chunk:
            if id(article) in errors:
                failed.append((_entry_of(article), f"claim extraction failed: {errors[id(article)]}"))
                continue
            analysis = analysis_of.get(id(article))
            claims = analysis.claims if analysis else []
            names = count_mentions(analysis.mentions) if analysis else ()
            try:
                _store_one(settings, store, article, claims, report, names)
            except VeilleError as exc:
                # one article the store refuses must not cost the others of the cycle
                log.error("article %s from feed %s not stored (retried at the next poll): %s",
                          article.url[:120], article.feed_id, exc)
                report.errors.append(f"article {article.url[:120]}: {exc}")
                failed.append((_entry_of(article), f"not stored: {exc}"))
    return failed


def _batches(
    fetched: Sequence[FetchedArticle], size: int
) -> list[tuple[int, Sequence[FetchedArticle], list[FetchedArticle]]]:
    """``fetched`` cut into runs of ``size``: (offset, the run, its articles to extract)."""
    runs = [(first, fetched[first : first + size]) for first in range(0, len(fetched), size)]
    return [(first, run, [a for a in run if a.status != "skipped" and a.lang in _EXTRACTABLE]) for first, run in runs]


def _item(a: FetchedArticle) -> tuple[str, str, dt.date | None]:
    return (a.text, a.lang or "", a.published_at.date() if a.published_at else None)


class _EarlyExtraction:
    """With extraction processes, each batch of a feed goes to them as soon as the feed is
    fetched (from the polling thread), and the cycle, storing feed by feed, takes the results
    in order: the processes extract while the cycle still fetches and stores, so a 2-core
    machine is not left with one core idle during fetch, text extraction and the writes. The
    batches are the ones ``_store_articles`` cuts; what a stopped cycle never takes is cancelled."""

    def __init__(self, pool: ExtractorPool, size: int, stop: threading.Event | None) -> None:
        self._pool = pool
        self._size = size
        self._stop = stop
        self._lock = threading.Lock()
        self._pending: dict[int, PendingAnalysis] = {}

    def submit_poll(self, poll: FeedPoll) -> None:
        if poll.interrupted or (self._stop is not None and self._stop.is_set()):
            return
        for _, _, wanted in _batches(poll.articles, self._size):
            if not wanted:
                continue
            try:
                pending = self._pool.submit([_item(a) for a in wanted], [a.title for a in wanted])
            except Exception as exc:  # noqa: BLE001 - a broken pool must not fail the polling thread
                # the cycle extracts this batch itself when it stores it, and reports what fails there
                log.warning("feed %s: batch of %d article(s) not sent ahead to the extraction processes: %s",
                            poll.feed_id, len(wanted), exc)
                continue
            with self._lock:
                self._pending[id(wanted[0])] = pending

    def take(self, wanted: Sequence[FetchedArticle]) -> PendingAnalysis | None:
        if not wanted:
            return None
        with self._lock:
            return self._pending.pop(id(wanted[0]), None)

    def cancel_rest(self) -> None:
        with self._lock:
            rest, self._pending = list(self._pending.values()), {}
        for pending in rest:
            pending.cancel()


def _extract(
    extractor: ClaimExtractor, wanted: Sequence[FetchedArticle], pending: PendingAnalysis | None = None
) -> tuple[dict[int, Analysis], dict[int, str]]:
    """Claims and names per article (by ``id``), from the batch sent ahead when there is one;
    an article the extractor chokes on costs only itself."""
    try:
        analysed = pending.result() if pending is not None else extractor.analyse_many(
            [_item(a) for a in wanted], titles=[a.title for a in wanted])
        return {id(a): x for a, x in zip(wanted, analysed, strict=True)}, {}
    except Exception:  # noqa: BLE001 - find the article at fault, keep the others
        log.exception("claim extraction failed on a batch of %d article(s); extracting them one by one", len(wanted))
    analysis_of: dict[int, Analysis] = {}
    errors: dict[int, str] = {}
    for a in wanted:
        try:
            analysis_of[id(a)] = extractor.analyse_many([_item(a)], titles=[a.title])[0]
        except Exception as exc:  # noqa: BLE001
            log.exception("article %s: claim extraction failed (retried at the next poll)", a.url[:200])
            errors[id(a)] = f"{type(exc).__name__}: {exc}"
    return analysis_of, errors


def _entry_of(article: FetchedArticle) -> FeedEntry:
    if article.entry is not None:
        return article.entry
    return FeedEntry(guid=article.guid, url=article.url, title=article.title, published=article.published_at,
                     summary=None, lang=article.lang)


def _store_one(
    settings: Settings,
    store: Store,
    article: FetchedArticle,
    claims: list[Claim],
    report: RunReport,
    names: Sequence[NameCount] = (),
) -> None:
    summary = summarize(article.text, claims, settings.summary, title=article.title) if article.text else None
    result = article_store.add_article(
        store,
        article_store.NewArticle(
            url=article.url, canonical_url=article.canonical_url, guid=article.guid,
            feed_id=article.feed_id, title=article.title, author=article.author,
            site_name=article.site_name, published_at=article.published_at,
            fetched_at=article.fetched_at, lang=article.lang, text=article.text,
            summary=summary, content_hash=article.content_hash, status=article.status,
            skip_reason=article.skip_reason, entry_fingerprint=article.entry_fingerprint,
            revision=article.revision,
        ),
        claims,
        tolerance=settings.claims.contradiction_tolerance,
        entities=names,
    )
    if result.revised:
        report.articles_revised += 1
        report.claims += result.claim_count
    if not result.created:
        return
    log.info("stored %s: %d claim(s)", article.url, result.claim_count,
             extra={"veille_event": "article_stored", "url": article.url, "claims": result.claim_count})
    if article.status == "skipped":
        report.articles_skipped += 1
    if result.duplicate_of is not None:
        report.articles_duplicate += 1
    report.articles_new += 1
    report.claims += result.claim_count
