"""OPML in and out: the feed-list format every reader imports and exports.

``parse_opml`` reads every ``<outline xmlUrl=...>`` at any depth (categories are folders of
outlines); ``render_opml`` writes an OPML 2.0 document. A file that is not OPML, or an outline
whose URL is not http(s), is a :class:`InputError` naming the file: nothing is imported.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from config.errors import InputError
from config.settings import LANGUAGES, FeedConfig


def parse_opml(data: bytes, *, source: str) -> list[FeedConfig]:
    """The feeds listed in an OPML document, in document order, each URL once."""
    if b"<!ENTITY" in data:
        raise InputError(source, "OPML with entity declarations is refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(source, f"not XML: {exc}") from None
    if root.tag.lower() != "opml" or root.find("body") is None:
        raise InputError(source, f"not an OPML document (root element <{root.tag}>, no <body>)")
    feeds: dict[str, FeedConfig] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        if not url.startswith(("http://", "https://")):
            raise InputError(source, f"outline {outline.get('text') or url!r}: not an http(s) URL: {url!r}")
        name = (outline.get("title") or outline.get("text") or "").strip() or None
        lang = (outline.get("language") or "").strip().lower()[:2] or None
        feeds.setdefault(url, FeedConfig(url=url, name=name, lang=lang if lang in LANGUAGES else None))
    return list(feeds.values())


def render_opml(feeds: Sequence[FeedConfig], *, title: str = "veille feeds") -> str:
    """An OPML 2.0 document listing ``feeds``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attrs = {"type": "rss", "text": feed.name or feed.url, "xmlUrl": feed.url}
        if feed.name:
            attrs["title"] = feed.name
        if feed.lang:
            attrs["language"] = feed.lang
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
