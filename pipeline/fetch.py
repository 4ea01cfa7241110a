"""Fetching feeds and pages over HTTP: one ``httpx.Client`` per :class:`Fetcher`, built once.

Every fetch is bounded: connect/read timeouts, a total deadline checked while the body streams
(an endless slow body stops), a body limit counted *after* decompression (a gzip bomb stops
early: we inflate ourselves with a bounded output size), at most ``max_redirects`` hops, each
hop checked against the SSRF guard. Politeness per host (concurrency, delay) and robots.txt for
article pages live here too, so callers can run many fetches in threads without thinking.

Errors are :class:`config.errors.FetchError` or one of the subclasses below, always carrying
the URL, a one-line reason and the HTTP status when there was one.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
import socket
import threading
import time
import zlib
import dataclasses
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import brotli
import httpx

from config.errors import FetchError
from config.settings import FetchSettings
from extractors.charset import decode
from pipeline.hosts import HostGate
from pipeline.robots import RobotsCache

_REDIRECTS = (301, 302, 303, 307, 308)
_FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_ROBOTS_MAX_BYTES = 512_000  # RFC 9309 §2.5 asks parsers to read at least 500 KiB
_FEED_MARKERS = re.compile(rb"<(?:rss|feed|rdf:RDF|channel)[\s>/]", re.IGNORECASE)
_HTML_MARKERS = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p)[\s>/]", re.IGNORECASE)
_NOT_TEXT = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip")


class RetryLater(FetchError):
    """429 or 503: the server asked us to come back later (``retry_after`` seconds, if it said)."""

    def __init__(self, url: str, reason: str, status: int | None, retry_after: float | None) -> None:
        super().__init__(url, reason, status)
        self.retry_after = retry_after


class Gone(FetchError):
    """410: the resource was removed for good; a feed answering this should be disabled."""


class Refused(FetchError):
    """We would not fetch this URL: robots.txt, a private address, or not http(s)."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    content: bytes
    text: str | None
    """Decoded body for html and feed; None otherwise."""
    content_type: str | None
    kind: str
    """"html", "feed" or "other" (sniffed from the body when the content type is vague or wrong)."""
    etag: str | None
    last_modified: str | None
    not_modified: bool
    moved_permanently_to: str | None
    """Where a chain of 301/308 redirects from ``url`` ended (the feed's new address)."""


class _Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...


class Fetcher:
    """Fetches feeds and article pages; a context manager; safe to share between threads."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.user_agent = f"{settings.user_agent} (+{settings.contact_url})"
        self._client = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            follow_redirects=False,
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            limits=httpx.Limits(max_connections=max(10, settings.max_workers * settings.per_host_concurrency)),
            trust_env=False,  # no module reads the environment; a proxy would also defeat the SSRF guard
        )
        self._gate = HostGate(settings.per_host_concurrency, settings.per_host_delay)
        self._robots = RobotsCache(self._get_robots, settings.user_agent)
        self._interrupted = threading.Event()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def interrupt(self) -> None:
        """Stop soon (SIGTERM): no new request starts, a body being read stops at its next chunk
        (:class:`FetchError` "interrupted"). The client stays open for whoever still holds it."""
        self._interrupted.set()

    def fetch_feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET a feed, conditionally when ``etag``/``last_modified`` are given (304 → ``not_modified``)."""
        headers = {"Accept": _FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._fetch(url, headers, skip_non_text=False, max_bytes=self.settings.max_body_bytes)

    def fetch_page(self, url: str) -> FetchResult:
        """GET an article page; refuses (:class:`Refused`) what robots.txt disallows when ``respect_robots``.

        A page whose content type is plainly not text (PDF, image ...) comes back as kind
        ``"other"`` with an empty body, without downloading it.
        """
        self._check_url(url)
        if self.settings.respect_robots and not self._robots.allowed(url):
            raise Refused(url, "disallowed by robots.txt")
        return self._fetch(url, {"Accept": _PAGE_ACCEPT}, skip_non_text=True, max_bytes=self.settings.max_body_bytes)

    # -- internals --------------------------------------------------------------------------

    def _get_robots(self, url: str) -> tuple[int, str]:
        try:
            result = self._fetch(url, {"Accept": "text/plain"}, skip_non_text=False, max_bytes=_ROBOTS_MAX_BYTES)
        except FetchError as exc:
            return (exc.status or 0, "")
        return result.status, result.content.decode("utf-8", errors="replace")

    def _fetch(self, url: str, headers: dict[str, str], *, skip_non_text: bool, max_bytes: int) -> FetchResult:
        deadline = time.monotonic() + self.settings.total_deadline
        current = url
        seen = {url}
        moved: str | None = None
        permanent = True
        for _ in range(self.settings.max_redirects + 1):
            self._check_url(current)
            outcome = self._one(url, current, headers, deadline, skip_non_text, max_bytes)
            if isinstance(outcome, FetchResult):
                return dataclasses.replace(outcome, moved_permanently_to=moved) if moved else outcome
            status, target = outcome
            if target in seen:
                raise FetchError(url, f"redirect loop at {target}", status)
            seen.add(target)
            permanent = permanent and status in (301, 308)
            moved = target if permanent else moved
            current = target
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects (last to {current})")

    def _one(
        self, url: str, current: str, headers: dict[str, str], deadline: float, skip_non_text: bool, max_bytes: int
    ) -> FetchResult | tuple[int, str]:
        """One request: a finished result, or (status, absolute target) for a redirect."""
        host = urlsplit(current).netloc.lower()
        if self._interrupted.is_set():
            raise FetchError(url, "interrupted: veille is stopping")
        with self._gate.slot(host):
            if self._interrupted.is_set():  # the politeness wait may have been long
                raise FetchError(url, "interrupted: veille is stopping")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(url, f"total deadline of {self.settings.total_deadline:g}s exceeded")
            timeout = httpx.Timeout(
                min(self.settings.read_timeout, remaining), connect=min(self.settings.connect_timeout, remaining)
            )
            try:
                request = self._client.build_request("GET", current, headers=headers, timeout=timeout)
                response = self._client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out ({type(exc).__name__}) fetching {current}") from None
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                raise FetchError(url, f"network error fetching {current}: {exc or type(exc).__name__}") from None
            try:
                self._check_peer(url, response)
                return self._handle(url, current, response, deadline, skip_non_text, max_bytes)
            finally:
                response.close()

    def _handle(
        self, url: str, current: str, response: httpx.Response, deadline: float, skip_non_text: bool, max_bytes: int
    ) -> FetchResult | tuple[int, str]:
        status = response.status_code
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if status in _REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(url, "redirect without a Location header", status)
            return status, urljoin(current, location.strip())
        if status == 304:
            return FetchResult(url, current, 304, b"", None, None, "other", etag, last_modified, True, None)
        if status in (429, 503):
            retry_after = _retry_after(response.headers.get("Retry-After"))
            when = f", retry after {retry_after:g}s" if retry_after is not None else ""
            raise RetryLater(url, f"server asked to retry later{when}", status, retry_after)
        if status == 410:
            raise Gone(url, "gone for good", status)
        if status >= 300 or status < 200:
            reason = "server error" if status >= 500 else "request refused" if status >= 400 else "unexpected status"
            raise FetchError(url, reason, status)
        content_type = response.headers.get("Content-Type")
        mime = (content_type or "").split(";")[0].strip().lower()
        if skip_non_text and mime.startswith(_NOT_TEXT):
            return FetchResult(url, current, status, b"", None, content_type, "other", etag, last_modified, False, None)
        body = self._read(url, response, deadline, max_bytes)
        kind = _sniff(mime, body)
        text = decode(body, content_type, where=url).text if kind in ("html", "feed") else None
        return FetchResult(url, current, status, body, text, content_type, kind, etag, last_modified, False, None)

    def _read(self, url: str, response: httpx.Response, deadline: float, max_bytes: int) -> bytes:
        declared = response.headers.get("Content-Length", "")
        encoding = response.headers.get("Content-Encoding", "identity").lower()
        if declared.isdigit() and int(declared) > max_bytes and encoding in ("", "identity"):
            raise FetchError(url, f"body of {declared} bytes exceeds the {max_bytes}-byte limit", response.status_code)
        decoders = _decoders(url, encoding)
        parts: list[bytes] = []
        total = 0
        try:
            # iter_raw() yields each read as it arrives, so the deadline is checked at least every
            # read_timeout seconds even when a server trickles bytes
            for raw in response.iter_raw():
                if self._interrupted.is_set():
                    raise FetchError(url, "interrupted while reading the body: veille is stopping", response.status_code)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"total deadline of {self.settings.total_deadline:g}s exceeded while reading the body")
                chunk = raw
                for decoder in decoders:
                    chunk = decoder.feed(chunk, max_bytes - total + 1)
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(url, f"body exceeds the {max_bytes}-byte limit (after decompression)", response.status_code)
                parts.append(chunk)
        except httpx.TimeoutException:
            raise FetchError(url, "timed out reading the body", response.status_code) from None
        except (zlib.error, brotli.error) as exc:
            raise FetchError(url, f"corrupt compressed body: {exc}", response.status_code) from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"network error reading the body: {exc or type(exc).__name__}", response.status_code) from None
        return b"".join(parts)

    def _check_url(self, url: str) -> None:
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise Refused(url, f"invalid URL: {exc}") from None
        if parts.scheme not in ("http", "https"):
            raise Refused(url, f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}")
        if not parts.hostname:
            raise Refused(url, "URL has no host")
        if self.settings.allow_private_addresses:
            return
        # Resolved here and again by httpx; _check_peer looks at the address really connected to,
        # so a DNS answer changing in between (rebinding) still cannot reach a private host's body.
        try:
            infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(url, f"cannot resolve host {parts.hostname}: {exc}") from None
        for info in infos:
            address = _non_public(str(info[4][0]))
            if address is not None:
                raise Refused(url, f"host {parts.hostname} resolves to non-public address {address} (fetch.allow_private_addresses is off)")

    def _check_peer(self, url: str, response: httpx.Response) -> None:
        """The address actually connected to: closes the gap a DNS answer changing after _check_url opens."""
        if self.settings.allow_private_addresses:
            return
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if not peer:
            return
        address = _non_public(str(peer[0]))
        if address is not None:
            raise Refused(url, f"connected to non-public address {address} (fetch.allow_private_addresses is off)")


def _non_public(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address when it is private, loopback, link-local, multicast, reserved ...; else None."""
    try:
        address = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address if not address.is_global or address.is_multicast else None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _sniff(mime: str, body: bytes) -> str:
    head = body[:2048].lstrip()
    looks_feed = bool(_FEED_MARKERS.search(head)) and not re.match(rb"(?i)<!doctype\s+html|<html", head)
    looks_html = bool(_HTML_MARKERS.search(head))
    if mime in ("text/html", "application/xhtml+xml"):
        return "feed" if looks_feed else "html"  # some servers send RSS as text/html
    if "xml" in mime or "rss" in mime or "atom" in mime or "rdf" in mime:
        if looks_feed or head.startswith(b"<?xml"):
            return "feed" if looks_feed or not looks_html else "html"
        return "html" if looks_html else "feed"
    if mime in ("", "text/plain", "application/octet-stream", "binary/octet-stream"):
        if looks_feed:
            return "feed"
        if looks_html:
            return "html"
    return "other"


class _Identity:
    def feed(self, data: bytes, limit: int) -> bytes:
        return data


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inflate = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._inflate.decompress(data, max(limit, 1))
        except zlib.error:
            if self._started or self._wbits != zlib.MAX_WBITS:
                raise
            # "deflate" is often sent raw, without the zlib header it should have
            self._wbits = -zlib.MAX_WBITS
            self._inflate = zlib.decompressobj(self._wbits)
            out = self._inflate.decompress(data, max(limit, 1))
        self._started = True
        # output beyond the limit stays in unconsumed_tail, never inflated: memory stays bounded
        return out


class _Brotli:
    def __init__(self) -> None:
        self._inflate = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        return bytes(self._inflate.process(data, output_buffer_limit=max(limit, 1)))


def _decoders(url: str, encoding: str) -> list[_Decoder]:
    decoders: list[_Decoder] = []
    for name in reversed([e.strip() for e in encoding.split(",") if e.strip()]):
        if name in ("identity", ""):
            decoders.append(_Identity())
        elif name in ("gzip", "x-gzip"):
            decoders.append(_Zlib(zlib.MAX_WBITS | 16))
        elif name == "deflate":
            decoders.append(_Zlib(zlib.MAX_WBITS))
        elif name == "br":
            decoders.append(_Brotli())
        else:
            raise FetchError(url, f"unsupported Content-Encoding {name!r}")
    return decoders or [_Identity()]

