"""``veille claims`` and ``veille entity`` on a whole list its parts' facts as ``xAI › Colossus``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from storage.articles import add_article
from storage.db import Store
from storage.entities import upsert_entity
from tests.storage.conftest import make_article, make_claim

ROOT = Path(__file__).resolve().parents[2]


def _veille(db: Store, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, capture_output=True, timeout=120,
        env={**os.environ, "VEILLE_DATABASE_URL": db.url, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def test_claims_and_entity_show_the_parts(db: Store) -> None:
    upsert_entity(db, "xAI", kind="org")
    upsert_entity(db, "Colossus", kind="programme", part_of="xAI")
    add_article(db, make_article("a"), [
        make_claim(subject="Colossus", metric="cost", unit="USD", value_low=3e9, value_high=3e9),
        make_claim(subject="xAI", metric="funding", unit="USD", value_low=6e9, value_high=6e9, start=40),
    ])
    records = [json.loads(line) for line in _veille(db, "claims", "--subject", "xAI", "--json").splitlines()]
    assert sorted((r["subject"], r["part_of"]) for r in records) == [("Colossus", "xAI"), ("xAI", None)]
    rows = list(csv.DictReader(io.StringIO(_veille(db, "claims", "--subject", "xAI", "--csv"))))
    assert sorted((r["subject"], r["part_of"]) for r in rows) == [("Colossus", "xAI"), ("xAI", "")]
    mentions = [json.loads(line) for line in
                _veille(db, "claims", "--subject", "xAI", "--mentions", "--json").splitlines()]
    assert sorted((r["subject"], r["part_of"]) for r in mentions) == [("Colossus", "xAI"), ("xAI", None)]
    assert "xAI › Colossus" in _veille(db, "claims", "--subject", "xAI")
    timeline = _veille(db, "entity", "xAI")
    assert "xAI: 2 fact(s)" in timeline and "xAI › Colossus" in timeline
