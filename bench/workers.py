"""Ingestion on every core: the same local news site ingested with 1 and with 2 extraction
processes (SQLite, in-process polling loop).

    .venv/bin/python -m bench.workers [--feeds 15] [--entries 10]

Prints, for each process count, the articles stored per second of one ``run_once`` cycle over a
fresh SQLite database (fetch, text, language, spaCy claims, store), the pool's start-up (model
loading, paid once per daemon) apart, then the ratio of the two rates (target: about 2 on a
2-core machine) and whether every article was stored exactly once. The site is served by a child
process (``bench.ingest``'s pages) so its CPU is not counted against the client.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.ingest import _serve
from config.settings import FeedConfig, Settings, load_settings
from pipeline.extract_pool import ExtractorPool, make_extractor
from pipeline.run import run_once
from storage.db import Store
from storage.models import ArticleRow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=15)
    parser.add_argument("--entries", type=int, default=10)
    args = parser.parse_args()
    ready: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(args.feeds, args.entries, ready), daemon=True)
    server.start()
    port, page_bytes = ready.get(timeout=120)
    base = f"http://127.0.0.1:{port}"
    expected = args.feeds * args.entries
    print(f"site: {args.feeds} feeds x {args.entries} articles = {expected}, mean page {page_bytes / 1024:.1f} KiB; "
          f"{len(os.sched_getaffinity(0))} core(s)")
    rates: dict[int, float] = {}
    try:
        for processes in (1, 2):
            rates[processes] = _one(base, args.feeds, processes, expected)
    finally:
        server.terminate()
        server.join()
    print(f"ratio 2 processes / 1 process: {rates[2] / rates[1]:.2f} (target about 2 on 2 cores)")


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
