"""poll_feed / poll_feeds end to end against the real local server: happy path and misbehaviour."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# -- misbehaving servers: each ends as a clear error or the right article, never a crash ------

def one_item_feed(http: HttpServer, path: str = "/articles/grok-3") -> bytes:
    http.route(path, Response(headers=HTML_TYPE, body=article_html("Grok 3", GROK).encode()))
    return rss([{"title": "Grok", "link": http.url(path), "guid": path}])


def test_500_then_200(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed.xml", [Response(500, body=b"boom"), Response(headers=RSS_TYPE, body=one_item_feed(http))])
    failed = poll(fetcher, request(http.url("/feed.xml"), consecutive_errors=2))
    assert not failed.ok and "HTTP 500" in (failed.error or "") and failed.consecutive_errors == 3
    # third error in a row: 15 min doubled twice, ±10 % jitter
    assert NOW + dt.timedelta(minutes=54) <= failed.next_poll_at <= NOW + dt.timedelta(minutes=66)
    recovered = poll(fetcher, request(http.url("/feed.xml"), consecutive_errors=3))
    assert recovered.ok and recovered.consecutive_errors == 0 and len(recovered.articles) == 1


def test_429_retry_after_is_a_floor_for_the_next_poll(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed.xml", Response(429, {"Retry-After": "7200"}))
    result = poll(fetcher, request(http.url("/feed.xml")))
    assert not result.ok and "retry after 7200s" in (result.error or "")
    assert result.next_poll_at >= NOW + dt.timedelta(seconds=7200)


def test_301_feed_move_reports_new_url(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/old.xml", Response(301, {"Location": "/new.xml"}))
    http.route("/new.xml", Response(headers=RSS_TYPE, body=one_item_feed(http)))
    result = poll(fetcher, request(http.url("/old.xml")))
    assert result.ok and result.new_url == http.url("/new.xml") and len(result.articles) == 1


def test_308_feed_move_with_304(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/old.xml", Response(308, {"Location": "/new.xml"}))
    http.route("/new.xml", not_modified_route(one_item_feed(http), "application/rss+xml", etag='"e"'))
    result = poll(fetcher, request(http.url("/old.xml"), etag='"e"'))
    assert result.not_modified and result.new_url == http.url("/new.xml")


def test_410_disables_the_feed(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed.xml", Response(410))
    result = poll(fetcher, request(http.url("/feed.xml")))
    assert not result.ok and result.disable_reason is not None and "410" in result.disable_reason


def test_redirect_loop(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/a.xml", Response(302, {"Location": "/b.xml"}))
    http.route("/b.xml", Response(302, {"Location": "/a.xml"}))
    result = poll(fetcher, request(http.url("/a.xml")))
    assert not result.ok and "redirect loop" in (result.error or "")


def test_endless_slow_feed(http: HttpServer) -> None:
    from tests.support.http import endless

    http.route("/feed.xml", Response(headers=RSS_TYPE, body=endless(b"<item>", pause=0.02)))
    with Fetcher(fast_fetch_settings(total_deadline=0.4)) as fetcher:
        result = poll(fetcher, request(http.url("/feed.xml")))
    assert not result.ok and "deadline" in (result.error or "")


def test_50_mb_feed(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=lambda: (b"<rss>" + b" " * 65531 for _ in range(800))))
    result = poll(fetcher, request(http.url("/feed.xml")))
    assert not result.ok and "byte limit" in (result.error or "")


def test_gzip_bomb_feed(http: HttpServer, fetcher: Fetcher) -> None:
    import gzip

    bomb = gzip.compress(b"<rss>" + b" " * (64 * 1024 * 1024), compresslevel=6)
    http.route("/feed.xml", Response(headers={**RSS_TYPE, "Content-Encoding": "gzip"}, body=bomb))
    result = poll(fetcher, request(http.url("/feed.xml")))
    assert not result.ok and "after decompression" in (result.error or "")


def test_feed_with_wrong_content_type_still_parses(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed", Response(headers={"Content-Type": "text/html"}, body=one_item_feed(http)))
    result = poll(fetcher, request(http.url("/feed")))
    assert result.ok and len(result.articles) == 1


def test_html_page_instead_of_feed(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed", Response(headers=HTML_TYPE, body=article_html("Accueil", GROK).encode()))
    result = poll(fetcher, request(http.url("/feed")))
    assert not result.ok and "not an RSS/Atom feed" in (result.error or "")


def test_latin1_page_without_charset(http: HttpServer, fetcher: Fetcher) -> None:
    body = article_html("Été", GROK.replace("’", "'").replace("“", '"').replace("”", '"').replace("…", "..."), charset=None)
    http.route("/latin1", Response(headers={"Content-Type": "text/html"}, body=body.encode("latin-1", errors="replace")))
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([{"title": "L", "link": http.url("/latin1")}])))
    (article,) = poll(fetcher, request(http.url("/feed.xml"))).articles
    assert article.status == "ok" and "début 2025" in article.text and "\ufffd" not in article.text


def test_malformed_xml_feed_keeps_its_readable_entries(http: HttpServer, fetcher: Fetcher) -> None:
    broken = one_item_feed(http).replace(b"</channel></rss>", b"<item><title>cut")
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=broken))
    result = poll(fetcher, request(http.url("/feed.xml")))
    assert result.ok and result.bozo_reason is not None and len(result.articles) == 1


def test_empty_feed(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([])))
    result = poll(fetcher, request(http.url("/feed.xml"), mean_interval_s=3600.0))
    assert result.ok and result.articles == () and result.error is None
    assert result.mean_interval_s == 3600.0


def test_feed_with_relative_links(http: HttpServer, fetcher: Fetcher) -> None:
    one_item_feed(http, "/news/grok")
    http.route("/feeds/main.xml", Response(headers=RSS_TYPE, body=rss([{"title": "rel", "link": "../news/grok"}])))
    (article,) = poll(fetcher, request(http.url("/feeds/main.xml"))).articles
    assert article.url == http.url("/news/grok") and article.status == "ok"


def test_robots_disallow_keeps_only_the_feed_summary(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/robots.txt", Response(headers={"Content-Type": "text/plain"}, body=b"User-agent: *\nDisallow: /private/\n"))
    one_item_feed(http, "/private/grok")
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([
        {"title": "Privé", "link": http.url("/private/grok"), "description": "Grok 3 se fait attendre depuis la fin de l'année 2024, selon plusieurs sources proches de xAI."},
        {"title": "Public", "link": http.url("/articles/ok")},
    ])))
    one_item_feed(http, "/articles/ok")
    result = poll(fetcher, request(http.url("/feed.xml")))
    private, public = result.articles
    assert private.status == "summary_only" and "robots.txt" in (private.skip_reason or "")
    assert public.status == "ok"
    assert http.hits("/private/grok") == 0 and http.hits("/robots.txt") == 1  # cached per host


def test_page_errors_do_not_fail_the_feed(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/broken", Response(500))
    one_item_feed(http, "/fine")
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([
        {"title": "broken", "link": http.url("/broken")}, {"title": "fine", "link": http.url("/fine")},
    ])))
    result = poll(fetcher, request(http.url("/feed.xml")))
    assert result.ok and [a.url for a in result.articles] == [http.url("/fine")]
    assert len(result.page_errors) == 1 and "HTTP 500" in result.page_errors[0]


def test_poll_feeds_isolates_bad_feeds_and_deduplicates_across_feeds(http: HttpServer, fetcher: Fetcher) -> None:
    shared = one_item_feed(http, "/articles/shared")
    http.route("/a.xml", Response(headers=RSS_TYPE, body=shared))
    http.route("/b.xml", Response(headers=RSS_TYPE, body=rss([
        {"title": "Grok", "link": http.url("/articles/shared?utm_source=b"), "guid": "other-guid"},
        {"title": "Own", "link": http.url("/articles/own")},
    ])))
    one_item_feed(http, "/articles/own")
    http.route("/gone.xml", Response(410))
    http.route("/garbage.xml", Response(headers=RSS_TYPE, body=b"\x00\xff garbage"))
    feeds = [request(http.url(p), id=i) for i, p in enumerate(["/a.xml", "/gone.xml", "/b.xml", "/garbage.xml"])]
    results = poll_feeds(
        fetcher, feeds, is_known=lambda url, guid: False, schedule=SCHEDULE, now=NOW, max_entries=10, max_workers=3,
        rng=random.Random(3),
    )
    assert [r.feed_id for r in results] == [0, 1, 2, 3]
    assert [r.ok for r in results] == [True, False, True, False]
    urls = [a.canonical_url for r in results for a in r.articles]
    assert sorted(urls) == sorted([http.url("/articles/shared"), http.url("/articles/own")])
    assert http.hits("/articles/shared") == 1


def test_one_slow_host_does_not_hold_back_others(http: HttpServer) -> None:
    import time

    http.route("/slow.xml", Response(headers=RSS_TYPE, body=rss([]), delay=0.3))
    http.route("/fast.xml", Response(headers=RSS_TYPE, body=rss([])))
    slow = [request(http.url("/slow.xml"), id=i) for i in range(3)]
    fast = [request(http.url("/fast.xml", host="localhost"), id=10 + i) for i in range(3)]
    with Fetcher(fast_fetch_settings(per_host_concurrency=1)) as fetcher:
        started = time.monotonic()
        results = poll_feeds(fetcher, slow + fast, is_known=lambda u, g: False, schedule=SCHEDULE, now=NOW, max_entries=5, max_workers=4)
        elapsed = time.monotonic() - started
    assert all(r.ok for r in results)
    # the three slow feeds go one at a time on their host (>= 0.9 s) ...
    assert elapsed >= 0.9
    # ... while the fast host was served right away: its requests all precede the last slow one
    paths = http.paths()
    last_fast = max(i for i, p in enumerate(paths) if p == "/fast.xml")
    last_slow = max(i for i, p in enumerate(paths) if p == "/slow.xml")
    assert last_fast < last_slow


# -- property: whatever the server sends, poll_feed returns a FeedPoll ------------------------

_CONTENT_TYPES = st.sampled_from(["application/rss+xml", "text/html", "text/html; charset=klingon", "application/octet-stream", "", "image/png"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(feed_body=st.binary(max_size=3000), page_body=st.binary(max_size=3000), feed_type=_CONTENT_TYPES, page_type=_CONTENT_TYPES)
def test_arbitrary_bytes_never_escape_poll_feed(
    http: HttpServer, fetcher: Fetcher, feed_body: bytes, page_body: bytes, feed_type: str, page_type: str
) -> None:
    http.route("/page", Response(headers={"Content-Type": page_type} if page_type else {}, body=page_body))
    http.route("/rand.xml", Response(headers={"Content-Type": feed_type} if feed_type else {}, body=feed_body))
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=rss([{"title": "p", "link": http.url("/page")}])))
    for path in ("/rand.xml", "/feed.xml"):
        result = poll(fetcher, request(http.url(path)))
        assert isinstance(result, FeedPoll) and (result.ok or result.error)
        for article in result.articles:
            assert article.status in ("ok", "summary_only", "skipped")
            assert article.status == "ok" or article.skip_reason
