from __future__ import annotations

from datetime import UTC, datetime, timedelta

from config.settings import FeedConfig
from storage.articles import add_article
from storage.db import Store
from storage.feeds import (
    PollUpdate,
    add_feed,
    disable_feed,
    due_feeds,
    enable_feed,
    feed_problems,
    feeds_to_poll,
    find_feed,
    list_feeds,
    record_poll,
    remove_feed,
    sync_feeds,
)
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


def test_a_feed_no_longer_configured_is_kept_with_its_articles_but_not_polled(db: Store) -> None:
    a, b = sync_feeds(db, [FeedConfig(url=A), FeedConfig(url=B)])
    add_article(db, make_article("x", feed_id=b.id), [])
    sync_feeds(db, [FeedConfig(url=A)])
    assert [f.url for f in due_feeds(db, NOW)] == [A]
    summaries = {s.state.url: s for s in list_feeds(db)}
    assert summaries[B].state.origin == "removed" and summaries[B].article_count == 1
    # listed again: configured again, same feed, same articles
    again = sync_feeds(db, [FeedConfig(url=A), FeedConfig(url=B)])
    assert again[1].id == b.id and again[1].origin == "config"
    assert {f.url for f in due_feeds(db, NOW)} == {A, B}


def test_a_one_run_feed_is_polled_that_run_only(db: Store) -> None:
    polled = feeds_to_poll(db, [FeedConfig(url=A)], NOW, one_run=[C])
    assert [f.url for f in polled] == [C] and polled[0].origin == "once"
    assert find_feed(db, A) is None  # a --feed run leaves the configured list alone
    assert [f.url for f in feeds_to_poll(db, [FeedConfig(url=A)], NOW)] == [A]
    # a configured feed named with --feed keeps its origin
    assert feeds_to_poll(db, [FeedConfig(url=A)], NOW, one_run=[A])[0].origin == "config"


def test_added_feeds_are_polled_beside_the_configured_ones(db: Store) -> None:
    sync_feeds(db, [FeedConfig(url=A)])
    added, created = add_feed(db, C, name="C", lang="fr")
    assert created and added.origin == "added" and added.name == "C" and added.lang == "fr"
    assert {f.url for f in due_feeds(db, NOW)} == {A, C}
    sync_feeds(db, [FeedConfig(url=A)])  # a config change leaves added feeds alone
    assert {f.url for f in due_feeds(db, NOW)} == {A, C}
    assert add_feed(db, C)[1] is False
    disable_feed(db, C)
    assert {f.url for f in due_feeds(db, NOW)} == {A}
    enable_feed(db, C)
    assert {f.url for f in due_feeds(db, NOW)} == {A, C}
    add_article(db, make_article("c1", feed_id=added.id), [])
    removed = remove_feed(db, C)
    assert removed.state.origin == "removed" and removed.article_count == 1
    assert {f.url for f in due_feeds(db, NOW)} == {A}
    assert add_feed(db, C)[0].id == added.id  # added again: same feed, its history kept


def test_a_redirected_configured_feed_is_still_the_configured_one(db: Store) -> None:
    (a,) = sync_feeds(db, [FeedConfig(url=A)])
    record_poll(db, a.id, PollUpdate(polled_at=NOW, next_poll_at=NOW, ok=True, new_url=A + "2"))
    (again,) = sync_feeds(db, [FeedConfig(url=A)])
    assert again.id == a.id and again.url == A + "2" and again.origin == "config"
    assert [f.url for f in due_feeds(db, NOW)] == [A + "2"]


def test_feed_problems_lists_failing_then_stale_feeds(db: Store) -> None:
    a, b, c = sync_feeds(db, [FeedConfig(url=A), FeedConfig(url=B), FeedConfig(url=C)], now=NOW)
    first_failure = NOW + timedelta(hours=1)
    record_poll(db, a.id, PollUpdate(polled_at=first_failure, next_poll_at=NOW, ok=False, error="HTTP 503"))
    record_poll(db, a.id, PollUpdate(polled_at=NOW + timedelta(hours=2), next_poll_at=NOW, ok=False, error="timeout"))
    add_article(db, make_article("b1", feed_id=b.id, fetched_at=NOW), [])
    add_article(db, make_article("c1", feed_id=c.id, fetched_at=NOW + timedelta(days=9)), [])
    later = NOW + timedelta(days=10)
    for feed in (b, c):
        record_poll(db, feed.id, PollUpdate(polled_at=later, next_poll_at=later, ok=True))
    problems = feed_problems(db, later, stale_after_days=7)
    assert [(p.kind, p.feed.state.url) for p in problems] == [("failing", A), ("stale", B)]
    failing, stale = problems
    assert failing.since == first_failure and failing.detail == "timeout"
    assert stale.since == NOW and "10 day(s)" in stale.detail
    # a success clears the failure (A has brought nothing since it was added: stale);
    # a feed disabled by the user is no problem
    record_poll(db, a.id, PollUpdate(polled_at=later, next_poll_at=later, ok=True))
    disable_feed(db, B)
    [(kind, feed, detail)] = [(p.kind, p.feed.state.url, p.detail) for p in feed_problems(db, later, stale_after_days=7)]
    assert (kind, feed) == ("stale", A) and "since it was added" in detail
