"""A real HTTP server on 127.0.0.1 for tests: routes, static directories, a request log.

One ``ThreadingHTTPServer`` runs for the whole session in a daemon thread (fixture
``http_server``); the function-scoped ``http`` fixture clears its routes and log before each
test. A route answers with a :class:`Response` spec, a list of specs (served in order, the last
one repeated: "500 then 200"), or a callable taking the ``BaseHTTPRequestHandler`` for anything
stranger. ``serve_dir`` serves files with proper content types, ETag, Last-Modified and 304.

    def test_feed(http):
        http.route("/feed.xml", Response(body=RSS, headers={"Content-Type": "application/rss+xml"}))
        fetch(http.url("/feed.xml"))
        assert http.requests[-1].headers["user-agent"].startswith("veille")
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest

Body = bytes | Callable[[], Iterable[bytes]]
Handler = Callable[[BaseHTTPRequestHandler], None]

_CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


@dataclass(frozen=True)
class Response:
    """What a route answers.

    ``body`` is bytes, or a zero-argument callable returning an iterable of chunks (for bodies
    too big to hold, or endless ones). ``delay`` waits before the status line; ``chunk_delay``
    waits before each chunk (slow streaming). Without a ``Content-Length`` header, a bytes body
    gets one unless ``chunked``; an iterable body is sent chunked, or raw until close when
    ``chunked`` is False.
    """

    status: int = 200
    headers: Mapping[str, str] | Sequence[tuple[str, str]] = field(default_factory=dict)
    body: Body = b""
    delay: float = 0.0
    chunked: bool | None = None
    chunk_size: int = 65536
    chunk_delay: float = 0.0


class Request(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]
    """Header names lower-cased."""


Route = Response | Handler | list[Response]


class HttpServer:
    """The session's server; see the module docstring."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._hits: dict[str, int] = {}
        self._dirs: dict[str, Path] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        server = self
        self._server = _Server(("127.0.0.1", 0), _make_handler(server))
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """Absolute URL of ``path``; ``host="localhost"`` gives the same server under a second host name."""
        return f"http://{host}:{self.port}{path if path.startswith('/') else '/' + path}"

    def route(self, path: str, handler: Route) -> None:
        with self._lock:
            self._routes[path] = handler
            self._hits[path] = 0

    def serve_dir(self, prefix: str, directory: str | Path) -> None:
        """Serve files under ``directory`` at ``prefix`` (``/site`` → ``/site/a.html``)."""
        with self._lock:
            self._dirs[prefix.rstrip("/")] = Path(directory)

    def hits(self, path: str) -> int:
        """How many requests the route at ``path`` answered since it was set."""
        with self._lock:
            return self._hits.get(path, 0)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def reset(self) -> None:
        self.stopping.set()
        with self._lock:
            self._routes.clear()
            self._hits.clear()
            self._dirs.clear()
            self.requests.clear()
        self.stopping = threading.Event()

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    # -- dispatch, called from handler threads -------------------------------------------

    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        bare = urlsplit(path).path
        with self._lock:
            self.requests.append(Request(h.command, path, {k.lower(): v for k, v in h.headers.items()}))
            key = path if path in self._routes else bare if bare in self._routes else None
            route = self._routes.get(key) if key is not None else None
            if key is not None:
                self._hits[key] += 1
                hit = self._hits[key]
            dirs = dict(self._dirs)
        if route is None:
            for prefix, directory in dirs.items():
                if bare.startswith(prefix + "/"):
                    _serve_file(h, directory, bare[len(prefix) + 1 :])
                    return
            _send(h, Response(404, {"Content-Type": "text/plain"}, b"not found"), self.stopping)
            return
        if callable(route):
            route(h)
        elif isinstance(route, list):
            _send(h, route[min(hit, len(route)) - 1], self.stopping)
        else:
            _send(h, route, self.stopping)


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog of 5 drops connections when many threads fetch at once
    daemon_threads = True


def _make_handler(server: HttpServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are separate writes: Nagle + delayed ACK = 40 ms

        def _any(self) -> None:
            try:
                server._dispatch(self)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
                self.close_connection = True

        do_GET = do_HEAD = do_POST = _any

        def log_message(self, format: str, *args: Any) -> None:
            return

    return _Handler


def _send(h: BaseHTTPRequestHandler, spec: Response, stopping: threading.Event) -> None:
    if spec.delay:
        stopping.wait(spec.delay)
    h.send_response(spec.status)
    headers = list(spec.headers.items()) if isinstance(spec.headers, Mapping) else list(spec.headers)
    names = {k.lower() for k, _ in headers}
    for name, value in headers:
        h.send_header(name, value)
    head = h.command == "HEAD"
    if isinstance(spec.body, bytes):
        chunked = bool(spec.chunked)
        chunks: Iterable[bytes] = _split(spec.body, spec.chunk_size)
        if not chunked and "content-length" not in names:
            h.send_header("Content-Length", str(len(spec.body)))
    else:
        chunked = spec.chunked is not False
        chunks = spec.body()
    if chunked:
        h.send_header("Transfer-Encoding", "chunked")
    elif "content-length" not in names and not isinstance(spec.body, bytes):
        h.send_header("Connection", "close")
        h.close_connection = True
    h.end_headers()
    if head or spec.status in (204, 304):
        return
    for chunk in chunks:
        if stopping.is_set():
            h.close_connection = True
            return
        if spec.chunk_delay:
            stopping.wait(spec.chunk_delay)
        if not chunk:
            continue
        if chunked:
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        else:
            h.wfile.write(chunk)
        h.wfile.flush()
    if chunked:
        h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()


def _split(body: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(body), max(size, 1)):
        yield body[start : start + size]


def _serve_file(h: BaseHTTPRequestHandler, directory: Path, relative: str) -> None:
    root = directory.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        _send(h, Response(404, {"Content-Type": "text/plain"}, b"not found"), threading.Event())
        return
    data = target.read_bytes()
    etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
    mtime = int(target.stat().st_mtime)
    last_modified = email.utils.formatdate(mtime, usegmt=True)
    content_type = _CONTENT_TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0]
    headers = {"Content-Type": content_type or "application/octet-stream", "ETag": etag, "Last-Modified": last_modified}
    if _not_modified(h, etag, mtime):
        _send(h, Response(304, {"ETag": etag, "Last-Modified": last_modified}), threading.Event())
        return
    _send(h, Response(200, headers, data), threading.Event())


def _not_modified(h: BaseHTTPRequestHandler, etag: str, mtime: int) -> bool:
    if_none_match = h.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = h.headers.get("If-Modified-Since")
    if since:
        try:
            parsed = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return mtime <= parsed.timestamp()
    return False


def not_modified_route(body: bytes, content_type: str, *, etag: str | None = None, last_modified: str | None = None) -> Handler:
    """A route answering 200 with validators, then 304 to a matching conditional GET."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        headers = {"Content-Type": content_type}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        match_etag = etag is not None and h.headers.get("If-None-Match") == etag
        match_date = last_modified is not None and h.headers.get("If-Modified-Since") == last_modified
        if match_etag or match_date:
            _send(h, Response(304, {k: v for k, v in headers.items() if k != "Content-Type"}), threading.Event())
        else:
            _send(h, Response(200, headers, body), threading.Event())

    return handler


def endless(chunk: bytes = b"x" * 1024, *, pause: float = 0.0) -> Callable[[], Iterator[bytes]]:
    """A body that never ends (``pause`` seconds between chunks); stops when the test resets."""

    def generate() -> Iterator[bytes]:
        deadline = time.monotonic() + 120  # a leaked stream must not outlive the session by much
        while time.monotonic() < deadline:
            if pause:
                time.sleep(pause)
            yield chunk

    return generate


@pytest.fixture(scope="session")
def http_server() -> Iterator[HttpServer]:
    server = HttpServer()
    yield server
    server.close()


@pytest.fixture
def http(http_server: HttpServer) -> Iterator[HttpServer]:
    http_server.reset()
    yield http_server
    http_server.reset()


def fast_fetch_settings(**overrides: Any) -> Any:
    """FetchSettings for tests against this server: private addresses allowed, small timeouts, no delay."""
    import dataclasses

    from config.settings import FetchSettings

    base = dataclasses.replace(
        FetchSettings(),
        allow_private_addresses=True,
        connect_timeout=2.0,
        read_timeout=2.0,
        total_deadline=5.0,
        per_host_delay=0.0,
        per_host_concurrency=4,
        max_body_bytes=2_000_000,
    )
    return dataclasses.replace(base, **overrides)


@pytest.fixture
def fetcher(http: HttpServer) -> Iterator[Any]:
    """A :class:`pipeline.fetch.Fetcher` with :func:`fast_fetch_settings`, closed after the test."""
    from pipeline.fetch import Fetcher

    with Fetcher(fast_fetch_settings()) as f:
        yield f


def article_html(
    title: str,
    text: str,
    *,
    lang: str = "fr",
    author: str | None = "Marie Dupont",
    site_name: str = "Le Journal",
    published: str | None = "2025-01-28T09:00:00+01:00",
    canonical: str | None = None,
    charset: str | None = "utf-8",
) -> str:
    """A realistic news page: navigation, the article (one <p> per line of ``text``), a footer."""
    from html import escape

    meta = [f'<meta charset="{charset}">' if charset else ""]
    if author:
        meta.append(f'<meta name="author" content="{escape(author)}">')
    meta.append(f'<meta property="og:site_name" content="{escape(site_name)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{escape(canonical)}">')
    paragraphs = "\n".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{''.join(meta)}<title>{escape(title)} | {escape(site_name)}</title></head>
<body><header><nav><a href="/">Accueil</a> <a href="/tech">Tech</a> <a href="/eco">Économie</a></nav></header>
<main><article><h1>{escape(title)}</h1>{paragraphs}</article>
<aside><h2>À lire aussi</h2><ul><li><a href="/autre">Un autre article</a></li></ul></aside></main>
<footer><p>© {escape(site_name)} - mentions légales - contact</p></footer></body></html>"""


def rss(items: list[dict[str, str]], *, title: str = "Le Journal", lang: str | None = "fr") -> bytes:
    """An RSS 2.0 document; each item maps link/title/guid/pubDate/description to text."""
    from html import escape

    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>', f"<title>{escape(title)}</title>"]
    parts.append("<link>https://example.org/</link><description>news</description>")
    if lang:
        parts.append(f"<language>{lang}</language>")
    for item in items:
        parts.append("<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items()) + "</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}
