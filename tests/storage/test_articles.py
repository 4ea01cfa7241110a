from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from storage.articles import add_article, article_exists, articles_between, count_articles
from storage.claims import list_claims
from storage.db import Store
from storage.entities import get_entity, upsert_entity
from storage.models import ClaimRow
from tests.storage.conftest import T0, make_article, make_claim

LONG = (
    "Meta said on Thursday that it would end the year with about 600,000 GPUs, a fleet that "
    "Mark Zuckerberg described as one of the largest in the industry. The company also plans to "
    "spend between 60 and 65 billion dollars on capital expenditure this year, mostly on data "
    "centres in Louisiana and elsewhere, according to a post published on Facebook. Analysts "
    "expected a smaller figure. The shares rose two percent in after-hours trading in New York."
)


def test_add_article_stores_article_entities_and_claims(db: Store) -> None:
    claims = [make_claim(), make_claim(metric="investment", value_low=60e9, value_high=65e9, unit="USD",
                                       hedge="range", speaker="Mark Zuckerberg", start=40, end=50)]
    result = add_article(db, make_article("a"), claims)
    assert result.created and result.duplicate_of is None and result.claim_count == 2
    assert article_exists(db, canonical_url="https://news.example/a")
    assert article_exists(db, canonical_url="https://other.example/x", guid="guid-a")
    assert not article_exists(db, canonical_url="https://news.example/b", guid="guid-b")
    stored = list_claims(db)
    assert {c.metric for c in stored} == {"gpu_count", "investment"}
    invest = next(c for c in stored if c.metric == "investment")
    assert invest.speaker == "Mark Zuckerberg" and invest.subject == "Meta"
    assert (invest.value_low, invest.value_high, invest.unit, invest.hedge) == (60e9, 65e9, "USD", "range")
    assert invest.article_url == "https://news.example/a?utm_source=rss"
    assert invest.published_at == T0 and invest.site_name == "site-a"


def test_same_url_or_guid_writes_nothing(db: Store) -> None:
    first = add_article(db, make_article("a"), [make_claim()])
    again = add_article(db, make_article("a", title="changed"), [make_claim(), make_claim(start=99)])
    by_guid = add_article(db, make_article("b", guid="guid-a"), [make_claim()])
    assert not again.created and again.article_id == first.article_id and again.claim_count == 1
    assert not by_guid.created and by_guid.article_id == first.article_id
    assert count_articles(db) == 1
    with db.session() as session:
        assert session.scalar(select(func.count(ClaimRow.id))) == 1


def test_same_content_hash_is_a_duplicate(db: Store) -> None:
    first = add_article(db, make_article("a", text=LONG), [make_claim()])
    copy = add_article(db, make_article("b", text=LONG), [make_claim()])
    assert copy.created and copy.duplicate_of == first.article_id


def test_near_duplicate_text_is_detected_across_stores(db: Store) -> None:
    first = add_article(db, make_article("a", text=LONG), [])
    # A second process: a new Store on the same database sees the persisted LSH bands.
    other = Store(db.url)
    try:
        edited = LONG.replace("two percent", "2%") + " Read more on our site."
        near = add_article(other, make_article("b", text=edited), [])
        unrelated = add_article(other, make_article("c"), [])
    finally:
        other.dispose()
    assert near.duplicate_of == first.article_id
    assert unrelated.duplicate_of is None


def test_articles_between_oldest_first_with_claims(db: Store) -> None:
    for i in range(3):
        add_article(db, make_article(f"a{i}", fetched_at=T0 + timedelta(hours=i), published_at=None),
                    [make_claim(start=i)])
    views = articles_between(db, T0 + timedelta(minutes=30), T0 + timedelta(hours=3))
    assert [v.url for v in views] == [
        "https://news.example/a1?utm_source=rss", "https://news.example/a2?utm_source=rss"]
    assert [len(v.claims) for v in views] == [1, 1]
    assert views[0].fetched_at == T0 + timedelta(hours=1)
    assert views[0].status == "ok"


def test_skipped_article_keeps_reason(db: Store) -> None:
    add_article(db, make_article("s", text="", status="skipped", skip_reason="paywall"), [])
    (view,) = articles_between(db, T0, T0 + timedelta(days=1))
    assert view.status == "skipped"


def test_list_claims_filters_newest_first(db: Store) -> None:
    upsert_entity(db, "Meta", kind="company", aliases=("Meta Platforms", "Facebook"))
    for i in range(4):
        add_article(db, make_article(f"m{i}", published_at=T0 + timedelta(days=i)),
                    [make_claim(subject="META PLATFORMS" if i % 2 else "meta", value_low=float(i + 1),
                                value_high=float(i + 1)),
                     make_claim(subject="OpenAI", metric="funding", unit="USD", value_low=1e9, value_high=1e9)])
    meta = list_claims(db, subject="facebook", metric="gpu_count")
    assert [c.value_low for c in meta] == [4.0, 3.0, 2.0, 1.0]
    assert {c.subject for c in meta} == {"Meta"}
    assert [c.value_low for c in list_claims(db, subject="Méta", since=date(2025, 1, 26))] == [4.0, 3.0]
    assert len(list_claims(db, limit=3)) == 3
    assert list_claims(db, subject="nobody") == []
    assert len(list_claims(db, metric="funding")) == 4
    entity = get_entity(db, "FACEBOOK")
    assert entity is not None and entity.name == "Meta" and entity.kind == "company"
    assert "Meta Platforms" in entity.aliases


def test_aliases_that_normalise_alike_are_stored_once(db: Store) -> None:
    view = upsert_entity(db, "DeepSeek R1", kind="model", aliases=("DeepSeek-R1", "deepseek r1", "R1"))
    assert get_entity(db, "deepseek-r1") == view
    again = upsert_entity(db, "DeepSeek R1", kind="model", aliases=("DeepSeek-R1",))
    assert again.name == "DeepSeek R1"


def test_long_names_are_cut_and_long_urls_refused_alike_on_every_engine(db: Store) -> None:
    import dataclasses

    from config.errors import StorageError
    from storage.articles import MAX_NAME, MAX_URL

    long_author = make_article("author", author="A" * (MAX_NAME + 100), site_name="S" * (MAX_NAME + 1))
    assert add_article(db, long_author, []).created
    (view,) = [a for a in articles_between(db, T0 - timedelta(days=1), T0 + timedelta(days=2))]
    assert view.site_name is not None and len(view.site_name) == MAX_NAME and view.site_name.endswith("…")
    long_url = "https://news.example/" + "x" * MAX_URL
    with pytest.raises(StorageError, match=f"url longer than {MAX_URL} characters"):
        add_article(db, dataclasses.replace(make_article("u"), url=long_url, canonical_url=long_url), [])
    assert count_articles(db) == 1  # nothing else written, nothing lost


def test_two_writers_meeting_one_new_entity_both_store(db: Store) -> None:
    """Two workers resolve the same unknown name at once: the second waits for the first's
    commit and reuses its entity, instead of failing on the unique name."""
    import threading

    from storage.entities import resolve_entity_ids

    other: dict[str, object] = {}
    with db.session() as first:
        mine = resolve_entity_ids(first, ["Nasa Labs"])["Nasa Labs"]

        def second() -> None:
            try:
                with db.session() as session:
                    other["id"] = resolve_entity_ids(session, ["NASA labs", "Nasa Labs"])
            except Exception as exc:  # reported by the assertion below
                other["error"] = exc

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=1.0)  # the second writer waits on the first's uncommitted row
    thread.join(timeout=30)
    assert "error" not in other, other.get("error")
    assert other["id"] == {"NASA labs": mine, "Nasa Labs": mine}
