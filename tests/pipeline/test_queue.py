"""Workers on PostgreSQL (procrastinate): two ``veille worker`` processes ingest one cycle that
``veille run --once`` enqueues and waits for; two schedulers enqueue one job per due feed; a
worker SIGKILLed in the middle of a cycle has its job retried by the other after the heartbeat
timeout, and the database ends as an uninterrupted run's."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from config.settings import Settings, load_settings
from extractors.claims import ClaimExtractor
from pipeline.queue import enqueue_due, install, make_app
from pipeline.run import prepare, run_once
from storage.db import Store
from storage.queue import queue_counts
from tests.support.db import snapshot
from tests.support.http import HttpServer, Response

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "site"
pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def _env(db: Store) -> dict[str, str]:
    return {
        "VEILLE_DATABASE_URL": db.url, "VEILLE_QUEUE_BACKEND": "procrastinate",
        "VEILLE_QUEUE_HEARTBEAT_TIMEOUT_SECONDS": "3", "VEILLE_QUEUE_SCHEDULE_EVERY_SECONDS": "1",
        "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0", "VEILLE_NLP_PROCESSES": "1",
    }


def _settings(db: Store, feeds: list[str]) -> Settings:
    return load_settings(None, _env(db)).with_feeds(feeds)


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, env={**os.environ, **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in started:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


def _articles(db: Store) -> list[tuple[str, int]]:
    with db.session() as session:
        rows = session.execute(text(
            "SELECT a.canonical_url, count(c.id) FROM articles a LEFT JOIN claims c ON c.article_id = a.id "
            "GROUP BY a.canonical_url ORDER BY a.canonical_url"
        )).all()
    return [(str(url), int(n)) for url, n in rows]


def test_two_schedulers_enqueue_one_job_per_due_feed(db: Store) -> None:
    settings = _settings(db, ["https://a.example/feed", "https://b.example/feed"])
    install(settings, db)
    now = dt.datetime.now(dt.UTC)
    for _scheduler in range(2):
        app = make_app(settings)
        with app.open():
            assert len(enqueue_due(app, settings, db, now)) == 2
    assert queue_counts(db) == {"pending": 2, "running": 0, "failed": 0, "succeeded": 0}


def test_two_workers_ingest_a_cycle_once(
    db: Store, http: HttpServer, processes: list[subprocess.Popen[bytes]], extractor: ClaimExtractor,
) -> None:
    http.serve_dir("/site", SITE)
    env = _env(db)
    feeds = [http.url("/site/feed-fr.xml"), http.url("/site/feed-en.xml"), http.url("/site/feed-meta.xml")]
    init = subprocess.run([sys.executable, "-m", "pipeline.cli", "init"], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, timeout=120)
    assert init.returncode == 0, init.stderr
    processes.extend(_start(env, "worker", "--concurrency", "2") for _ in range(2))
    args = [a for url in feeds for a in ("--feed", url)]
    once = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--once", *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, timeout=300)
    assert once.returncode == 0, once.stderr.decode()
    assert "3 feed(s) polled (0 unchanged, 0 failed), 8 new article(s)" in once.stdout.decode()
    stored = _articles(db)
    assert len(stored) == 8 and len({url for url, _ in stored}) == 8
    status = subprocess.run([sys.executable, "-m", "pipeline.cli", "status", "--json"], cwd=ROOT,
                            env={**os.environ, **env}, capture_output=True, timeout=60)
    queue = json.loads(status.stdout)["queue"]
    assert queue["running"] == 0 and queue["failed"] == 0


def test_a_sigkilled_worker_has_its_job_retried_by_the_other(
    db: Store, http: HttpServer, processes: list[subprocess.Popen[bytes]], extractor: ClaimExtractor, tmp_path: Path,
) -> None:
    http.serve_dir("/site", SITE)
    slow: dict[str, int] = {"hits": 0}

    def slow_page(handler: object) -> None:  # the first worker is killed while it waits on this page
        slow["hits"] += 1
        time.sleep(8 if slow["hits"] == 1 else 0)
        body = (SITE / "articles" / "xai-colossus-expansion.html").read_bytes()
        handler.send_response(200)  # type: ignore[attr-defined]
        handler.send_header("Content-Type", "text/html; charset=utf-8")  # type: ignore[attr-defined]
        handler.send_header("Content-Length", str(len(body)))  # type: ignore[attr-defined]
        handler.end_headers()  # type: ignore[attr-defined]
        handler.wfile.write(body)  # type: ignore[attr-defined]

    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>slow</title>'
        '<item><title>xAI Colossus</title><link>slow/xai.html</link><guid>slow-1</guid></item>'
        "</channel></rss>"
    ).encode()
    http.route("/slow.xml", Response(headers={"Content-Type": "application/rss+xml"}, body=rss))
    http.route("/slow/xai.html", slow_page)
    feeds = [http.url("/slow.xml"), http.url("/site/feed-fr.xml")]

    # the uninterrupted run, in one process on SQLite
    baseline = Store(f"sqlite:///{tmp_path / 'baseline.sqlite3'}")
    baseline.migrate()
    plain = {**_env(baseline), "VEILLE_QUEUE_BACKEND": "none"}
    baseline_settings = load_settings(None, plain).with_feeds(feeds)
    prepare(baseline_settings, baseline)  # the entity table with its parts, as `veille init` loads it
    expected_report = run_once(baseline_settings, baseline, extractor)
    assert expected_report.articles_new == 4, expected_report.errors
    expected = snapshot(baseline)
    expected_articles = _articles(baseline)
    baseline.dispose()
    slow["hits"] = 0

    env = _env(db)
    init = subprocess.run([sys.executable, "-m", "pipeline.cli", "init"], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, timeout=120)
    assert init.returncode == 0, init.stderr
    first = _start(env, "worker")
    processes.append(first)
    args = [a for url in feeds for a in ("--feed", url)]
    once = _start(env, "run", "--once", "-q", *args)
    processes.append(once)
    deadline = time.monotonic() + 120
    while slow["hits"] == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert slow["hits"] == 1, "the first worker never reached the slow page"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    processes.append(_start(env, "worker"))  # the other worker
    processes.append(_start(env, "run"))  # a scheduler: its periodic task retries stalled jobs
    out, _ = once.communicate(timeout=240)
    assert once.returncode == 0, out.decode()
    assert "2 feed(s) polled" in out.decode()
    assert slow["hits"] == 2  # fetched again by the other worker
    assert _articles(db) == expected_articles
    assert snapshot(db) == expected
