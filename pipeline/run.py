"""One polling cycle, top to bottom: feeds → fetch → text → claims → summary → store.

``run_once`` is what ``veille run --once`` and the scheduler's job both call. Fetching runs
concurrently (``pipeline.ingest.poll_feeds``); spaCy runs in this thread on small batches;
every write happens here, one short transaction per article (one writer for SQLite).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from config.errors import VeilleError
from config.settings import Settings
from extractors.claims import Claim, ClaimExtractor
from extractors.entities import load_entities
from extractors.summary import summarize
from pipeline.fetch import Fetcher
from pipeline.ingest import FeedPoll, FeedRequest, FetchedArticle, poll_feeds
from storage import articles as article_store
from storage import cycles as cycle_store
from storage import entities as entity_store
from storage import feeds as feed_store
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
        return (
            f"{self.feeds_polled} feed(s) polled ({self.feeds_not_modified} unchanged, "
            f"{self.feeds_failed} failed), {self.articles_new} new article(s) "
            f"({self.articles_duplicate} duplicate, {self.articles_skipped} skipped), "
            f"{self.claims} claim(s)"
        )


def prepare(settings: Settings, store: Store) -> None:
    """Migrate the schema to head and load the configured entities and their aliases, so a
    query by any alias (``x.AI``, ``Musk``) finds the canonical entity."""
    store.migrate()
    for entity in load_entities(settings.entities_file):
        entity_store.upsert_entity(store, entity.name, kind=entity.kind, aliases=entity.aliases)


def run_once(
    settings: Settings,
    store: Store,
    extractor: ClaimExtractor,
    *,
    feed_urls: Sequence[str] | None = None,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
    fetcher: Fetcher | None = None,
) -> RunReport:
    """Poll the due feeds (or exactly ``feed_urls``), store new articles and their claims.

    The daemon passes one long-lived ``fetcher`` so robots.txt caches, per-host politeness and
    kept-alive connections carry over between cycles; otherwise one is made for this cycle.
    """
    now = now or dt.datetime.now(dt.UTC)
    started = dt.datetime.now(dt.UTC)
    report = RunReport()
    due = feed_store.feeds_to_poll(store, settings.feeds, now, one_run=feed_urls)
    if not due:
        log.info("no feed due at %s", now.isoformat(timespec="seconds"))
        return report
    requests = [
        FeedRequest(
            id=f.id, url=f.url, lang=f.lang, etag=f.etag, last_modified=f.last_modified,
            body_hash=f.body_hash, ignore_cache_headers=f.ignore_cache_headers,
            consecutive_errors=f.consecutive_errors, mean_interval_s=f.mean_interval_s,
        )
        for f in due
    ]

    def is_known(canonical_url: str, guid: str | None) -> bool:
        return article_store.article_exists(store, canonical_url=canonical_url, guid=guid)

    with contextlib.ExitStack() as stack:
        if fetcher is None:
            fetcher = stack.enter_context(Fetcher(settings.fetch))
        polls = poll_feeds(
            fetcher, requests, is_known=is_known, schedule=settings.schedule, now=now,
            max_entries=settings.fetch.max_entries_per_feed, max_workers=settings.fetch.max_workers,
            rng=rng,
        )
    for poll in polls:
        _record(store, poll, now, report)
        _store_articles(settings, store, extractor, poll.articles, report)
    log.info("cycle done: %s", report.line())
    cycle_store.record_cycle(store, report.cycle(started, dt.datetime.now(dt.UTC)))
    return report


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
) -> None:
    batch = settings.nlp.batch_size
    for first in range(0, len(fetched), batch):
        chunk = fetched[first : first + batch]
        wanted = [a for a in chunk if a.status != "skipped" and a.lang in _EXTRACTABLE]
        extracted = extractor.extract_many(
            [(a.text, a.lang or "", a.published_at.date() if a.published_at else None) for a in wanted]
        )
        claims_of = {id(a): c for a, c in zip(wanted, extracted, strict=True)}
        for article in chunk:
            claims = claims_of.get(id(article), [])
            try:
                _store_one(settings, store, article, claims, report)
            except VeilleError as exc:
                # one article the store refuses must not cost the others of the cycle
                log.error("article %s from feed %s not stored: %s", article.url[:120], article.feed_id, exc)
                report.errors.append(f"article {article.url[:120]}: {exc}")


def _store_one(
    settings: Settings,
    store: Store,
    article: FetchedArticle,
    claims: list[Claim],
    report: RunReport,
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
            skip_reason=article.skip_reason,
        ),
        claims,
        tolerance=settings.claims.contradiction_tolerance,
    )
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
