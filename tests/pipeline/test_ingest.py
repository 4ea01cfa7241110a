"""poll_feed / poll_feeds end to end against the real local server: happy path and misbehaviour."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest

from config.settings import ScheduleSettings
from pipeline.fetch import Fetcher
from pipeline.ingest import FeedPoll, FeedRequest, poll_feed, poll_feeds
from tests.support.http import HTML_TYPE, RSS_TYPE, HttpServer, Response, article_html, fast_fetch_settings, not_modified_route, rss

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
GROK = (FIXTURES / "fr_grok3.txt").read_text(encoding="utf-8")
DEEPSEEK = (FIXTURES / "fr_deepseek.txt").read_text(encoding="utf-8")
ENGLISH = (
    "xAI said on Monday that its Colossus cluster in Memphis now runs about 200,000 GPUs.\n"
    "The company plans to double the cluster to 400,000 GPUs by the end of next year, according to people familiar with the plans.\n"
    "Analysts estimate the build-out will cost more than $20 billion, a figure the company did not confirm.\n"
    "Rivals are racing too: Meta expects to spend as much as $65 billion on infrastructure this year."
)
NOW = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.timezone.utc)
SCHEDULE = ScheduleSettings()


def request(url: str, **changes: object) -> FeedRequest:
    base = FeedRequest(
        id=1, url=url, lang="fr", etag=None, last_modified=None, body_hash=None,
        ignore_cache_headers=False, consecutive_errors=0, mean_interval_s=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def poll(fetcher: Fetcher, feed: FeedRequest, known: set[str] | None = None, max_entries: int = 50) -> FeedPoll:
    known = known if known is not None else set()
    return poll_feed(
        fetcher, feed, is_known=lambda url, guid: url in known, schedule=SCHEDULE, now=NOW,
        max_entries=max_entries, rng=random.Random(1),
    )


def serve_site(http: HttpServer) -> None:
    """Two French articles and one English, listed in one RSS feed."""
    pages = {
        "/articles/grok-3": article_html("Alors, où est Grok 3 ?", GROK, published="2025-01-05T08:00:00+01:00"),
        "/articles/deepseek": article_html("DeepSeek R1, le moment Spoutnik", DEEPSEEK),
        "/articles/colossus": article_html("xAI expands Colossus", ENGLISH, lang="en", site_name="Tech Daily"),
    }
    for path, html in pages.items():
        http.route(path, Response(headers=HTML_TYPE, body=html.encode("utf-8")))
    items = [
        {"title": "Où est Grok 3 ?", "link": http.url("/articles/grok-3?utm_source=rss"), "guid": "grok-3",
         "pubDate": "Sun, 05 Jan 2025 07:00:00 GMT", "description": "Le modèle de xAI se fait attendre."},
        {"title": "DeepSeek", "link": http.url("/articles/deepseek"), "guid": "deepseek",
         "pubDate": "Tue, 28 Jan 2025 08:00:00 GMT"},
        {"title": "Colossus", "link": http.url("/articles/colossus"), "guid": "colossus",
         "pubDate": "Mon, 27 Jan 2025 08:00:00 GMT"},
    ]
    http.route("/feed.xml", not_modified_route(rss(items), "application/rss+xml", etag='"v1"'))


def test_happy_path_fetches_and_extracts_every_new_article(http: HttpServer, fetcher: Fetcher) -> None:
    serve_site(http)
    result = poll(fetcher, request(http.url("/feed.xml")))
    assert result.ok and result.error is None and result.page_errors == ()
    assert result.etag == '"v1"' and result.body_hash is not None
    assert NOW + dt.timedelta(minutes=15) <= result.next_poll_at <= NOW + dt.timedelta(minutes=360)
    by_guid = {a.guid: a for a in result.articles}
    assert set(by_guid) == {"grok-3", "deepseek", "colossus"}
    grok = by_guid["grok-3"]
    assert grok.status == "ok" and grok.lang == "fr" and grok.lang_confidence > 0.9
    assert "100 000 GPU H100" in grok.text and "Accueil" not in grok.text and "mentions légales" not in grok.text
    assert grok.canonical_url == http.url("/articles/grok-3")  # utm_source dropped
    assert grok.title == "Alors, où est Grok 3 ?" and grok.author == "Marie Dupont" and grok.site_name == "Le Journal"
    assert grok.published_at == dt.datetime(2025, 1, 5, 7, 0, tzinfo=dt.timezone.utc)
    assert grok.fetched_at == NOW and grok.feed_id == 1 and len(grok.content_hash) == 64
    colossus = by_guid["colossus"]
    assert colossus.lang == "en" and colossus.status == "ok"  # detected English beats the feed's "fr"


def test_known_articles_are_not_fetched(http: HttpServer, fetcher: Fetcher) -> None:
    serve_site(http)
    result = poll(fetcher, request(http.url("/feed.xml")), known={http.url("/articles/deepseek")})
    assert {a.guid for a in result.articles} == {"grok-3", "colossus"}
    assert http.hits("/articles/deepseek") == 0


def test_max_entries_bounds_the_work(http: HttpServer, fetcher: Fetcher) -> None:
    serve_site(http)
    result = poll(fetcher, request(http.url("/feed.xml")), max_entries=1)
    assert [a.guid for a in result.articles] == ["grok-3"]


def test_304_costs_no_parsing_and_no_page(http: HttpServer, fetcher: Fetcher) -> None:
    serve_site(http)
    first = poll(fetcher, request(http.url("/feed.xml")))
    pages_before = sum(1 for r in http.requests if r.path.startswith("/articles/"))
    second = poll(fetcher, request(http.url("/feed.xml"), etag=first.etag, body_hash=first.body_hash))
    assert second.ok and second.not_modified and second.articles == () and second.etag == '"v1"'
    assert http.requests[-1].headers.get("if-none-match") == '"v1"'
    assert sum(1 for r in http.requests if r.path.startswith("/articles/")) == pages_before


def test_unchanged_body_is_recognised_by_its_hash(http: HttpServer, fetcher: Fetcher) -> None:
    serve_site(http)
    first = poll(fetcher, request(http.url("/feed.xml")))
    # ignore_cache_headers: no conditional GET, but the same bytes are still "not modified"
    second = poll(fetcher, request(http.url("/feed.xml"), etag='"v1"', body_hash=first.body_hash, ignore_cache_headers=True))
    assert "if-none-match" not in http.requests[-1].headers
    assert second.not_modified and second.articles == () and second.etag is None


def test_page_without_main_text_keeps_the_feed_summary(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/empty", Response(headers=HTML_TYPE, body=b"<html><body><nav><a href='/'>Accueil</a></nav></body></html>"))
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([{
        "title": "Résumé seul", "link": http.url("/empty"), "guid": "e1",
        "description": "<p>Selon plusieurs sources, xAI aurait déjà installé plus de cent mille processeurs graphiques dans son centre de Memphis.</p>",
    }])))
    (article,) = poll(fetcher, request(http.url("/feed.xml"))).articles
    assert article.status == "summary_only" and article.text.startswith("Selon plusieurs sources")
    assert "<p>" not in article.text and article.lang == "fr" and article.title == "Résumé seul"


def test_non_html_page_is_skipped_with_reason(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/report.pdf", Response(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7"))
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([{"title": "PDF", "link": http.url("/report.pdf")}])))
    (article,) = poll(fetcher, request(http.url("/feed.xml"))).articles
    assert article.status == "skipped" and "not an HTML page" in (article.skip_reason or "") and "pdf" in (article.skip_reason or "")


def test_other_language_is_skipped(http: HttpServer, fetcher: Fetcher) -> None:
    german = (
        "Die Firma xAI hat am Montag angekündigt, dass ihr Rechenzentrum in Memphis inzwischen etwa zweihunderttausend Grafikprozessoren betreibt.\n"
        "Bis Ende nächsten Jahres soll sich die Zahl nach Angaben von Insidern verdoppeln, was mehr als zwanzig Milliarden Dollar kosten dürfte."
    )
    http.route("/de", Response(headers=HTML_TYPE, body=article_html("Colossus wächst", german, lang="de").encode()))
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([{"title": "DE", "link": http.url("/de")}])))
    (article,) = poll(fetcher, request(http.url("/feed.xml"))).articles
    assert article.lang == "de" and article.status == "skipped" and "language de" in (article.skip_reason or "")


def test_rel_canonical_is_honoured_and_deduplicated(http: HttpServer, fetcher: Fetcher) -> None:
    html = article_html("Grok", GROK, canonical="/articles/grok-3-canonique/")
    http.route("/amp/grok", Response(headers=HTML_TYPE, body=html.encode()))
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([{"title": "G", "link": http.url("/amp/grok")}])))
    (article,) = poll(fetcher, request(http.url("/feed.xml"))).articles
    assert article.canonical_url == http.url("/articles/grok-3-canonique")
    again = poll(fetcher, request(http.url("/feed.xml")), known={http.url("/articles/grok-3-canonique")})
    assert again.articles == ()
