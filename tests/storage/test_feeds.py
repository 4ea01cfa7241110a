from __future__ import annotations

from datetime import UTC, datetime, timedelta

from config.settings import FeedConfig
from storage.articles import add_article
from storage.db import Store
from storage.feeds import PollUpdate, due_feeds, enable_feed, list_feeds, record_poll, sync_feeds
from tests.storage.conftest import make_article

NOW = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
A, B, C = "https://a.example/rss", "https://b.example/atom", "https://c.example/feed"


def test_sync_feeds_upserts_by_url_in_given_order(db: Store) -> None:
    first = sync_feeds(db, [FeedConfig(url=A, name="A"), FeedConfig(url=B, lang="fr")])
    assert [f.url for f in first] == [A, B]
    again = sync_feeds(db, [FeedConfig(url=B, lang="fr", ignore_cache_headers=True), FeedConfig(url=C),
                            FeedConfig(url=A, name="A2")])
    assert [f.url for f in again] == [B, C, A]
    assert again[0].id == first[1].id and again[2].id == first[0].id
    assert again[0].ignore_cache_headers is True
    assert again[2].name == "A2"
    assert again[1].consecutive_errors == 0 and again[1].disabled is False


def test_due_feeds_and_record_poll(db: Store) -> None:
    a, b, c = sync_feeds(db, [FeedConfig(url=A), FeedConfig(url=B), FeedConfig(url=C)])
    assert {f.url for f in due_feeds(db, NOW)} == {A, B, C}
    ok = record_poll(db, a.id, PollUpdate(polled_at=NOW, next_poll_at=NOW + timedelta(minutes=30), ok=True,
                                          etag='"v1"', last_modified="Thu, 01 May 2025 07:00:00 GMT",
                                          body_hash="h1", mean_interval_s=3600.0))
    assert ok.etag == '"v1"' and ok.last_success_at == NOW and ok.consecutive_errors == 0
    failed = record_poll(db, a.id, PollUpdate(polled_at=NOW, next_poll_at=NOW + timedelta(hours=1), ok=False,
                                              error="HTTP 503"))
    assert failed.consecutive_errors == 1 and failed.last_error == "HTTP 503"
    assert failed.etag == '"v1"' and failed.body_hash == "h1" and failed.mean_interval_s == 3600.0
    failed = record_poll(db, a.id, PollUpdate(polled_at=NOW, next_poll_at=NOW + timedelta(hours=2), ok=False,
                                              error="timeout"))
    assert failed.consecutive_errors == 2
    record_poll(db, b.id, PollUpdate(polled_at=NOW, next_poll_at=NOW, ok=False, error="410",
                                     disable_reason="HTTP 410 Gone"))
    assert [f.url for f in due_feeds(db, NOW)] == [C, ]
    later = NOW + timedelta(hours=3)
    assert [f.url for f in due_feeds(db, later)] == [C, A]
    # Named feeds: exactly those, due or not, disabled or not.
    assert [f.url for f in due_feeds(db, NOW, urls=[B, A])] == [B, A]
    recovered = record_poll(db, a.id, PollUpdate(polled_at=later, next_poll_at=later, ok=True))
    assert recovered.consecutive_errors == 0 and recovered.last_error is None
    assert enable_feed(db, B).disabled is False
    assert B in {f.url for f in due_feeds(db, NOW)}


def test_permanent_redirect_moves_the_feed(db: Store) -> None:
    (a,) = sync_feeds(db, [FeedConfig(url=A)])
    moved = record_poll(db, a.id, PollUpdate(polled_at=NOW, next_poll_at=NOW, ok=True, new_url=A + "2"))
    assert moved.url == A + "2" and moved.id == a.id


def test_list_feeds_counts_articles(db: Store) -> None:
    a, b = sync_feeds(db, [FeedConfig(url=A), FeedConfig(url=B)])
    add_article(db, make_article("x", feed_id=a.id), [])
    add_article(db, make_article("y", feed_id=a.id), [])
    summaries = {s.state.url: s.article_count for s in list_feeds(db)}
    assert summaries == {A: 2, B: 0}
