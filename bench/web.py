"""Latency of the web app at scale: p50/p95 of ``/api/facts?subject=``, ``/api/search?q=`` and
``/entity/{name}`` over HTTP, on SQLite and PostgreSQL.

    .venv/bin/python bench/web.py                                  # 100,000 articles, 1,000,000 claims
    .venv/bin/python bench/web.py --articles 10000 --claims 100000 --db sqlite   # a quick run

The store is filled by ``bench/store_scale.py``'s loader (claims, facts, contradictions over
``--entities`` subjects), each article given a title and a 120-word text drawn from a
5,000-word vocabulary with Zipf frequencies (so a searched word matches from a few dozen to a
few thousand articles), and ``article_entities`` filled from the claims. ``veille serve``'s
app runs under uvicorn in this process on 127.0.0.1; one keep-alive client sends ``--runs``
requests per endpoint, each for a random entity or word. At a first checkpoint (a tenth of
the size) the same is measured as the baseline: the ratio shows how latency grows with size.
Target: p95 < 50 ms for each endpoint on both databases.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_scale import PG_URL, Loader, _percentiles  # noqa: E402

from storage.db import Store  # noqa: E402

VOCABULARY = 5_000
WORDS_PER_TEXT = 120
TARGET_MS = 50.0
_SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ri", "so", "ta", "ve", "zo", "bra", "cle", "dri", "fu", "gno")


def _word(n: int) -> str:
    out = []
    for _ in range(3):
        n, r = divmod(n, len(_SYLLABLES))
        out.append(_SYLLABLES[r])
    return "".join(out) + _SYLLABLES[n % len(_SYLLABLES)]


WORDS = [_word(i) for i in range(VOCABULARY)]
_WEIGHTS = [1 / (rank + 1) for rank in range(VOCABULARY)]


class TextLoader(Loader):
    """The store_scale loader with article titles and texts for the full-text index."""

    def article(self, aid: int, when: object) -> dict[str, object]:
        row = super().article(aid, when)  # type: ignore[arg-type]
        rng = random.Random(aid)
        words = rng.choices(WORDS, weights=_WEIGHTS, k=WORDS_PER_TEXT)
        row["title"] = " ".join(rng.choices(WORDS, weights=_WEIGHTS, k=6)).capitalize()
        row["text"] = ". ".join(" ".join(words[i:i + 12]).capitalize() for i in range(0, len(words), 12)) + "."
        return row


def fill_article_entities(store: Store) -> None:
    with store.session() as s:
        s.execute(text("DELETE FROM article_entities"))
        s.execute(text(
            "INSERT INTO article_entities (article_id, entity_id, mentions) "
            "SELECT article_id, subject_id, count(*) FROM claims WHERE subject_id IS NOT NULL "
            "GROUP BY article_id, subject_id"
        ))
        s.execute(text("ANALYZE"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``veille serve``'s app under uvicorn, in a thread of this process."""

    def __init__(self, store: Store) -> None:
        import uvicorn

        from pipeline.web import create_app

        self.port = _free_port()
        config = uvicorn.Config(create_app(store), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def measure(base: str, entities: int, runs: int, rng: random.Random) -> dict[str, tuple[float, float, float]]:
    """``{endpoint: (p50 ms, p95 ms, mean items)}``."""
    searched = WORDS[20:2000]  # from a word in ~1 text in 20 to one in ~1,000
    paths = {
        "/api/facts?subject=": lambda: ("/api/facts", {"subject": f"Entity {rng.randrange(entities)}"}),
        "/api/search?q=": lambda: ("/api/search", {"q": rng.choice(searched)}),
        "/entity/{name}": lambda: (f"/entity/Entity {rng.randrange(entities)}", {}),
    }
    out: dict[str, tuple[float, float, float]] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, make in paths.items():
            for _ in range(5):  # warm-up: connection, caches, first template render
                client.get(make()[0], params=make()[1])
            samples, sizes = [], []
            for _ in range(runs):
                path, params = make()
                started = time.perf_counter()
                response = client.get(path, params=params)
                samples.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                sizes.append(len(response.json()["items"]) if path.startswith("/api") else len(response.content))
            p50, p95 = _percentiles(samples)
            out[name] = (p50, p95, sum(sizes) / len(sizes))
    return out


def run(label: str, url: str, articles: int, claims: int, entities: int, runs: int) -> bool:
    store = Store(url)
    store.migrate()
    loader = TextLoader(store, entities, seed=7, claims_per_article=max(1, claims // articles))
    loader.load_entities()
    rng = random.Random(11)
    checkpoints = sorted({max(1, claims // 10), claims})
    print(f"\n== {label}: up to {articles:,} articles, {claims:,} claims, {entities:,} entities ({store.safe_url})")
    print(f"{'articles':>9} {'claims':>10} {'endpoint':<22} {'p50 ms':>8} {'p95 ms':>8} {'items/bytes':>12}")
    first: dict[str, float] = {}
    ok = True
    for target in checkpoints:
        started = time.perf_counter()
        loader.grow_to(target)
        fill_article_entities(store)
        load_s = time.perf_counter() - started
        with Server(store) as base:
            results = measure(base, entities, runs, rng)
        for name, (p50, p95, size) in results.items():
            print(f"{loader.articles:>9,} {target:>10,} {name:<22} {p50:>8.2f} {p95:>8.2f} {size:>12,.0f}")
            first.setdefault(name, p95)
            if target == claims:
                ok &= p95 < TARGET_MS
        print(f"{'':>9} (loaded in {load_s:.0f} s)")
    for name, p95 in first.items():
        last = results[name][1]
        print(f"{name:<22} p95 {checkpoints[-1]:,}/{checkpoints[0]:,} claims: {last:.2f}/{p95:.2f} ms = {last / p95:.2f}×; "
              f"{'under' if last < TARGET_MS else 'OVER'} {TARGET_MS:.0f} ms")
    store.dispose()
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200, help="requests per endpoint and checkpoint")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sqlite-path", default="var/bench/web.sqlite3")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema (its name is printed)")
    args = parser.parse_args()
    ok = True
    if args.db in ("sqlite", "both"):
        path = Path(args.sqlite_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        ok &= run("sqlite", f"sqlite:///{path}", args.articles, args.claims, args.entities, args.runs)
    if args.db in ("postgresql", "both"):
        schema = f"veille_bench_web_{int(time.time())}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            ok &= run("postgresql", f"{PG_URL}?options=-csearch_path%3D{schema}", args.articles, args.claims,
                      args.entities, args.runs)
        finally:
            if args.keep:
                print(f"kept schema {schema}")
            else:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print("\nall p95 under target" if ok else "\nsome p95 OVER target")


if __name__ == "__main__":
    main()
