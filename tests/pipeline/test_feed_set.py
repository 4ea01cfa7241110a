"""The feeds a cycle polls are exactly the configured ones plus the added ones; a ``--feed`` URL
is polled for its run only; a feed dropped from the config keeps its articles and is not polled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.settings import Settings, load_settings
from extractors.claims import ClaimExtractor
from pipeline.run import run_once
from storage.db import Store
from storage.feeds import add_feed, list_feeds
from tests.support.http import HttpServer

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
NOW = dt.datetime(2025, 9, 3, 8, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=2)  # every feed is due again


def _settings(store: Store, feeds: list[str]) -> Settings:
    return load_settings(None, {
        "VEILLE_DATABASE_URL": store.url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
        "VEILLE_FETCH_PER_HOST_DELAY": "0", "VEILLE_FETCH_TOTAL_DEADLINE": "10",
    }).with_feeds(feeds)


@pytest.fixture
def site(http: HttpServer) -> HttpServer:
    http.serve_dir("/site", SITE)
    return http


def _feed_requests(site: HttpServer, name: str) -> int:
    return sum(1 for r in site.requests if r.path.endswith(name))


def test_a_feed_removed_from_the_config_keeps_its_articles_and_is_not_polled(
    site: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    fr, en = site.url("/site/feed-fr.xml"), site.url("/site/feed-en.xml")
    first = run_once(_settings(db, [fr, en]), db, extractor, now=NOW)
    assert first.articles_new == 5 and first.feeds_polled == 2, first.errors

    second = run_once(_settings(db, [en]), db, extractor, now=LATER)
    assert second.feeds_polled == 1
    assert _feed_requests(site, "feed-fr.xml") == 1 and _feed_requests(site, "feed-en.xml") == 2
    states = {s.state.url: s for s in list_feeds(db)}
    assert states[fr].article_count == 3 and states[fr].state.origin == "removed"


def test_a_feed_option_url_is_polled_for_that_run_only(
    site: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    fr, en = site.url("/site/feed-fr.xml"), site.url("/site/feed-en.xml")
    settings = _settings(db, [en])
    once = run_once(settings, db, extractor, feed_urls=[fr], now=NOW)
    assert once.feeds_polled == 1 and once.articles_new == 3
    assert _feed_requests(site, "feed-en.xml") == 0
    later = run_once(settings, db, extractor, now=LATER)
    assert later.feeds_polled == 1 and _feed_requests(site, "feed-fr.xml") == 1
    states = {s.state.url: s for s in list_feeds(db)}
    assert states[fr].state.origin == "once" and states[fr].article_count == 3


def test_an_added_feed_is_polled_beside_the_configured_ones(
    site: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    fr, en = site.url("/site/feed-fr.xml"), site.url("/site/feed-en.xml")
    add_feed(db, fr)
    report = run_once(_settings(db, [en]), db, extractor, now=NOW)
    assert report.feeds_polled == 2 and report.articles_new == 5, report.errors
