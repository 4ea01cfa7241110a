"""Redraw docs/digest.png, the README's picture of the digest: the fixture site served on
127.0.0.1, one cycle into a throw-away SQLite database, today's digest rendered in Debian's
chromium by Playwright. Run: ``.venv/bin/python docs/digest_screenshot.py``."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.settings import load_settings  # noqa: E402
from extractors.claims import ClaimExtractor  # noqa: E402
from pipeline.demo import serve_directory  # noqa: E402
from pipeline.digest import build_digest  # noqa: E402
from pipeline.run import prepare, run_once  # noqa: E402
from storage.db import Store  # noqa: E402
from tests.support.render import screenshot_html  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, serve_directory(ROOT / "tests" / "fixtures" / "site") as base:
        settings = load_settings(None, {
            "VEILLE_DATABASE_URL": f"sqlite:///{tmp}/digest.sqlite3", "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
            "VEILLE_FETCH_PER_HOST_DELAY": "0",
        }).with_feeds([base + "feed-all.xml", base + "feed-meta.xml"])
        store = Store(settings.database.url)
        prepare(settings, store)
        run_once(settings, store, ClaimExtractor(settings.nlp, settings.entities_file))
        digest = build_digest(store, dt.datetime.now(dt.UTC).date(), settings)
        out, _ = screenshot_html(digest.html, ROOT / "docs" / "digest.png", width=760, max_height=1100)
        store.dispose()
    print(f"{out}: {digest.subject}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
