"""parse_feed on RSS, Atom, malformed and non-feed documents, and on arbitrary bytes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.errors import FetchError
from pipeline.feeds import NotAFeed, parse_feed
from tests.support.http import rss

BASE = "https://journal.example/feeds/tech.xml"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Tech Daily</title>
  <entry><title>Colossus grows</title><id>urn:uuid:1</id>
    <link rel="alternate" href="/2025/colossus"/><updated>2025-01-27T08:00:00Z</updated>
    <summary type="html">&lt;b&gt;xAI&lt;/b&gt; adds GPUs</summary></entry>
  <entry><title>No link</title><id>urn:uuid:2</id></entry>
</feed>"""


def test_rss_entries() -> None:
    parsed = parse_feed(rss([
        {"title": "Un", "link": "https://journal.example/a/1", "guid": "g1", "pubDate": "Tue, 28 Jan 2025 09:00:00 +0100",
         "description": "<p>R&#233;sum&#233; &amp; suite</p>"},
        {"title": "Deux", "link": "/a/2"},
        {"title": "Doublon", "link": "https://journal.example/a/1"},
    ]), BASE)
    assert parsed.title == "Le Journal" and parsed.lang == "fr" and parsed.bozo_reason is None
    first, second = parsed.entries
    assert first.guid == "g1" and first.summary == "Résumé & suite" and first.lang == "fr"
    assert first.published == dt.datetime(2025, 1, 28, 8, 0, tzinfo=dt.timezone.utc)
    assert second.url == "https://journal.example/a/2" and second.published is None


def test_atom_entries_relative_links_and_language() -> None:
    parsed = parse_feed(ATOM, BASE)
    (entry,) = parsed.entries  # the entry without any link is dropped
    assert entry.url == "https://journal.example/2025/colossus" and entry.lang == "en" and entry.guid == "urn:uuid:1"
    assert entry.summary == "xAI adds GPUs" and entry.published == dt.datetime(2025, 1, 27, 8, 0, tzinfo=dt.timezone.utc)


def test_guid_permalink_without_link() -> None:
    body = b'<rss version="2.0"><channel><title>t</title><item><guid isPermaLink="true">https://j.example/p</guid></item></channel></rss>'
    assert [e.url for e in parse_feed(body, BASE).entries] == ["https://j.example/p"]


def test_non_http_links_are_dropped() -> None:
    parsed = parse_feed(rss([{"title": "js", "link": "javascript:alert(1)"}, {"title": "mail", "link": "mailto:a@b.c"}]), BASE)
    assert parsed.entries == ()


def test_malformed_but_usable() -> None:
    body = rss([{"title": "Un", "link": "https://journal.example/a/1"}]).replace(b"</channel></rss>", b"<item><title>cut &bad;")
    parsed = parse_feed(body, BASE)
    assert [e.url for e in parsed.entries] == ["https://journal.example/a/1"]
    assert parsed.bozo_reason is not None


def test_empty_feed_is_a_feed() -> None:
    parsed = parse_feed(rss([]), BASE)
    assert parsed.entries == () and parsed.title == "Le Journal"


@pytest.mark.parametrize("body", [b"", b"<html><body><p>Bonjour</p></body></html>", b"\x00\x01\x02", b"/etc/passwd", b"{}"])
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(NotAFeed, match="not an RSS/Atom feed") as err:
        parse_feed(body, BASE)
    assert isinstance(err.value, FetchError) and err.value.url == BASE


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_not_a_feed(body: bytes) -> None:
    try:
        parsed = parse_feed(body, BASE)
    except NotAFeed:
        return
    assert all(e.url.startswith(("http://", "https://")) for e in parsed.entries)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    b"<?xml version='1.0'?>", b"<rss version='2.0'>", b"<channel>", b"<item>", b"</item>", b"<link>", b"</link>",
    b"http://x.org/a", b"../b", b"<title>", b"</title>", b"<pubDate>", b"Tue, 99 Jan 2025", b"</pubDate>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'>", b"<entry>", b"<link href='/c'/>", b"</entry>", b"&amp;", b"&nope;",
    b"<![CDATA[", b"]]>", b"\xff", b"</channel></rss>",
]), max_size=60))
def test_feed_shaped_soup_never_raises(parts: list[bytes]) -> None:
    try:
        parse_feed(b"".join(parts), BASE)
    except NotAFeed:
        pass
