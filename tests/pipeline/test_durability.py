"""Nothing lost to a crash or a stop: SIGKILL ``veille run --once`` while it stores articles,
SIGTERM the daemon while it fetches; after a restart each database holds exactly what an
uninterrupted run stores (articles, claims, groups, contradictions). A page that failed is
fetched again at the next poll, even when the feed answers 304."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.settings import Settings, load_settings
from extractors.claims import ClaimExtractor
from pipeline.run import prepare, run_once
from storage.articles import articles_between
from storage.claims import list_claims
from storage.db import Store
from storage.feeds import list_feeds
from storage.pending import count_pending
from tests.support.db import empty, snapshot
from tests.support.http import HTML_TYPE, HttpServer, Response

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "site"
_EVER = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
_ALL_ARTICLES = 8  # feed-all.xml (5) and feed-meta.xml (3)


def _env(store: Store) -> dict[str, str]:
    return {
        "VEILLE_DATABASE_URL": store.url,
        "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
        "VEILLE_FETCH_PER_HOST_DELAY": "0",
        "VEILLE_NLP_BATCH_SIZE": "1",  # one article extracted and stored at a time: a wide window to kill in
    }


def _settings(store: Store, feeds: list[str]) -> Settings:
    return load_settings(None, _env(store)).with_feeds(feeds)


def _state(store: Store) -> tuple[object, ...]:
    articles = sorted((a.canonical_url, a.title, a.status, a.lang) for a in articles_between(store, *_EVER))
    claims = sorted(
        (c.article_url, c.start, c.subject or "", c.metric, repr(c.value_low), repr(c.value_high), c.group_id is not None)
        for c in list_claims(store)
    )
    groups, contradictions = snapshot(store)
    return articles, claims, groups, contradictions


def _uninterrupted(store: Store, feeds: list[str], extractor: ClaimExtractor) -> tuple[object, ...]:
    empty(store)
    settings = _settings(store, feeds)
    prepare(settings, store)
    report = run_once(settings, store, extractor)
    assert report.articles_new == _ALL_ARTICLES, report.errors
    return _state(store)


def _count(store: Store) -> int:
    return len(articles_between(store, *_EVER))


def _feeds(http: HttpServer) -> list[str]:
    http.serve_dir("/site", SITE)
    return [http.url("/site/feed-all.xml"), http.url("/site/feed-meta.xml")]


def test_sigkill_while_storing_then_restart_equals_an_uninterrupted_run(
    db: Store, http: HttpServer, extractor: ClaimExtractor
) -> None:
    feeds = _feeds(http)
    args = [sys.executable, "-m", "pipeline.cli", "run", "--once"]
    for feed in feeds:
        args += ["--feed", feed]
    proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **_env(db)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and _count(db) == 0:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL, err.decode()[-2000:]
    killed_at = _count(db)
    assert 1 <= killed_at < _ALL_ARTICLES, f"the kill missed the storing window ({killed_at} stored)"

    report = run_once(_settings(db, feeds), db, extractor)  # the restart
    assert report.articles_new == _ALL_ARTICLES - killed_at, report.errors
    assert report.feeds_not_modified == 0  # the killed run had not recorded the polls: no 304
    after_restart = _state(db)
    assert after_restart == _uninterrupted(db, feeds, extractor)


def test_sigterm_while_fetching_then_restart_equals_an_uninterrupted_run(
    db: Store, http: HttpServer, extractor: ClaimExtractor
) -> None:
    feeds = _feeds(http)
    slow = "/site/articles/xai-colossus-expansion.html"
    http.route(slow, Response(headers=HTML_TYPE, body=(SITE / "articles" / "xai-colossus-expansion.html").read_bytes(), delay=3.0))
    args = [sys.executable, "-m", "pipeline.cli", "run"]
    for feed in feeds:
        args += ["--feed", feed]
    proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **_env(db)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and http.hits(slow) == 0:
            time.sleep(0.05)
        assert http.hits(slow) == 1, "the daemon never fetched the slow page"
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)  # a second signal while stopping is harmless
        _out, err = proc.communicate(timeout=60)
        took = time.monotonic() - signalled
    finally:
        if proc.poll() is None:
            proc.kill()
    log = err.decode()
    assert proc.returncode == 0, log[-3000:]
    assert took <= 30, f"stopping took {took:.1f} s"
    assert "Traceback" not in log and "has been closed" not in log, log[-3000:]
    assert "already stopping" in log and "left for the next cycle" in log, log[-3000:]
    # nothing recorded as polled that was not stored
    expected = {feeds[0]: 5, feeds[1]: 3}
    for feed in list_feeds(db):
        if feed.state.last_success_at is not None or feed.state.etag is not None:
            assert feed.article_count == expected[feed.state.url], feed

    report = run_once(_settings(db, feeds), db, extractor)  # the restart
    assert report.feeds_not_modified == 0 and report.feeds_failed == 0, report.errors
    after_restart = _state(db)
    assert after_restart == _uninterrupted(db, feeds, extractor)


def test_a_page_that_failed_is_fetched_again_even_when_the_feed_answers_304(
    db: Store, http: HttpServer, extractor: ClaimExtractor
) -> None:
    feeds = _feeds(http)
    flaky = "/site/articles/grok-3-retard.html"
    page = (SITE / "articles" / "grok-3-retard.html").read_bytes()
    http.route(flaky, [Response(status=500, body=b"down"), Response(headers=HTML_TYPE, body=page)])
    settings = _settings(db, feeds)
    prepare(settings, db)  # as the daemon and the uninterrupted run: the entities and their parts are known
    first = run_once(settings, db, extractor)
    assert first.articles_new == _ALL_ARTICLES - 1 and first.entries_to_retry == 1
    assert count_pending(db) == 1

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)  # every feed due again
    second = run_once(settings, db, extractor, now=later)
    assert second.feeds_not_modified == 2, second.errors  # both feeds answered 304 ...
    assert second.articles_new == 1 and http.hits(flaky) == 2  # ... and the page was read again
    assert count_pending(db) == 0
    assert _state(db) == _uninterrupted(db, feeds, extractor)


def test_a_text_cut_at_nlp_max_chars_is_logged_with_its_url_and_sizes(
    db: Store, http: HttpServer, extractor: ClaimExtractor, caplog: pytest.LogCaptureFixture
) -> None:
    http.serve_dir("/site", SITE)
    env = {**_env(db), "VEILLE_NLP_MAX_CHARS": "300"}
    settings = load_settings(None, env).with_feeds([http.url("/site/feed-en.xml")])
    with caplog.at_level(logging.WARNING, logger="pipeline.run"):
        report = run_once(settings, db, extractor)
    assert report.articles_new == 2, report.errors
    cuts = [r.getMessage() for r in caplog.records if "nlp.max_chars" in r.getMessage()]
    assert len(cuts) == 2 and all(http.url("/site/articles/") in m and "cut to the first 300" in m for m in cuts), cuts


def test_a_cycle_with_extraction_processes_stores_what_one_process_stores(
    db: Store, http: HttpServer, extractor: ClaimExtractor
) -> None:
    """With a pool, each feed's batches go to the processes as soon as the feed is fetched
    (``pipeline.run._EarlyExtraction``) and are stored in order: the same store as one process."""
    from pipeline.extract_pool import ExtractorPool

    feeds = _feeds(http)
    expected = _uninterrupted(db, feeds, extractor)
    empty(db)
    settings = _settings(db, feeds)
    prepare(settings, db)
    with ExtractorPool(settings.nlp, settings.entities_file, processes=2) as pool:
        report = run_once(settings, db, pool)
    assert report.articles_new == _ALL_ARTICLES and not report.errors, report.errors
    assert _state(db) == expected


def test_a_broken_extraction_pool_loses_nothing(db: Store, http: HttpServer, caplog: pytest.LogCaptureFixture) -> None:
    """A pool that can take no batch (here: closed) fails neither the polling threads nor the
    cycle: each batch it refused is logged, the articles wait in ``pending_entries`` for the
    next poll, and nothing is stored half-way."""
    from pipeline.extract_pool import ExtractorPool

    feeds = _feeds(http)
    settings = _settings(db, feeds)
    prepare(settings, db)
    pool = ExtractorPool(settings.nlp, settings.entities_file, processes=2)
    pool.close()
    with caplog.at_level(logging.WARNING, logger="pipeline.run"):
        report = run_once(settings, db, pool)
    assert "not sent ahead to the extraction processes" in caplog.text
    assert report.articles_new == 0 and _count(db) == 0
    assert count_pending(db) == _ALL_ARTICLES
