"""The analyst's question, end to end: what has been said about Meta's GPU count, by whom, and
does it agree? Three outlets, served over HTTP, read by the real extractor, on both databases."""

from __future__ import annotations

import datetime as dt
import random

from config.settings import load_settings
from extractors.claims import ClaimExtractor
from pipeline.run import prepare, run_once
from storage.contradictions import list_contradictions
from storage.db import Store
from storage.groups import list_claim_groups
from tests.support.http import HttpServer, Response

ARTICLES = {
    "ledger-meta.html": ("Compute Ledger", "2025-01-24", "Meta says it now runs 600,000 GPUs", (
        "Meta now runs about 600,000 GPUs across its data centres, the company said on Friday. "
        "The figure includes chips bought over the past two years for training its Llama models. "
        "Chief executive Mark Zuckerberg told investors that the fleet would keep growing as the "
        "company builds new campuses in Louisiana and Texas."
    )),
    "desk-meta.html": ("Silicon Desk", "2025-01-25", "Inside Meta's GPU fleet", (
        "Meta operates roughly 350,000 GPUs, according to two people familiar with its "
        "infrastructure who asked not to be named. They said a large share of the machines sits in "
        "clusters reserved for recommendation systems rather than for generative models, and that "
        "procurement slowed at the end of last year."
    )),
    "archive-meta.html": ("Chip Archive", "2024-03-10", "Meta's fleet at the end of 2023", (
        "Meta had 150,000 GPUs in its fleet at the end of 2023, according to the research firm "
        "Omdia, which tracks shipments of accelerators to the largest cloud and social media "
        "companies. Microsoft was estimated to hold a similar number over the same period."
    )),
}


def _page(site: str, day: str, title: str, body: str) -> bytes:
    return (
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{day}T09:00:00Z"></head>'
        f"<body><nav>Home · AI · Chips</nav><article><h1>{title}</h1><p>{body}</p></article>"
        f"<footer>© {site}</footer></body></html>"
    ).encode()


def _feed(names: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{ARTICLES[n][2]}</title><link>{n}</link><guid>{n}</guid>"
        f"<pubDate>{dt.date.fromisoformat(ARTICLES[n][1]).strftime('%a, %d %b %Y')} 09:00:00 +0000</pubDate></item>"
        for n in names
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def test_meta_gpu_count_sources_and_disagreements(http: HttpServer, db: Store, extractor: ClaimExtractor) -> None:
    names = list(ARTICLES)
    random.Random(7).shuffle(names)
    for name, (site, day, title, body) in ARTICLES.items():
        http.route(f"/{name}", Response(headers={"Content-Type": "text/html; charset=utf-8"}, body=_page(site, day, title, body)))
    http.route("/feed.xml", Response(headers={"Content-Type": "application/rss+xml"}, body=_feed(names)))
    settings = load_settings(None, {
        "VEILLE_DATABASE_URL": db.url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0",
    }).with_feeds([http.url("/feed.xml")])
    prepare(settings, db)
    report = run_once(settings, db, extractor)
    assert report.articles_new == 3, report.errors

    groups = list_claim_groups(db, subject="facebook", metric="gpu_count")
    values = sorted(g.value_low for g in groups if g.value_low is not None)
    assert values == [150_000, 350_000, 600_000]
    by_value = {g.value_low: g for g in groups}
    assert {s.site_name for s in by_value[600_000].sources} == {"Compute Ledger"}
    assert by_value[600_000].source_count == 1  # headline and body of one article: one source
    assert by_value[150_000].time == "2023"

    found = {(c.kind, c.a.value_low, c.b.value_low): c for c in list_contradictions(db, subject="meta")}
    # the two 2025 reports disagree (a is the later one); the 2023 figure is an older state
    assert set(found) == {
        ("conflict", 350_000, 600_000),
        ("update", 600_000, 150_000),
        ("update", 350_000, 150_000),
    }
    conflict = found[("conflict", 350_000, 600_000)]
    assert "Compute Ledger" in conflict.explanation and "Silicon Desk" in conflict.explanation
    assert conflict.as_json()["a"]["sources"][0]["url"] == http.url("/desk-meta.html")
