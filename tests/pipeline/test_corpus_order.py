"""The corpus articles (and the fixture site's English ones), read by the real extractor and
stored in any order, give the same claim groups and the same contradictions, on both databases."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from config.settings import load_settings
from extractors.claims import Claim, ClaimExtractor
from extractors.page import content_hash, extract_page
from extractors.urls import canonical_url
from pipeline.run import prepare
from storage.articles import NewArticle, add_article
from storage.db import Store
from tests.support.db import empty, snapshot

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "site" / "articles"
_FETCHED = dt.datetime(2025, 9, 3, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def corpus(extractor: ClaimExtractor) -> list[tuple[NewArticle, list[Claim]]]:
    items = []
    for path in sorted(p for p in ARTICLES.glob("*.html") if p.name != "hostile-title.html"):  # not news: a markup test
        url = f"https://veille.example/articles/{path.name}"
        page = extract_page(path.read_text(encoding="utf-8"), url)
        assert page is not None and page.date is not None, path.name
        lang = "fr" if path.name in ("grok-3-retard.html", "musk-50-millions-gpu.html", "deepseek-moment-spoutnik.html") else "en"
        claims = extractor.extract(page.text, lang, published=page.date)
        article = NewArticle(
            url=url, canonical_url=canonical_url(url), guid=None, feed_id=None, title=page.title,
            author=page.author, site_name=page.site_name,
            published_at=dt.datetime.combine(page.date, dt.time(9), tzinfo=dt.UTC), fetched_at=_FETCHED,
            lang=lang, text=page.text, summary=None, content_hash=content_hash(page.text),
        )
        items.append((article, claims))
    assert len(items) == 9 and sum(len(c) for _, c in items) > 30
    return items


def test_any_order_gives_the_same_groups_and_contradictions(
    db: Store, corpus: list[tuple[NewArticle, list[Claim]]]
) -> None:
    prepare(load_settings(None, {"VEILLE_DATABASE_URL": db.url}), db)
    for article, claims in corpus:
        add_article(db, article, claims)
    expected = snapshot(db)
    assert expected[1], "the Meta reports must disagree"
    for seed in (1, 2):
        shuffled = corpus[:]
        random.Random(seed).shuffle(shuffled)
        empty(db)
        prepare(load_settings(None, {"VEILLE_DATABASE_URL": db.url}), db)
        for article, claims in shuffled:
            add_article(db, article, claims)
        assert snapshot(db) == expected
