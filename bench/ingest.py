"""Ingestion benchmark: 200 feeds x 20 realistic French news pages on a local server.

    .venv/bin/python -m bench.ingest [--feeds 200] [--entries 20] [--workers 8]

Prints pages/s for fetch + extract on a first poll, then the wall and CPU time per feed of a
second poll where every feed answers 304 (target: < 1 ms CPU per unchanged feed). The server
runs in a child process so its CPU is not counted against the client.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import html
import multiprocessing
import random
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from config.settings import FetchSettings, ScheduleSettings
from pipeline.fetch import Fetcher
from pipeline.ingest import FeedRequest, poll_feeds

CORPUS = Path("/work/shared/corpus/fr")
FALLBACK_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ingest"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    ready: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(args.feeds, args.entries, ready), daemon=True)
    server.start()
    port, page_bytes = ready.get(timeout=120)
    base = f"http://127.0.0.1:{port}"
    print(f"site: {args.feeds} feeds x {args.entries} entries, mean page {page_bytes / 1024:.1f} KiB, server pid {server.pid}")

    settings = dataclasses.replace(
        FetchSettings(),
        allow_private_addresses=True,
        per_host_delay=0.0,
        per_host_concurrency=args.workers,
        max_workers=args.workers,
    )
    schedule = ScheduleSettings()
    now = dt.datetime.now(dt.timezone.utc)
    feeds = [_request(i, f"{base}/feeds/{i}.xml") for i in range(args.feeds)]
    try:
        with Fetcher(settings) as fetcher:
            wall, cpu = time.perf_counter(), time.process_time()
            first = poll_feeds(fetcher, feeds, is_known=lambda u, g: False, schedule=schedule, now=now,
                               max_entries=args.entries, max_workers=args.workers)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            pages = sum(len(p.articles) for p in first)
            ok = sum(1 for p in first for a in p.articles if a.status == "ok")
            errors = sum(len(p.page_errors) for p in first) + sum(1 for p in first if not p.ok)
            print(f"first poll: {pages} pages ({ok} ok, {errors} errors) in {wall:.2f} s wall, {cpu:.2f} s CPU "
                  f"-> {pages / wall:.1f} pages/s ({cpu / max(pages, 1) * 1000:.1f} ms CPU per page, {args.workers} workers)")

            again = [dataclasses.replace(f, etag=p.etag, last_modified=p.last_modified, body_hash=p.body_hash)
                     for f, p in zip(feeds, first, strict=True)]
            wall, cpu = time.perf_counter(), time.process_time()
            second = poll_feeds(fetcher, again, is_known=lambda u, g: False, schedule=schedule, now=now,
                                max_entries=args.entries, max_workers=args.workers)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            unchanged = sum(1 for p in second if p.not_modified)
            print(f"second poll: {unchanged}/{len(second)} feeds not modified (304) in {wall:.3f} s wall -> "
                  f"{wall / len(second) * 1000:.2f} ms wall and {cpu / len(second) * 1000:.2f} ms CPU per feed")
    finally:
        server.terminate()
        server.join()


def _request(i: int, url: str) -> FeedRequest:
    return FeedRequest(id=i, url=url, lang="fr", etag=None, last_modified=None, body_hash=None,
                       ignore_cache_headers=False, consecutive_errors=0, mean_interval_s=None)


def _serve(feeds: int, entries: int, ready: Any) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))] or [
        p.read_text(encoding="utf-8") for p in sorted(FALLBACK_CORPUS.glob("*.txt"))
    ]
    rng = random.Random(42)
    documents: dict[str, tuple[bytes, str, str]] = {}
    ThreadingHTTPServer.request_queue_size = 256  # the default backlog of 5 drops SYNs under 8 workers (1 s retries)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(documents))
    server.daemon_threads = True
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"
    total = 0
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for f in range(feeds):
        items = []
        for e in range(entries):
            lines = rng.choice(texts).splitlines()
            head, body = lines[:1], lines[1:]
            rng.shuffle(body)
            title = f"{head[0] if head else 'Article'} ({f}-{e})"
            page = _page(title, body, f, e).encode("utf-8")
            total += len(page)
            path = f"/articles/{f}/{e}"
            documents[path] = (page, "text/html; charset=utf-8", _etag(page))
            published = start + dt.timedelta(hours=f + e * 3)
            items.append(
                f"<item><title>{html.escape(title)}</title><link>{base}{path}</link><guid>{f}-{e}</guid>"
                f"<pubDate>{published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                f"<description>{html.escape(' '.join(body[:2])[:300])}</description></item>"
            )
        feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Journal {f}</title>'
                f"<link>{base}/</link><language>fr</language>{''.join(items)}</channel></rss>").encode("utf-8")
        documents[f"/feeds/{f}.xml"] = (feed, "application/rss+xml; charset=utf-8", _etag(feed))
    ready.put((port, total // max(1, feeds * entries)))
    server.serve_forever()


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def _handler(documents: dict[str, tuple[bytes, str, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: Nagle + delayed ACK = 40 ms each

        def do_GET(self) -> None:  # noqa: N802
            found = documents.get(self.path)
            if found is None:
                self._reply(404, b"not found", "text/plain", None)
                return
            body, content_type, etag = found
            if self.headers.get("If-None-Match") == etag:
                self._reply(304, b"", None, etag)
            else:
                self._reply(200, body, content_type, etag)

        def _reply(self, status: int, body: bytes, content_type: str | None, etag: str | None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


_MENU = "".join(f'<li><a href="/rubrique/{i}">Rubrique {i}</a></li>' for i in range(40))
_SCRIPT = "window.dataLayer = window.dataLayer || [];" + "".join(f"dataLayer.push({{'k{i}': {i}}});" for i in range(150))


def _page(title: str, paragraphs: list[str], f: int, e: int) -> str:
    t = html.escape(title)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
    related = "".join(f'<li><a href="/articles/{f}/{(e + k) % 20}">À lire aussi {k}</a></li>' for k in range(1, 8))
    comments = "".join(f'<div class="comment"><b>Lecteur {k}</b><p>Très intéressant, merci !</p></div>' for k in range(6))
    return f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{t} | Journal {f}</title>
<meta name="author" content="Rédaction {f}"><meta property="og:site_name" content="Journal {f}">
<meta property="article:published_time" content="2025-01-{1 + e % 28:02d}T08:00:00+01:00">
<link rel="canonical" href="/articles/{f}/{e}"><script>{_SCRIPT}</script><style>body{{font-family:sans-serif}}</style></head>
<body><header><nav><ul>{_MENU}</ul></nav><div class="banner">Abonnez-vous à notre newsletter</div></header>
<main><article><h1>{t}</h1><p class="byline">Par Rédaction {f}, publié le {1 + e % 28} janvier 2025</p>{body}</article>
<aside><h2>À lire aussi</h2><ul>{related}</ul></aside><section class="comments">{comments}</section></main>
<footer><p>© Journal {f} - Mentions légales - Contact - Publicité</p><ul>{_MENU}</ul></footer></body></html>"""


if __name__ == "__main__":
    main()
