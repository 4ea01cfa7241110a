"""The web app under test: a database built by a real ingest of the fixture site, ``veille
serve`` started as a subprocess on a free port of 127.0.0.1, and Debian's chromium driven by
Playwright (never a downloaded browser).

``site_db_url`` (module scope, SQLite and PostgreSQL) is the database; ``served`` the base URL
of ``veille serve`` over it; ``browser`` a headless chromium for the session.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SITE = ROOT / "tests" / "fixtures" / "site"
FEEDS = ("feed-all.xml", "feed-meta.xml", "feed-hostile.xml")
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
HOSTILE_TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def ingest_fixture_site(url: str, extractor: Any = None) -> None:
    """One ``run_once`` cycle over the fixture site's feeds into the database at ``url``."""
    from config.settings import load_settings
    from extractors.claims import ClaimExtractor
    from pipeline.demo import serve_directory
    from pipeline.run import prepare, run_once
    from storage.db import Store

    with serve_directory(SITE) as base:
        settings = load_settings(None, {
            "VEILLE_DATABASE_URL": url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0",
        }).with_feeds([base + feed for feed in FEEDS])
        store = Store(url)
        try:
            prepare(settings, store)
            report = run_once(settings, store, extractor or ClaimExtractor(settings.nlp, settings.entities_file))
        finally:
            store.dispose()
    if report.feeds_failed or report.errors or report.articles_new != 9:
        raise RuntimeError(f"fixture ingest: {report.line()} {report.errors}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_server(url: str, *, timeout: float = 60.0) -> Iterator[str]:
    """``veille serve`` over ``url`` in a subprocess; yields its base URL once it answers."""
    port = free_port()
    env = os.environ | {"VEILLE_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"veille serve exited with {process.returncode}: {output[-2000:]}")
            try:
                if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"veille serve did not answer on {base} within {timeout}s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Iterator[str]:
    """A database holding the ingested fixture site (nine articles), on each engine."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'veille.sqlite3'}"
        ingest_fixture_site(url, extractor)
        yield url
        return
    from tests.support.db import pg_schema

    with pg_schema(request, f"veille_web_{os.getpid()}_{secrets.token_hex(3)}") as url:
        ingest_fixture_site(url, extractor)
        yield url


@pytest.fixture(scope="module")
def served(site_db_url: str) -> Iterator[str]:
    """Base URL of ``veille serve`` over the module's database."""
    with running_server(site_db_url) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"{CHROMIUM_PATH} missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
