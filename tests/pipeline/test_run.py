"""End to end: a real HTTP server serves the fixture site; one cycle stores articles and claims.

Runs on both databases (the ``db`` fixture) with the real spaCy models.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from config.settings import Settings, load_settings
from extractors.claims import ClaimExtractor
from pipeline.run import run_once
from storage.articles import articles_between
from storage.claims import list_claims
from storage.db import Store
from storage.feeds import list_feeds
from tests.support.http import HttpServer, Response

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
NOW = dt.datetime(2025, 9, 3, 8, 0, tzinfo=dt.UTC)


def _settings(store: Store, feeds: list[str]) -> Settings:
    settings = load_settings(None, {
        "VEILLE_DATABASE_URL": store.url,
        "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
        "VEILLE_FETCH_PER_HOST_DELAY": "0",
        "VEILLE_FETCH_TOTAL_DEADLINE": "10",
    })
    return settings.with_feeds(feeds)


@pytest.fixture
def site(http: HttpServer) -> HttpServer:
    http.serve_dir("/site", SITE)
    return http


def test_one_cycle_stores_every_article_with_its_claims(
    site: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    feed = site.url("/site/feed-all.xml")
    report = run_once(_settings(db, [feed]), db, extractor, now=NOW)
    assert report.feeds_polled == 1 and report.feeds_failed == 0, report.errors
    assert report.articles_new == 5
    assert report.claims > 10

    stored = articles_between(db, NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1))
    # the articles were fetched "now": run_once stamps them with the cycle's clock or the real one
    if not stored:
        stored = articles_between(db, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    by_url = {a.url.rsplit("/", 1)[-1]: a for a in stored}
    assert set(by_url) == {
        "grok-3-retard.html", "musk-50-millions-gpu.html", "deepseek-moment-spoutnik.html",
        "xai-colossus-expansion.html", "anthropic-funding-round.html",
    }
    deepseek = by_url["deepseek-moment-spoutnik.html"]
    assert deepseek.lang == "fr" and deepseek.title and "DeepSeek" in deepseek.title
    assert deepseek.summary and len(deepseek.summary.split()) <= 61
    assert by_url["xai-colossus-expansion.html"].lang == "en"

    gpus = list_claims(db, metric="gpu_count")
    assert any(c.value_low == 100_000 and c.qualifier == "H100" for c in gpus)
    money = list_claims(db, subject="DeepSeek R1")
    assert any(c.metric == "cost" and c.value_low == 5e6 and c.value_high == 6e6 and c.unit == "USD" for c in money)
    assert all(c.article_url.startswith(site.url("/site/articles/")) for c in gpus)


def test_second_cycle_adds_nothing_and_sends_conditional_requests(
    site: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    feed = site.url("/site/feed-fr.xml")
    settings = _settings(db, [feed])
    first = run_once(settings, db, extractor, now=NOW)
    assert first.articles_new == 3
    claims_before = len(list_claims(db))
    second = run_once(settings, db, extractor, feed_urls=[feed], now=NOW + dt.timedelta(hours=1))
    assert second.articles_new == 0 and second.feeds_failed == 0
    assert len(list_claims(db)) == claims_before
    feed_requests = [r for r in site.requests if r.path.endswith("feed-fr.xml")]
    assert len(feed_requests) == 2
    assert "if-none-match" in feed_requests[1].headers or "if-modified-since" in feed_requests[1].headers


def test_a_broken_feed_is_recorded_and_the_others_still_ingest(
    site: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    site.route("/broken.xml", Response(status=200, headers={"Content-Type": "application/rss+xml"}, body=b"<rss><channel><item><title>oops"))
    site.route("/down.xml", Response(status=500, body=b"boom"))
    good = site.url("/site/feed-en.xml")
    feeds = [site.url("/down.xml"), good, site.url("/broken.xml")]
    report = run_once(_settings(db, feeds), db, extractor, now=NOW)
    assert report.articles_new == 2
    assert report.feeds_failed >= 1
    states = {s.state.url: s for s in list_feeds(db)}
    down = states[site.url("/down.xml")].state
    assert down.consecutive_errors == 1 and down.last_error and "500" in down.last_error
    assert down.next_poll_at is not None and down.next_poll_at > NOW
    assert states[good].state.last_error is None and states[good].article_count == 2


def test_a_page_without_text_keeps_the_feed_summary(
    http: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    rss = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Nvidia vend 50 000 puces</title><link>empty.html</link><guid>empty-1</guid>"
        b"<description>Nvidia a vendu 50 000 puces H100 \xc3\xa0 xAI pour son supercalculateur Colossus, "
        b"selon plusieurs sources proches du dossier.</description></item></channel></rss>"
    )
    http.route("/feed.xml", Response(headers={"Content-Type": "application/rss+xml"}, body=rss))
    http.route("/empty.html", Response(headers={"Content-Type": "text/html"}, body=b"<html><body><nav>menu</nav></body></html>"))
    report = run_once(_settings(db, [http.url("/feed.xml")]), db, extractor, now=NOW)
    assert report.articles_new == 1, report.errors
    [article] = articles_between(db, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert article.status == "summary_only"


def test_feed_option_replaces_the_configured_list(site: HttpServer, db: Store, extractor: ClaimExtractor) -> None:
    settings = dataclasses.replace(_settings(db, [site.url("/site/feed-fr.xml")]))
    report = run_once(settings.with_feeds([site.url("/site/feed-en.xml")]), db, extractor, now=NOW)
    assert report.articles_new == 2
    assert {s.state.url for s in list_feeds(db)} == {site.url("/site/feed-en.xml")}


def test_an_article_the_store_refuses_costs_only_itself(
    http: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    page = (
        "<html><body><article><h1>xAI lève 6 milliards</h1><p>"
        + "xAI a levé 6 milliards de dollars en décembre pour agrandir Colossus, selon Reuters. " * 4
        + "</p></article></body></html>"
    ).encode()
    long_path = "/" + "tres-long-" * 220 + ".html"  # a URL longer than the store's 2048 characters
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>long</title><link>{long_path[1:]}</link><guid>long-1</guid></item>"
        "<item><title>ok</title><link>ok.html</link><guid>ok-1</guid></item></channel></rss>"
    ).encode()
    http.route("/feed.xml", Response(headers={"Content-Type": "application/rss+xml"}, body=rss))
    for path in (long_path, "/ok.html"):
        http.route(path, Response(headers={"Content-Type": "text/html; charset=utf-8"}, body=page.replace(b"6 milliards", b"7 milliards") if path == "/ok.html" else page))
    report = run_once(_settings(db, [http.url("/feed.xml")]), db, extractor, now=NOW)
    assert report.articles_new == 1
    assert any("longer than 2048" in e for e in report.errors), report.errors
    assert {c.value_low for c in list_claims(db, subject="xAI")} == {7e9}


def test_a_syndicated_copy_is_linked_and_not_a_second_source(
    http: HttpServer, db: Store, extractor: ClaimExtractor
) -> None:
    body = (SITE.parent / "english" / "xai-colossus-expansion.txt").read_text(encoding="utf-8")
    original = f"<html><body><nav>Compute Ledger</nav><article><p>{body}</p></article></body></html>"
    # the same story on a partner site: other furniture, one sentence lightly edited
    copy = original.replace("Compute Ledger", "Partner Wire").replace(
        "according to people familiar with the project", "according to people close to the project")
    http.route("/ledger/xai.html", Response(headers={"Content-Type": "text/html; charset=utf-8"}, body=original.encode()))
    http.route("/wire/xai.html", Response(headers={"Content-Type": "text/html; charset=utf-8"}, body=copy.encode()))
    for name, link in (("ledger", "xai.html"), ("wire", "xai.html")):
        rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
               f"<item><title>xAI</title><link>{link}</link><guid>{name}-1</guid></item></channel></rss>")
        http.route(f"/{name}/feed.xml", Response(headers={"Content-Type": "application/rss+xml"}, body=rss.encode()))
    feeds = [http.url("/ledger/feed.xml"), http.url("/wire/feed.xml")]
    report = run_once(_settings(db, feeds), db, extractor, now=NOW)
    assert report.articles_new == 2 and report.articles_duplicate == 1, report.errors
    from storage.groups import list_claim_groups

    # the count is the cluster's (Colossus, part of xAI) or its operator's, never a model's
    group = next(g for subject in ("xAI", "Colossus") for g in list_claim_groups(db, subject=subject, metric="gpu_count")
                 if g.value_low == 200_000)
    assert group.mention_count >= 2 and group.source_count == 1  # one story, however many copies
