"""Two writer processes on one (subject, metric) bucket lose nothing: the bucket lock
serialises regrouping, a transient deadlock or a lost entity race is retried."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from extractors.claims import Claim
from storage.articles import NewArticle, add_article
from storage.claims import list_claims
from storage.db import Store
from storage.locks import lock_key
from tests.storage.conftest import T0, make_article, make_claim
from tests.support.db import empty, snapshot

ROOT = Path(__file__).resolve().parents[2]
PER_WRITER = 60
_VALUES = (100_000.0, 104_000.0, 150_000.0, 200_000.0, 350_000.0, 600_000.0, 610_000.0)

_WRITER = """
import os, sys, time
from pathlib import Path
from storage.articles import add_article
from storage.db import Store
from tests.storage.test_locks import items
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
store = Store(sys.argv[1])
for article, claims in items(int(sys.argv[2])):
    add_article(store, article, claims)
store.dispose()
"""


def items(writer: int) -> list[tuple[NewArticle, list[Claim]]]:
    """What writer ``writer`` stores: Meta GPU counts, and subjects both writers create."""
    out = []
    for k in range(PER_WRITER):
        value = _VALUES[(k + writer) % len(_VALUES)]
        when = T0 + timedelta(days=(k * 7 + writer) % 90)
        claims = [
            make_claim(value_low=value, value_high=value, sentence=f"Meta has {value:.0f} GPUs ({writer}/{k})."),
            make_claim(subject=f"NewCo {k % 4}", metric="funding", unit="USD", value_low=1e9 * (1 + k % 3),
                       value_high=1e9 * (1 + k % 3), sentence=f"NewCo {k % 4} raised money ({writer}/{k})."),
        ]
        out.append((make_article(f"w{writer}-{k}", published_at=when, fetched_at=when), claims))
    return out


def test_lock_keys_are_stable_64_bit() -> None:
    assert lock_key("veille:bucket:1:gpu_count") == lock_key("veille:bucket:1:gpu_count")
    assert lock_key("veille:bucket:1:gpu_count") != lock_key("veille:bucket:2:gpu_count")
    assert -(2**63) <= lock_key("x") < 2**63


def test_two_writer_processes_on_one_bucket_lose_nothing(db: Store, tmp_path: Path) -> None:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, db.url, str(w), str(go)], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for w in (0, 1)
    ]
    time.sleep(1.0)  # both imported and waiting: they start writing at the same instant
    go.touch()
    errors = []
    for proc in procs:
        _out, err = proc.communicate(timeout=240)
        errors.append(err.decode())
        assert proc.returncode == 0, err.decode()[-3000:]
    concurrent = snapshot(db)
    claims = list_claims(db)
    assert len(claims) == 2 * 2 * PER_WRITER
    assert len({c.sentence for c in claims}) == len(claims)

    empty(db)
    for writer in (0, 1):
        for article, item_claims in items(writer):
            add_article(db, article, item_claims)
    assert concurrent == snapshot(db)
    assert concurrent[0] and concurrent[1], "the figures must form groups and contradictions"
