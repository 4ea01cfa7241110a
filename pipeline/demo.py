"""``make demo``: a newcomer's first look that needs no network.

Serves ``tests/fixtures/site`` (the corpus articles as news pages plus RSS feeds) on
127.0.0.1, runs one cycle against it into a throw-away SQLite database, and prints what was
found: a line per article and a table of its claims.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table

from config.errors import VeilleError
from config.settings import load_settings
from extractors.claims import ClaimExtractor
from extractors.values import format_value
from pipeline.run import prepare, run_once
from storage.claims import list_claims
from storage.contradictions import list_contradictions
from storage.db import Store

_SITE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=_SITE, help="directory with feed-all.xml")
    args = parser.parse_args(argv)
    console = Console(width=160)
    try:
        return _demo(args.site, console)
    except VeilleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _demo(site: Path, console: Console) -> int:
    if not (site / "feed-all.xml").is_file():
        raise VeilleError(f"{site}: no feed-all.xml to serve")
    with tempfile.TemporaryDirectory(prefix="veille-demo-") as tmp, serve_directory(site) as base:
        settings = load_settings(None, {
            "VEILLE_DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
            "VEILLE_FETCH_PER_HOST_DELAY": "0",
            "VEILLE_DIGEST_OUTBOX_DIR": f"{tmp}/outbox",
        })
        feeds = [base + "feed-all.xml", base + "feed-meta.xml"]
        settings = settings.with_feeds(feeds)
        console.print(f"[bold]veille demo[/bold]: serving {site} at {base}, database in {tmp}")
        store = Store(settings.database.url)
        prepare(settings, store)
        extractor = ClaimExtractor(settings.nlp, settings.entities_file)
        report = run_once(settings, store, extractor)
        console.print(report.line())
        for error in report.errors:
            console.print(f"[yellow]warning[/yellow]: {error}")
        rows = list_claims(store)
        table = Table(title=f"{len(rows)} claim(s) in {report.articles_new} article(s)")
        for column in ("article", "subject", "metric", "value", "qualifier", "figure in the text"):
            table.add_column(column, overflow="fold")
        for row in sorted(rows, key=lambda r: (r.article_url, r.start)):
            table.add_row(
                row.article_url.rsplit("/", 1)[-1].removesuffix(".html"), row.subject or "—",
                row.metric + (" (plan)" if row.is_plan else ""), format_value(row),
                row.qualifier or "", _excerpt(row.sentence),
            )
        console.print(table)
        found = list_contradictions(store)
        console.print("\n[bold]Does it agree?[/bold] (feed-meta.xml: three outlets on Meta's GPU count)")
        console.print(f"{len(found)} contradiction(s) between articles:")
        for item in found:
            console.print(f"  {item.kind}: {item.explanation}")
        store.dispose()
    return 0 if rows else 1


def _excerpt(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= 70 else text[:67] + "…"


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
