"""An article page's main text and metadata (trafilatura in precision mode, htmldate for the date)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html as htmllib
import logging
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

import trafilatura

_log = logging.getLogger(__name__)
_SPACES = re.compile(r"\s+")
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR_REL = re.compile(r"""\brel\s*=\s*(["']?)([^"'>]*)\1""", re.IGNORECASE)
_ATTR_HREF = re.compile(r"""\bhref\s*=\s*(["']?)([^"'>\s]*)\1""", re.IGNORECASE)
_MIN_CHARS = 150  # below this trafilatura has found a menu or a caption, not an article (its own floor is 1)


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None
    author: str | None
    site_name: str | None
    date: dt.date | None
    canonical_url: str | None
    """As the page declares it (``<link rel=canonical>`` or ``og:url``), absolute; None if absent."""


def extract_page(html: str, url: str) -> Page | None:
    """Main text and metadata of an HTML page, or None when it has no main text.

    Never raises for malformed input: whatever trafilatura cannot read is "no main text".
    """
    if not html or not html.strip():
        return None
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - third-party edge: a page it chokes on has no text
        _log.warning("trafilatura failed on %s, kept as a page without text: %r", url, exc)
        return None
    if doc is None or isinstance(doc, dict):
        return None
    text = (doc.text or "").strip()
    if len(text) < _MIN_CHARS:
        return None
    declared = _declared_canonical(html, url) or (doc.url if doc.url and doc.url != url else None)
    return Page(
        text=text,
        title=_clean(doc.title),
        author=_clean(doc.author),
        site_name=_clean(doc.sitename),
        date=_date(doc.date),
        canonical_url=declared,
    )


def content_hash(text: str) -> str:
    """sha256 (hex) of the text NFKC-normalised, case-folded, whitespace collapsed."""
    normalised = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _declared_canonical(html: str, url: str) -> str | None:
    # trafilatura ignores a relative rel=canonical; read it ourselves from the head
    for tag in _LINK_TAG.findall(html[:200_000]):
        rel = _ATTR_REL.search(tag)
        href = _ATTR_HREF.search(tag)
        if rel and href and "canonical" in rel.group(2).lower().split():
            value = htmllib.unescape(href.group(2)).strip()
            if value:
                try:
                    return urljoin(url, value)
                except ValueError:
                    return None
    return None


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    value = _SPACES.sub(" ", value).strip()
    return value or None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
