"""Screenshots of the web pages for the README, taken with Playwright driving Debian's chromium.

    python docs/make_screenshots.py                     # ingest the fixture site, serve, shoot
    python docs/make_screenshots.py --url http://127.0.0.1:8000 --entity Meta

Without ``--url`` it does what the browser tests do: serves ``tests/fixtures/site`` on
127.0.0.1, ingests it into a throw-away SQLite database with ``veille run --once``, starts
``veille serve`` on a free port, then writes ``docs/home.png`` and ``docs/entity.png``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.web import CHROMIUM_ARGS, CHROMIUM_PATH, ingest_fixture_site, running_server  # noqa: E402


def shoot(base: str, entity: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 820, "height": 820}, device_scale_factor=1)
        for name, path in (("home", "/"), ("entity", f"/entity/{entity}")):
            page.goto(base + path)
            page.screenshot(path=str(out / f"{name}.png"), full_page=False)
            print(out / f"{name}.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running veille serve (else one is built from the fixture site)")
    parser.add_argument("--entity", default="Meta")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    if args.url:
        shoot(args.url.rstrip("/"), args.entity, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="veille-shots-") as tmp:
        url = f"sqlite:///{tmp}/veille.sqlite3"
        ingest_fixture_site(url)
        with running_server(url) as base:
            shoot(base, args.entity, args.out)


if __name__ == "__main__":
    main()
