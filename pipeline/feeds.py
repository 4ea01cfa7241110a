"""RSS/Atom/RDF parsing (feedparser): malformed but usable feeds still yield their entries."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import io
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from config.errors import FetchError

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


class NotAFeed(FetchError):
    """The body is not RSS, Atom or RDF at all (an HTML page, an error page, garbage)."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    guid: str | None
    url: str
    """Absolute http(s) URL of the article (relative links resolved against the feed URL)."""
    title: str | None
    published: dt.datetime | None
    """Aware, UTC."""
    summary: str | None
    lang: str | None
    updated: dt.datetime | None = None
    """When the feed says the entry last changed (Atom ``updated``), aware UTC."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    lang: str | None
    entries: tuple[FeedEntry, ...]
    bozo_reason: str | None
    """Why feedparser found the document malformed, when it did but still read it."""


def parse_feed(content: bytes, base_url: str) -> ParsedFeed:
    """Entries of a feed document; raises :class:`NotAFeed` when ``content`` is no feed at all.

    Entries without a usable http(s) link are dropped; duplicate links keep the first entry.
    """
    # A BytesIO, never bare bytes: feedparser would try to open bytes as a file *path*.
    try:
        parsed = feedparser.parse(
            io.BytesIO(content),
            # links are resolved below against the URL the feed was fetched from
            response_headers={"content-type": "application/xml"},
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as exc:  # noqa: BLE001 - third-party edge: whatever it chokes on is not a feed
        raise NotAFeed(base_url, f"feed parser failed: {type(exc).__name__}: {exc}") from None
    bozo_reason = _bozo_reason(parsed)
    version = parsed.get("version") or ""
    raw_entries = parsed.get("entries") or []
    if not version and not raw_entries:
        raise NotAFeed(base_url, f"not an RSS/Atom feed ({bozo_reason or 'no feed element'})")
    feed = parsed.get("feed") or {}
    feed_lang = _lang(feed.get("language")) or _lang(feed.get("xml_lang"))
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for raw in raw_entries:
        entry = _entry(raw, base_url, feed_lang)
        if entry is not None and entry.url not in seen:
            seen.add(entry.url)
            entries.append(entry)
    return ParsedFeed(
        title=_text(feed.get("title")),
        lang=feed_lang,
        entries=tuple(entries),
        bozo_reason=bozo_reason,
    )


def _entry(raw: Any, base_url: str, feed_lang: str | None) -> FeedEntry | None:
    guid = _text(raw.get("id"))
    link = _text(raw.get("link"))
    if not link:
        for item in raw.get("links") or []:
            if item.get("rel", "alternate") == "alternate" and item.get("href"):
                link = str(item["href"]).strip()
                break
    if not link and guid and guid.startswith(("http://", "https://")):
        link = guid  # RSS <guid isPermaLink="true"> without <link>
    if not link:
        return None
    try:
        url = urljoin(base_url, link)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    summary = _plain(raw.get("summary"))
    if not summary:
        content = raw.get("content") or []
        summary = _plain(content[0].get("value")) if content else None
    return FeedEntry(
        guid=guid,
        url=url,
        title=_text(raw.get("title")),
        published=_published(raw),
        summary=summary,
        lang=_lang(raw.get("language")) or _lang((raw.get("title_detail") or {}).get("language")) or feed_lang,
        updated=_when(raw, ("updated_parsed",)),
    )


def _published(raw: Any) -> dt.datetime | None:
    return _when(raw, ("published_parsed", "updated_parsed", "created_parsed"))


def _when(raw: Any, keys: tuple[str, ...]) -> dt.datetime | None:
    for key in keys:
        # dict.get, not raw.get: FeedParserDict maps a missing updated_parsed to published_parsed
        # with a DeprecationWarning (feedparser issue 310)
        value = dict.get(raw, key)
        if isinstance(value, time.struct_time):
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _plain(value: Any) -> str | None:
    """Feed summaries are HTML fragments; the article text must be plain."""
    text = _text(value)
    if text is None:
        return None
    text = html.unescape(_TAGS.sub(" ", text))
    return _text(_SPACES.sub(" ", text))


def _lang(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    code = text.replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _bozo_reason(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc is not None else "malformed feed"
