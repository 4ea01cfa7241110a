"""Pages rendered in a real browser: Playwright (PyPI) driving Debian's ``chromium``.

No browser is ever downloaded: ``make test`` installs the ``chromium`` package with apt when
it is missing, and Playwright is pointed at ``/usr/bin/chromium``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def chromium_path() -> str:
    """Debian's chromium; a clear failure (never a skip) when it is not installed."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("chromium is not installed: `make test` installs Debian's chromium package")
    return path


def screenshot_html(html: str, out: Path, *, width: int = 800, max_height: int | None = None) -> tuple[Path, str]:
    """Render ``html`` (no network: the page may load nothing from outside) to a full-page PNG
    at ``out`` (cut at ``max_height`` pixels if given); returns its path and the page's text."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 600})
            page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_())
            page.set_content(html, wait_until="load")
            if max_height is None:
                page.screenshot(path=str(out), full_page=True)
            else:
                page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": width, "height": max_height})
            text = page.inner_text("body")
        finally:
            browser.close()
    return out, text
