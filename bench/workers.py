"""Ingestion on every core: the same local news site (150 articles) ingested by 1 and by 2
``veille worker`` processes on PostgreSQL, and by 1 and 2 extraction processes on SQLite.

    .venv/bin/python -m bench.workers [--feeds 15] [--entries 10] [--pg URL] [--only sqlite|pg]

Prints, for each case, the articles stored per second of one cycle over a fresh database
(fetch, text, language, spaCy claims, store), the start-up (model loading, paid once per
process) apart; the ratio of the two rates (PostgreSQL target >= 1.6 on this 2-core machine);
and whether every article was stored exactly once. On PostgreSQL the cycle is what
``veille run --once`` does with the queue: enqueue the due feeds, wait until the workers are
done. The site is served by a child process (``bench.ingest``'s pages) so its CPU is not
counted against the client.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from bench.ingest import _serve
from config.settings import FeedConfig, Settings, load_settings
from pipeline.extract_pool import ExtractorPool, make_extractor
from pipeline.queue import install, run_cycle
from pipeline.run import run_once
from storage.db import Store
from storage.models import ArticleRow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=15)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--only", choices=("sqlite", "pg"))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="PostgreSQL worker counts")
    args = parser.parse_args()
    ready: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(args.feeds, args.entries, ready), daemon=True)
    server.start()
    port, page_bytes = ready.get(timeout=120)
    base = f"http://127.0.0.1:{port}"
    expected = args.feeds * args.entries
    print(f"site: {args.feeds} feeds x {args.entries} articles = {expected}, mean page {page_bytes / 1024:.1f} KiB; "
          f"{len(os.sched_getaffinity(0))} core(s)")
    try:
        if args.only != "sqlite":
            pg = {n: _pg(args.pg, base, args.feeds, n, expected) for n in args.workers}
            if 1 in pg and 2 in pg:
                print(f"PostgreSQL ratio 2 workers / 1 worker: {pg[2] / pg[1]:.2f} (target >= 1.6)")
        if args.only != "pg":
            lite = {n: _one(base, args.feeds, n, expected) for n in (1, 2)}
            print(f"SQLite ratio 2 processes / 1 process: {lite[2] / lite[1]:.2f} (target about 2 on 2 cores)")
    finally:
        server.terminate()
        server.join()


def _pg(admin_url: str, base: str, feeds: int, workers: int, expected: int) -> float:
    schema = f"veille_bench_workers_{os.getpid()}_{workers}"
    admin = create_engine(admin_url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{admin_url}?options=-csearch_path%3D{schema}"
    settings = _settings(url, base, feeds, 1)
    settings = dataclasses.replace(settings, queue=dataclasses.replace(settings.queue, backend="procrastinate"))
    store = Store(url)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        store.migrate()
        install(settings, store)
        env = {**os.environ, "VEILLE_DATABASE_URL": url, "VEILLE_QUEUE_BACKEND": "procrastinate",
               "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0",
               "VEILLE_FETCH_PER_HOST_CONCURRENCY": "8", "VEILLE_NLP_PROCESSES": "1"}
        started = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "-q", "worker"], env=env,
                                  cwd=Path(__file__).resolve().parents[1]) for _ in range(workers)]
        while _registered_workers(store) < workers:  # a worker registers once its models are loaded
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker died at start-up")
            time.sleep(0.2)
        warm = time.perf_counter() - started
        started = time.perf_counter()
        report = run_cycle(settings, store)
        wall = time.perf_counter() - started
        with store.session() as session:
            stored = session.scalar(select(func.count(ArticleRow.id))) or 0
            distinct = session.scalar(select(func.count(func.distinct(ArticleRow.canonical_url)))) or 0
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    rate = stored / wall
    once = "every article stored once" if stored == distinct == expected else f"MISMATCH: {stored} rows, {distinct} distinct of {expected}"
    print(f"PostgreSQL, {workers} worker(s): {stored} articles, {report.claims} claims in {wall:.1f} s "
          f"-> {rate:.2f} articles/s (start-up {warm:.1f} s apart); {once}; errors {len(report.errors)}")
    return rate


def _registered_workers(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(text("SELECT count(*) FROM procrastinate_workers")) or 0)


def _one(base: str, feeds: int, processes: int, expected: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", base, feeds, processes)
        store = Store(settings.database.url)
        store.migrate()
        started = time.perf_counter()
        extractor = make_extractor(settings.nlp, settings.entities_file)
        if isinstance(extractor, ExtractorPool):
            for future in extractor._warm:
                future.result()
        else:
            extractor.extract_many([("Le 1er janvier, 10 GPU.", "fr", None), ("On January 1, 10 GPUs.", "en", None)])
        warm = time.perf_counter() - started
        try:
            started = time.perf_counter()
            report = run_once(settings, store, extractor)
            wall = time.perf_counter() - started
        finally:
            if isinstance(extractor, ExtractorPool):
                extractor.close()
        with store.session() as session:
            stored = session.scalar(select(func.count(ArticleRow.id))) or 0
            distinct = session.scalar(select(func.count(func.distinct(ArticleRow.canonical_url)))) or 0
        store.dispose()
    rate = stored / wall
    once = "every article stored once" if stored == distinct == expected else f"MISMATCH: {stored} rows, {distinct} distinct of {expected}"
    print(f"SQLite, {processes} extraction process(es): {stored} articles, {report.claims} claims in {wall:.1f} s "
          f"-> {rate:.2f} articles/s (start-up {warm:.1f} s apart); {once}; errors {len(report.errors)}")
    return rate


def _settings(url: str, base: str, feeds: int, processes: int) -> Settings:
    settings = load_settings(None, {
        "VEILLE_DATABASE_URL": url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0",
        "VEILLE_FETCH_PER_HOST_CONCURRENCY": "8", "VEILLE_NLP_PROCESSES": str(processes),
    })
    return dataclasses.replace(settings, feeds=tuple(FeedConfig(url=f"{base}/feeds/{i}.xml", lang="fr") for i in range(feeds)))


if __name__ == "__main__":
    main()
