"""Fetcher against the real local server: validators, errors, limits, decoding, SSRF guard."""

from __future__ import annotations

import gzip
import time
import zlib

import brotli
import pytest

from config.errors import FetchError
from pipeline.fetch import Fetcher, Gone, Refused, RetryLater
from tests.support.http import (
    HTML_TYPE,
    RSS_TYPE,
    HttpServer,
    Response,
    article_html,
    endless,
    fast_fetch_settings,
    not_modified_route,
    rss,
)

FEED = rss([{"title": "Un", "link": "https://example.org/1"}])
PAGE = article_html("Titre", "Le contenu de l'article, avec des accents : é à ç.").encode("utf-8")


def test_feed_fetch_sends_user_agent_and_sniffs_kind(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=FEED))
    result = fetcher.fetch_feed(http.url("/feed.xml"))
    assert (result.status, result.kind, result.not_modified) == (200, "feed", False)
    assert result.content == FEED and result.text is not None and "<rss" in result.text
    user_agent = http.requests[-1].headers["user-agent"]
    assert user_agent == "veille/0.1 (technology-watch bot) (+https://github.com/veille/veille)"


def test_304_after_etag(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed.xml", not_modified_route(FEED, "application/rss+xml", etag='"v1"'))
    first = fetcher.fetch_feed(http.url("/feed.xml"))
    assert first.etag == '"v1"' and not first.not_modified
    second = fetcher.fetch_feed(http.url("/feed.xml"), etag=first.etag)
    assert second.not_modified and second.status == 304 and second.content == b""
    assert http.requests[-1].headers["if-none-match"] == '"v1"'


def test_304_after_last_modified(http: HttpServer, fetcher: Fetcher) -> None:
    stamp = "Tue, 28 Jan 2025 09:00:00 GMT"
    http.route("/feed.xml", not_modified_route(FEED, "application/rss+xml", last_modified=stamp))
    first = fetcher.fetch_feed(http.url("/feed.xml"))
    assert first.last_modified == stamp
    assert fetcher.fetch_feed(http.url("/feed.xml"), last_modified=stamp).not_modified


def test_serve_dir_answers_304_to_its_own_validators(http: HttpServer, fetcher: Fetcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "feed.rss").write_bytes(FEED)
    http.serve_dir("/static", tmp_path)
    first = fetcher.fetch_feed(http.url("/static/feed.rss"))
    assert first.kind == "feed" and first.content_type == "application/rss+xml"
    assert fetcher.fetch_feed(http.url("/static/feed.rss"), etag=first.etag).not_modified
    assert fetcher.fetch_feed(http.url("/static/feed.rss"), last_modified=first.last_modified).not_modified


def test_server_error_then_success(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/flaky.xml", [Response(500, body=b"oops"), Response(headers=RSS_TYPE, body=FEED)])
    with pytest.raises(FetchError) as err:
        fetcher.fetch_feed(http.url("/flaky.xml"))
    assert err.value.status == 500 and "server error" in str(err.value)
    assert fetcher.fetch_feed(http.url("/flaky.xml")).content == FEED


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds(http: HttpServer, fetcher: Fetcher, status: int) -> None:
    http.route("/busy.xml", Response(status, {"Retry-After": "120"}, b"slow down"))
    with pytest.raises(RetryLater) as err:
        fetcher.fetch_feed(http.url("/busy.xml"))
    assert err.value.retry_after == 120.0 and err.value.status == status


def test_retry_after_http_date(http: HttpServer, fetcher: Fetcher) -> None:
    import email.utils

    http.route("/busy.xml", Response(429, {"Retry-After": email.utils.formatdate(time.time() + 3600, usegmt=True)}))
    with pytest.raises(RetryLater) as err:
        fetcher.fetch_feed(http.url("/busy.xml"))
    assert err.value.retry_after is not None and 3500 < err.value.retry_after <= 3600


def test_permanent_redirect_reports_new_url(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/old.xml", Response(301, {"Location": "/new.xml"}))
    http.route("/new.xml", Response(headers=RSS_TYPE, body=FEED))
    result = fetcher.fetch_feed(http.url("/old.xml"))
    assert result.moved_permanently_to == http.url("/new.xml") and result.final_url == http.url("/new.xml")


def test_temporary_redirect_is_not_a_move(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/old.xml", Response(301, {"Location": "/tmp.xml"}))
    http.route("/tmp.xml", Response(302, {"Location": "/new.xml"}))
    http.route("/new.xml", Response(headers=RSS_TYPE, body=FEED))
    result = fetcher.fetch_feed(http.url("/old.xml"))
    assert result.moved_permanently_to == http.url("/tmp.xml")
    http.route("/start.xml", Response(302, {"Location": "/new.xml"}))
    assert fetcher.fetch_feed(http.url("/start.xml")).moved_permanently_to is None


def test_gone(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/gone.xml", Response(410))
    with pytest.raises(Gone) as err:
        fetcher.fetch_feed(http.url("/gone.xml"))
    assert err.value.status == 410


def test_redirect_loop_is_a_clear_error(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/a", Response(302, {"Location": "/b"}))
    http.route("/b", Response(302, {"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch_feed(http.url("/a"))
    assert http.hits("/a") == 1 and http.hits("/b") == 1


def test_too_many_redirects(http: HttpServer) -> None:
    for i in range(5):
        http.route(f"/r{i}", Response(302, {"Location": f"/r{i + 1}"}))
    with Fetcher(fast_fetch_settings(max_redirects=3)) as fetcher, pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher.fetch_feed(http.url("/r0"))
    assert http.hits("/r4") == 0


def test_endless_slow_body_stops_at_the_deadline(http: HttpServer) -> None:
    http.route("/slow.xml", Response(headers=RSS_TYPE, body=endless(b"<item>", pause=0.05)))
    started = time.monotonic()
    with Fetcher(fast_fetch_settings(total_deadline=0.5)) as fetcher, pytest.raises(FetchError, match="deadline"):
        fetcher.fetch_feed(http.url("/slow.xml"))
    assert time.monotonic() - started < 2.0


def test_stalled_server_hits_the_read_timeout(http: HttpServer) -> None:
    http.route("/stall.xml", Response(headers=RSS_TYPE, body=FEED, delay=1.0))
    with Fetcher(fast_fetch_settings(read_timeout=0.2)) as fetcher, pytest.raises(FetchError, match="timed out"):
        fetcher.fetch_feed(http.url("/stall.xml"))


def test_50_mb_body_stops_at_the_limit(http: HttpServer, fetcher: Fetcher) -> None:
    fifty_mb = 50 * 1024 * 1024
    http.route("/big.html", Response(headers=HTML_TYPE, body=lambda: (b"a" * 65536 for _ in range(fifty_mb // 65536))))
    started = time.monotonic()
    with pytest.raises(FetchError, match="byte limit"):
        fetcher.fetch_page(http.url("/big.html"))
    assert time.monotonic() - started < 2.0


def test_declared_oversize_is_refused_before_reading(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/big.xml", Response(headers={**RSS_TYPE, "Content-Length": str(50 * 1024 * 1024)}, body=endless()))
    with pytest.raises(FetchError, match="exceeds"):
        fetcher.fetch_feed(http.url("/big.xml"))


def test_gzip_bomb_stops_early(http: HttpServer, fetcher: Fetcher) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=6)  # 64 MB inflated, ~64 KB sent
    http.route("/bomb.html", Response(headers={**HTML_TYPE, "Content-Encoding": "gzip"}, body=bomb))
    with pytest.raises(FetchError, match="after decompression"):
        fetcher.fetch_page(http.url("/bomb.html"))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "br"])
def test_compressed_bodies_are_decoded(http: HttpServer, fetcher: Fetcher, encoding: str) -> None:
    if encoding == "gzip":
        body = gzip.compress(PAGE)
    elif encoding == "deflate":
        body = zlib.compress(PAGE)
    elif encoding == "raw-deflate":
        squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = squeeze.compress(PAGE) + squeeze.flush()
    else:
        body = brotli.compress(PAGE)
    header = "deflate" if encoding == "raw-deflate" else encoding
    http.route("/page.html", Response(headers={**HTML_TYPE, "Content-Encoding": header}, body=body))
    result = fetcher.fetch_page(http.url("/page.html"))
    assert result.content == PAGE and result.kind == "html"
    assert "br" in http.requests[-1].headers["accept-encoding"]


def test_latin1_page_without_charset_is_decoded(http: HttpServer, fetcher: Fetcher) -> None:
    text = "L'été dernier, l'entreprise a acheté des centaines de milliers de puces à prix élevé. " * 5
    body = article_html("Été", text, charset=None).encode("latin-1")
    http.route("/latin1.html", Response(headers={"Content-Type": "text/html"}, body=body))
    result = fetcher.fetch_page(http.url("/latin1.html"))
    assert result.text is not None and "été dernier, l" in result.text and "\ufffd" not in result.text


def test_declared_meta_charset_is_used(http: HttpServer, fetcher: Fetcher) -> None:
    body = article_html("Été", "Déjà là", charset="iso-8859-1").encode("latin-1")
    http.route("/meta.html", Response(headers={"Content-Type": "text/html"}, body=body))
    assert "Déjà là" in (fetcher.fetch_page(http.url("/meta.html")).text or "")


def test_wrong_content_types_are_sniffed(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/feed-as-html", Response(headers=HTML_TYPE, body=FEED))
    http.route("/page-as-binary", Response(headers={"Content-Type": "application/octet-stream"}, body=PAGE))
    http.route("/page-no-type", Response(body=PAGE))
    http.route("/doc.pdf", Response(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.4 " + b"x" * 1000))
    assert fetcher.fetch_feed(http.url("/feed-as-html")).kind == "feed"
    assert fetcher.fetch_page(http.url("/page-as-binary")).kind == "html"
    assert fetcher.fetch_page(http.url("/page-no-type")).kind == "html"
    pdf = fetcher.fetch_page(http.url("/doc.pdf"))
    assert (pdf.kind, pdf.content, pdf.text) == ("other", b"", None)


def test_ssrf_guard_refuses_loopback(http: HttpServer) -> None:
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=FEED))
    with Fetcher(fast_fetch_settings(allow_private_addresses=False)) as fetcher:
        with pytest.raises(Refused, match="non-public address 127.0.0.1"):
            fetcher.fetch_feed(http.url("/feed.xml"))
        with pytest.raises(Refused, match="non-public"):
            fetcher.fetch_page(f"http://[::ffff:127.0.0.1]:{http.port}/feed.xml")
    assert http.hits("/feed.xml") == 0


@pytest.mark.parametrize("host", ["10.0.0.1", "169.254.169.254", "192.168.1.1", "[::1]", "224.0.0.1", "0.0.0.0"])
def test_ssrf_guard_refuses_private_ranges(host: str) -> None:
    with Fetcher(fast_fetch_settings(allow_private_addresses=False)) as fetcher, pytest.raises(Refused, match="non-public"):
        fetcher.fetch_page(f"http://{host}/feed.xml")


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "/relative/feed.xml"])
def test_only_http_and_https(fetcher: Fetcher, url: str) -> None:
    with pytest.raises(Refused, match="only http and https"):
        fetcher.fetch_feed(url)


def test_connection_refused_is_a_fetch_error(fetcher: Fetcher) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="network error"):
        fetcher.fetch_feed(f"http://127.0.0.1:{port}/feed.xml")


# -- politeness and robots.txt ----------------------------------------------------------------

def _in_threads(count: int, call) -> float:  # type: ignore[no-untyped-def]
    import threading

    threads = [threading.Thread(target=call) for _ in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def test_per_host_concurrency_limits_requests_in_flight(http: HttpServer) -> None:
    http.route("/slow.html", Response(headers=HTML_TYPE, body=PAGE, delay=0.2))
    with Fetcher(fast_fetch_settings(per_host_concurrency=2, respect_robots=False)) as fetcher:
        elapsed = _in_threads(4, lambda: fetcher.fetch_page(http.url("/slow.html")))
    assert 0.4 <= elapsed < 0.75  # two waves of two, not one wave of four and not four in a row


def test_other_hosts_are_not_held_back(http: HttpServer) -> None:
    http.route("/slow.html", Response(headers=HTML_TYPE, body=PAGE, delay=0.3))
    with Fetcher(fast_fetch_settings(per_host_concurrency=1, respect_robots=False)) as fetcher:
        import threading

        slow = [threading.Thread(target=fetcher.fetch_page, args=(http.url("/slow.html"),)) for _ in range(3)]
        for thread in slow:
            thread.start()
        time.sleep(0.05)
        started = time.monotonic()
        fetcher.fetch_page(http.url("/slow.html", host="localhost"))
        other_host = time.monotonic() - started
        for thread in slow:
            thread.join()
    assert other_host < 0.6  # one slow request, not queued behind the 127.0.0.1 ones


def test_per_host_delay_spaces_request_starts(http: HttpServer) -> None:
    http.route("/p.html", Response(headers=HTML_TYPE, body=PAGE))
    with Fetcher(fast_fetch_settings(per_host_delay=0.15, per_host_concurrency=4, respect_robots=False)) as fetcher:
        elapsed = _in_threads(4, lambda: fetcher.fetch_page(http.url("/p.html")))
    assert elapsed >= 0.45  # starts at 0, 0.15, 0.30, 0.45


def test_robots_txt_is_fetched_once_per_host_and_obeyed(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/robots.txt", Response(headers={"Content-Type": "text/plain"}, body=(
        b"User-agent: veille\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n"
    )))
    http.route("/public.html", Response(headers=HTML_TYPE, body=PAGE))
    http.route("/private/a.html", Response(headers=HTML_TYPE, body=PAGE))
    assert fetcher.fetch_page(http.url("/public.html")).status == 200  # the veille group, not *
    with pytest.raises(Refused, match="robots.txt"):
        fetcher.fetch_page(http.url("/private/a.html"))
    assert fetcher.fetch_page(http.url("/public.html")).status == 200
    assert http.hits("/robots.txt") == 1 and http.hits("/private/a.html") == 0
    fetcher.fetch_page(http.url("/public.html", host="localhost"))
    assert http.hits("/robots.txt") == 2  # another host, another robots.txt


def test_robots_txt_not_consulted_for_feeds(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/robots.txt", Response(headers={"Content-Type": "text/plain"}, body=b"User-agent: *\nDisallow: /\n"))
    http.route("/feed.xml", Response(headers=RSS_TYPE, body=FEED))
    assert fetcher.fetch_feed(http.url("/feed.xml")).kind == "feed"
    assert http.hits("/robots.txt") == 0


def test_missing_robots_txt_allows_everything(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/p.html", Response(headers=HTML_TYPE, body=PAGE))
    assert fetcher.fetch_page(http.url("/p.html")).status == 200
    assert "/robots.txt" in http.paths()


def test_unreachable_robots_txt_disallows(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/robots.txt", Response(500))
    http.route("/p.html", Response(headers=HTML_TYPE, body=PAGE))
    with pytest.raises(Refused, match="robots.txt"):
        fetcher.fetch_page(http.url("/p.html"))


def test_respect_robots_off(http: HttpServer) -> None:
    http.route("/robots.txt", Response(headers={"Content-Type": "text/plain"}, body=b"User-agent: *\nDisallow: /\n"))
    http.route("/p.html", Response(headers=HTML_TYPE, body=PAGE))
    with Fetcher(fast_fetch_settings(respect_robots=False)) as fetcher:
        assert fetcher.fetch_page(http.url("/p.html")).status == 200
    assert http.hits("/robots.txt") == 0


def test_connected_address_is_checked_too(http: HttpServer) -> None:
    # stands in for DNS rebinding: the name check is skipped, the connection's peer is still checked
    import time as clock

    http.route("/feed.xml", Response(headers=RSS_TYPE, body=FEED))
    with Fetcher(fast_fetch_settings(allow_private_addresses=False)) as fetcher, pytest.raises(Refused, match="connected to non-public"):
        fetcher._one(http.url("/feed.xml"), http.url("/feed.xml"), {}, clock.monotonic() + 5, False, 10_000)
