"""Canonical article URLs, so one article reached by several links is stored once (courlan)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

import courlan


def canonical_url(url: str, declared: str | None = None) -> str:
    """The canonical form of ``url``, or of the page's declared ``<link rel=canonical>``.

    Lower-cased scheme and host, default port, fragment, tracking parameters (utm_*, fbclid ...)
    and a trailing slash removed. ``declared`` (possibly relative) wins when it is http(s) and on
    the same site (host without ``www.``): a page cannot claim another site's article as itself.
    """
    base = _normalise(url)
    if declared:
        try:
            candidate = _normalise(urljoin(url, declared.strip()))
        except ValueError:
            return base
        if urlsplit(candidate).scheme in ("http", "https") and _site(candidate) == _site(base):
            return candidate
    return base


def _normalise(url: str) -> str:
    url = url.strip()
    try:
        normalised = courlan.normalize_url(url, strict=False, trailing_slash=False)
    except (ValueError, AttributeError):
        normalised = url
    parts = urlsplit(normalised)
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    if not path:
        path = "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
