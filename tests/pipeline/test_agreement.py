"""The analyst's question, end to end: what has been said about Meta's GPU count, by whom, and
does it agree? Three outlets (``tests/fixtures/site/feed-meta.xml``), served over HTTP, read by
the real extractor, on both databases."""

from __future__ import annotations

from pathlib import Path

from config.settings import load_settings
from extractors.claims import ClaimExtractor
from pipeline.run import prepare, run_once
from storage.contradictions import list_contradictions
from storage.db import Store
from storage.groups import list_claim_groups
from tests.support.http import HttpServer

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"


def test_meta_gpu_count_sources_and_disagreements(http: HttpServer, db: Store, extractor: ClaimExtractor) -> None:
    http.serve_dir("/site", SITE)
    settings = load_settings(None, {
        "VEILLE_DATABASE_URL": db.url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0",
    }).with_feeds([http.url("/site/feed-meta.xml")])
    prepare(settings, db)
    report = run_once(settings, db, extractor)
    assert report.articles_new == 3, report.errors

    groups = list_claim_groups(db, subject="facebook", metric="gpu_count")  # any alias finds Meta
    by_value = {g.value_low: g for g in groups}
    assert sorted(v for v in by_value if v is not None) == [150_000, 350_000, 600_000]
    assert {s.site_name for s in by_value[600_000].sources} == {"Compute Ledger"}
    assert by_value[600_000].source_count == 1  # headline and body of one article: one source
    assert by_value[150_000].time == "2023"

    found = {(c.kind, c.a.value_low, c.b.value_low): c for c in list_contradictions(db, subject="meta")}
    # the two January 2025 reports disagree (a is the later); the 2023 figure is an older state
    assert set(found) == {
        ("conflict", 350_000, 600_000),
        ("update", 600_000, 150_000),
        ("update", 350_000, 150_000),
    }
    conflict = found[("conflict", 350_000, 600_000)]
    assert "Compute Ledger" in conflict.explanation and "Silicon Desk" in conflict.explanation
    assert conflict.as_json()["a"]["sources"][0]["url"] == http.url("/site/articles/meta-gpus-desk.html")
