"""How the claims store scales: bulk-load synthetic claims, then time the hot paths.

    .venv/bin/python bench/store_scale.py                 # 1,000,000 claims, SQLite and PostgreSQL
    .venv/bin/python bench/store_scale.py --claims 100000 --db sqlite

Claims are spread over ``--entities`` subjects and five metrics; each (subject, metric) bucket
holds up to four distinct facts, so groups and contradictions exist at every size. The bulk load
writes articles, claims, groups and contradictions with core inserts (the insert rate printed);
at each checkpoint (10k, 100k, 1M claims, capped by ``--claims``) it times the three queries
(``list_claims``, ``list_claim_groups``, ``list_contradictions`` for one subject) and the cost of
``add_article`` with one claim, grouping and contradiction detection included.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.claims import Claim  # noqa: E402
from storage.articles import NewArticle, add_article  # noqa: E402
from storage.claims import list_claims  # noqa: E402
from storage.contradictions import list_contradictions  # noqa: E402
from storage.db import Store  # noqa: E402
from storage.entities import normalize_alias  # noqa: E402
from storage.groups import list_claim_groups  # noqa: E402
from storage.models import (  # noqa: E402
    ArticleRow,
    ClaimGroupRow,
    ClaimRow,
    ContradictionRow,
    EntityAliasRow,
    EntityRow,
)

METRICS = ("gpu_count", "funding", "valuation", "parameter_count", "revenue")
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
T0 = datetime(2023, 1, 1, tzinfo=UTC)
CLAIMS_PER_ARTICLE = 5
BATCH = 20_000


class Loader:
    """Writes synthetic rows in id order; remembers groups so they are written once."""

    def __init__(self, store: Store, entities: int, seed: int, claims_per_article: int = CLAIMS_PER_ARTICLE) -> None:
        self.store = store
        self.claims_per_article = claims_per_article
        self.entities = entities
        self.rng = random.Random(seed)
        self.claims = 0
        self.articles = 0
        self.groups: dict[tuple[int, str, int], int] = {}
        self.bucket_facts: dict[tuple[int, str], set[int]] = {}
        self.contradictions = 0
        self.claim_id = 0
        self.group_id = 0

    def load_entities(self) -> None:
        with self.store.session() as s:
            s.execute(insert(EntityRow), [{"id": i + 1, "name": f"Entity {i}", "kind": "org"}
                                          for i in range(self.entities)])
            s.execute(insert(EntityAliasRow), [
                {"id": i + 1, "entity_id": i + 1, "alias": f"Entity {i}", "alias_norm": normalize_alias(f"Entity {i}")}
                for i in range(self.entities)])

    def grow_to(self, target: int) -> float:
        """Add claims until ``target``; returns claims per second."""
        self._resync_ids()
        started = time.perf_counter()
        while self.claims < target:
            n = min(BATCH, target - self.claims)
            self._batch(n)
        elapsed = time.perf_counter() - started
        self._fix_sequences()
        return (target - 0) / elapsed if elapsed else 0.0

    def _resync_ids(self) -> None:
        # add_article() in the timing phase took ids from the sequences too.
        with self.store.session() as s:
            self.articles = s.execute(text("SELECT coalesce(max(id), 0) FROM articles")).scalar_one()
            self.claim_id = s.execute(text("SELECT coalesce(max(id), 0) FROM claims")).scalar_one()
            self.group_id = s.execute(text("SELECT coalesce(max(id), 0) FROM claim_groups")).scalar_one()
            self.contradictions = s.execute(text("SELECT coalesce(max(id), 0) FROM contradictions")).scalar_one()

    def _batch(self, n: int) -> None:
        articles, claims, groups, contradictions = [], [], [], []
        for _ in range(0, n, self.claims_per_article):
            self.articles += 1
            aid = self.articles
            when = T0 + timedelta(minutes=self.rng.randrange(0, 2 * 365 * 24 * 60))
            articles.append(self.article(aid, when))
            for k in range(min(self.claims_per_article, n - len(claims))):
                self.claims += 1
                self.claim_id += 1
                subject = self.rng.randrange(self.entities) + 1
                metric = self.rng.choice(METRICS)
                fact = self.rng.randrange(4)
                value = float(1000 * subject * (1 + fact))
                key = (subject, metric, fact)
                gid = self.groups.get(key)
                if gid is None:
                    self.group_id += 1
                    gid = self.group_id
                    self.groups[key] = gid
                    groups.append({
                        "id": gid, "subject_id": subject, "metric": metric, "qualifier": None, "is_plan": False,
                        "unit": None, "time": None, "value_low": value, "value_high": value, "hedge": None,
                        "first_seen_at": when, "last_seen_at": when, "mention_count": 1, "source_count": 1,
                    })
                    facts = self.bucket_facts.setdefault((subject, metric), set())
                    for other in sorted(facts):
                        self.contradictions += 1
                        contradictions.append({
                            "id": self.contradictions, "group_a_id": gid,
                            "group_b_id": self.groups[(subject, metric, other)], "subject_id": subject,
                            "metric": metric, "qualifier": None, "kind": "conflict", "gap": 0.5,
                            "explanation": "synthetic", "detected_at": when,
                        })
                    facts.add(fact)
                claims.append({
                    "id": self.claim_id, "article_id": aid, "subject_id": subject, "speaker_id": None,
                    "metric": metric, "qualifier": None, "value_low": value, "value_high": value, "unit": None,
                    "hedge": None, "time": None, "probability": None, "sentence": f"Entity {subject - 1} has {value}.",
                    "start": k, "end": k + 1, "lang": "en", "is_plan": False, "currency_implied": False,
                    "observed_at": when, "group_id": gid,
                })
        with self.store.session() as s:
            s.execute(insert(ArticleRow), articles)
            if groups:
                s.execute(insert(ClaimGroupRow), groups)
            s.execute(insert(ClaimRow), claims)
            if contradictions:
                s.execute(insert(ContradictionRow), contradictions)

    def article(self, aid: int, when: datetime) -> dict[str, object]:
        """The row of synthetic article ``aid`` (bench/web.py gives it a text)."""
        return {
            "id": aid, "url": f"https://bench.example/{aid}", "canonical_url": f"https://bench.example/{aid}",
            "guid": None, "feed_id": None, "title": f"Article {aid}", "author": None, "site_name": "bench",
            "published_at": when, "fetched_at": when, "lang": "en", "text": "", "summary": None,
            "content_hash": f"h{aid}", "duplicate_of": None, "status": "ok", "skip_reason": None,
        }

    def _fix_sequences(self) -> None:
        if self.store.is_sqlite:
            return
        with self.store.session() as s:
            for table in ("entities", "entity_aliases", "articles", "claims", "claim_groups", "contradictions"):
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"coalesce((SELECT max(id) FROM {table}), 1))"))
            s.execute(text("ANALYZE"))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure(loader: Loader, runs: int, tag: str) -> dict[str, float]:
    store, rng = loader.store, loader.rng
    results: dict[str, float] = {}
    for name, query in (
        ("list_claims", lambda e: list_claims(store, subject=e, limit=50)),
        ("list_claim_groups", lambda e: list_claim_groups(store, subject=e)),
        ("list_contradictions", lambda e: list_contradictions(store, subject=e)),
    ):
        samples = _time(lambda q=query: q(f"entity {rng.randrange(loader.entities)}"), runs)
        p50, p95 = _percentiles(samples)
        results[f"{name}_p50"], results[f"{name}_p95"] = p50, p95
    counter = iter(range(10**9))

    def add_one() -> None:
        i = next(counter)
        subject = rng.randrange(loader.entities)
        text_ = f"Bench article {tag} {i} about entity {subject}: " + " ".join(
            f"t{rng.randrange(10**6)}" for _ in range(40))
        claim = Claim(subject=f"Entity {subject}", metric=rng.choice(METRICS),
                      value_low=float(1000 * (subject + 1) * 5), value_high=float(1000 * (subject + 1) * 5),
                      unit=None, qualifier=None, hedge=None, time=None, speaker=None, probability=None,
                      sentence="s", start=0, end=1, lang="en")
        when = T0 + timedelta(days=800)
        add_article(store, NewArticle(
            url=f"https://add.example/{tag}/{i}", canonical_url=f"https://add.example/{tag}/{i}", guid=None,
            feed_id=None, title="t", author=None, site_name="add", published_at=when, fetched_at=when,
            lang="en", text=text_, summary=None, content_hash=f"add-{tag}-{i}"), [claim])

    samples = _time(add_one, runs)
    results["add_claim_p50"], results["add_claim_p95"] = _percentiles(samples)
    return results


def run(label: str, url: str, claims: int, entities: int, runs: int) -> None:
    store = Store(url)
    store.migrate()
    loader = Loader(store, entities, seed=7)
    loader.load_entities()
    checkpoints = sorted({c for c in (10_000, 100_000, 1_000_000) if c <= claims} | {claims})
    print(f"\n== {label}: {claims:,} claims over {entities:,} entities ({store.safe_url})", flush=True)
    print(f"{'claims':>10} {'insert/s':>10} {'claims p50/p95 ms':>18} {'groups p50/p95':>16} "
          f"{'contra p50/p95':>16} {'add 1 claim p50/p95 ms':>22}", flush=True)
    first: float | None = None
    last = 0.0
    for target in checkpoints:
        before = loader.claims
        started = time.perf_counter()
        loader.grow_to(target)
        rate = (target - before) / (time.perf_counter() - started)
        r = measure(loader, runs, f"{label}{target}")
        print(f"{target:>10,} {rate:>10,.0f} {r['list_claims_p50']:>8.2f}/{r['list_claims_p95']:<8.2f} "
              f"{r['list_claim_groups_p50']:>7.2f}/{r['list_claim_groups_p95']:<7.2f} "
              f"{r['list_contradictions_p50']:>7.2f}/{r['list_contradictions_p95']:<7.2f} "
              f"{r['add_claim_p50']:>10.2f}/{r['add_claim_p95']:<10.2f}", flush=True)
        first = r["add_claim_p50"] if first is None else first
        last = r["add_claim_p50"]
    if first:
        print(f"add-one-claim cost ratio {checkpoints[-1]:,}/{checkpoints[0]:,}: {last / first:.2f} (target < 3)")
    store.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100, help="samples per timing")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--sqlite-path", default="var/bench/store_scale.sqlite3")
    args = parser.parse_args()
    if args.db in ("sqlite", "both"):
        path = Path(args.sqlite_path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        run("sqlite", f"sqlite:///{path}", args.claims, args.entities, args.runs)
    if args.db in ("postgresql", "both"):
        schema = f"veille_bench_{int(time.time())}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            run("postgresql", f"{PG_URL}?options=-csearch_path%3D{schema}", args.claims, args.entities, args.runs)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
