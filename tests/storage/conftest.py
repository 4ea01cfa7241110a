"""Builders for storage tests: claims and articles are made by hand (no spaCy here)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from extractors.claims import Claim
from storage.articles import NewArticle

T0 = datetime(2025, 1, 24, 9, 0, tzinfo=UTC)


def make_claim(**overrides: Any) -> Claim:
    values: dict[str, Any] = {
        "subject": "Meta",
        "metric": "gpu_count",
        "value_low": 350_000.0,
        "value_high": 350_000.0,
        "unit": "H100",
        "qualifier": None,
        "hedge": None,
        "time": None,
        "speaker": None,
        "probability": None,
        "sentence": "Meta will have 350,000 H100 GPUs.",
        "start": 15,
        "end": 22,
        "lang": "en",
    }
    values.update(overrides)
    return Claim(**values)


def make_article(slug: str, **overrides: Any) -> NewArticle:
    text = overrides.pop("text", f"Article {slug}: " + " ".join(f"w{slug}{i}" for i in range(60)))
    values: dict[str, Any] = {
        "url": f"https://news.example/{slug}?utm_source=rss",
        "canonical_url": f"https://news.example/{slug}",
        "guid": f"guid-{slug}",
        "feed_id": None,
        "title": f"Title {slug}",
        "author": None,
        "site_name": f"site-{slug}",
        "published_at": T0,
        "fetched_at": T0,
        "lang": "en",
        "text": text,
        "summary": f"Summary {slug}",
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
    }
    values.update(overrides)
    return NewArticle(**values)
