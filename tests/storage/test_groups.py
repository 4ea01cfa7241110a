from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.claims import Claim
from storage.articles import NewArticle, add_article
from storage.contradictions import list_contradictions
from storage.db import Store
from facts.groups import Mention, cluster
from facts.intervals import effective_interval, relative_gap
from storage.groups import entity_timeline, list_claim_groups
from tests.storage.conftest import T0, make_article, make_claim
from tests.support.db import empty, snapshot


def _ingest(db: Store, items: list[tuple[NewArticle, list[Claim]]]) -> None:
    for article, claims in items:
        add_article(db, article, claims)


def test_interval_arithmetic() -> None:
    assert effective_interval(100.0, 100.0, "approx", 0.1) == pytest.approx((90.0, 110.0))
    assert effective_interval(100.0, 100.0, "at_least", 0.1)[1] == float("inf")
    assert relative_gap((100.0, 100.0), (105.0, 105.0)) == pytest.approx(5 / 105)
    assert relative_gap((1.0, 5.0), (4.0, 9.0)) == 0.0
    assert relative_gap((350_000.0, 350_000.0), (600_000.0, 600_000.0)) == pytest.approx(250 / 600)


def test_same_fact_from_two_articles_is_one_group(db: Store) -> None:
    add_article(db, make_article("a"), [make_claim(hedge="at_least", value_high=None)])
    add_article(db, make_article("b", published_at=T0 + timedelta(days=1)),
                [make_claim(subject="meta", unit="GPU", value_low=360_000.0, value_high=360_000.0)])
    add_article(db, make_article("c"), [make_claim(metric="funding", unit="USD", value_low=5e9, value_high=5e9)])
    (group,) = list_claim_groups(db, subject="Meta", metric="gpu_count")
    assert group.mention_count == 2 and group.source_count == 2
    assert (group.value_low, group.value_high) == (360_000.0, 360_000.0)
    assert {s.url for s in group.sources} == {
        "https://news.example/a?utm_source=rss", "https://news.example/b?utm_source=rss"}
    assert len(list_claim_groups(db, subject="Meta")) == 2
    assert list_claim_groups(db, subject="Meta", since=date(2025, 1, 25))[0].id == group.id
    assert list_contradictions(db) == []


def test_duplicate_article_is_not_an_independent_source(db: Store) -> None:
    text = " ".join(f"word{i}" for i in range(80))
    add_article(db, make_article("a", text=text), [make_claim()])
    add_article(db, make_article("b", text=text), [make_claim()])
    (group,) = list_claim_groups(db)
    assert group.mention_count == 2 and group.source_count == 1


def test_conflict_same_period(db: Store) -> None:
    add_article(db, make_article("a"), [make_claim()])
    add_article(db, make_article("b", published_at=T0 + timedelta(days=2)),
                [make_claim(value_low=500_000.0, value_high=500_000.0)])
    (c,) = list_contradictions(db)
    assert c.kind == "conflict" and c.subject == "Meta" and c.metric == "gpu_count"
    assert c.gap == pytest.approx(0.3)
    assert "\n" not in c.explanation and c.explanation.startswith("Meta GPU count: ")
    data = c.as_json()
    assert set(data) == {"kind", "subject", "metric", "qualifier", "gap", "explanation", "a", "b"}
    assert set(data["a"]) == {"subject", "part_of", "modality", "value_low", "value_high", "unit", "hedge",
                              "time", "sources"}
    assert set(data["a"]["sources"][0]) == {"url", "title", "published_at", "sentence"}
    json.dumps(data)


def test_update_when_times_differ(db: Store) -> None:
    add_article(db, make_article("old", published_at=T0 - timedelta(days=300), site_name="Source B"),
                [make_claim(time="2024-03")])
    add_article(db, make_article("new", site_name="Source A"),
                [make_claim(value_low=600_000.0, value_high=600_000.0, hedge="approx", unit=None,
                            time="2025-01-24")])
    (c,) = list_contradictions(db, kind="update", subject="META")
    assert c.a.value_low == 600_000.0 and c.b.value_low == 350_000.0
    assert c.explanation == (
        "Meta GPU count: ~600,000 (stated, 2025-01-24, Source A) vs 350,000 H100 (stated, 2024-03, "
        "Source B): later figure, likely an update"
    )
    assert list_contradictions(db, kind="conflict") == []


def test_within_tolerance_is_no_contradiction(db: Store) -> None:
    add_article(db, make_article("a"), [make_claim(value_low=100.0, value_high=100.0)])
    add_article(db, make_article("b"), [make_claim(value_low=108.0, value_high=108.0)])
    assert len(list_claim_groups(db)) == 1 and list_contradictions(db) == []
    add_article(db, make_article("c"), [make_claim(value_low=130.0, value_high=130.0)], tolerance=0.5)
    assert len(list_claim_groups(db)) == 1


def test_plans_never_contradict_current_figures(db: Store) -> None:
    add_article(db, make_article("a"), [make_claim()])
    add_article(db, make_article("b"), [make_claim(value_low=1.3e6, value_high=1.3e6, modality="plan")])
    assert len(list_claim_groups(db)) == 2
    assert list_contradictions(db) == []


def test_different_qualifiers_are_kept_apart(db: Store) -> None:
    add_article(db, make_article("a"), [make_claim(metric="cost", unit="USD", qualifier="training",
                                                   value_low=6e6, value_high=6e6)])
    add_article(db, make_article("b"), [make_claim(metric="cost", unit="USD", qualifier="hardware",
                                                   value_low=1.6e9, value_high=1.6e9)])
    assert list_contradictions(db) == []
    add_article(db, make_article("c"), [make_claim(metric="cost", unit="USD", qualifier="Training",
                                                   value_low=5e8, value_high=5e8)])
    (c,) = list_contradictions(db, subject="meta")
    assert c.qualifier is not None and c.qualifier.casefold() == "training" and c.kind == "conflict"


def test_entity_timeline(db: Store) -> None:
    add_article(db, make_article("a", published_at=T0 - timedelta(days=400)), [make_claim(time="2023")])
    add_article(db, make_article("b"), [make_claim(time="2025", value_low=6e5, value_high=6e5),
                                       make_claim(metric="investment", unit="USD", value_low=6e10,
                                                  value_high=6.5e10, hedge="range", time="2025")])
    timeline = entity_timeline(db, "meta")
    assert [(t.metric, t.time) for t in timeline][0] == ("gpu_count", "2023")
    assert {t.metric for t in timeline} == {"gpu_count", "investment"}
    assert entity_timeline(db, "nobody") == []


def _corpus() -> list[tuple[NewArticle, list[Claim]]]:
    values = [350_000.0, 360_000.0, 600_000.0, 340_000.0, 1_000_000.0, 620_000.0]
    items = []
    for i, v in enumerate(values):
        claims = [make_claim(value_low=v, value_high=v, start=i)]
        if i % 2:
            claims.append(make_claim(subject="OpenAI", metric="funding", unit="USD",
                                     value_low=6.6e9 * (1 + i), value_high=6.6e9 * (1 + i), start=50))
        if i == 3:
            claims.append(make_claim(value_low=1.3e6, value_high=1.3e6, modality="plan", start=80))
        items.append((make_article(f"o{i}", published_at=T0 + timedelta(days=i % 3)), claims))
    return items


def test_any_ingestion_order_gives_same_groups_and_contradictions(db: Store) -> None:
    items = _corpus()
    _ingest(db, items)
    expected = snapshot(db)
    assert len(expected[0]) >= 4 and len(expected[1]) >= 2
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        empty(db)
        _ingest(db, shuffled)
        assert snapshot(db) == expected


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.sampled_from([100.0, 104.0, 109.0, 118.0, 150.0, 300.0]), min_size=1, max_size=9),
    hedges=st.lists(st.sampled_from([None, "approx", "at_least"]), min_size=9, max_size=9),
    seed=st.integers(0, 1000),
)
def test_clustering_ignores_input_order(values: list[float], hedges: list[str | None], seed: int) -> None:
    mentions = [
        Mention(claim_id=i, subject_id=1, source_id=i, source_key=f"u{i}", modality="stated",
                qualifier=None, unit=None, time=None, value_low=v, value_high=v, hedge=hedges[i],
                observed_at=T0)
        for i, v in enumerate(values)
    ]
    shuffled = mentions[:]
    random.Random(seed).shuffle(shuffled)

    def partition(ms: list[Mention]) -> set[frozenset[int]]:
        return {g.claim_ids for g in cluster("gpu_count", ms, 0.1)}

    assert partition(mentions) == partition(shuffled)
    # Complete linkage: every pair inside a group is within tolerance.
    for group in cluster("gpu_count", mentions, 0.1):
        lows = [m.value_low for m in group.members if m.value_low is not None]
        assert max(lows) <= min(lows) * 1.2 + 1e-9 or any(m.hedge for m in group.members)


def test_figures_set_side_by_side_in_one_article_do_not_contradict(db: Store) -> None:
    """"valued at $183bn, nearly triple the $61.5bn of March": one text, two moments."""
    add_article(db, make_article("one"), [
        make_claim(metric="valuation", unit="USD", value_low=183e9, value_high=183e9, start=10),
        make_claim(metric="valuation", unit="USD", value_low=61.5e9, value_high=61.5e9, start=80),
    ])
    assert len(list_claim_groups(db, metric="valuation")) == 2
    assert list_contradictions(db) == []
    # a second article repeating only one of the figures does disagree with the other one
    add_article(db, make_article("two", published_at=T0 + timedelta(days=1)), [
        make_claim(metric="valuation", unit="USD", value_low=61.5e9, value_high=61.5e9),
    ])
    (c,) = list_contradictions(db)
    assert c.kind == "conflict" and "$183 billion" in c.explanation and "$61.5 billion" in c.explanation


def test_a_stated_day_and_a_publication_a_day_later_are_the_same_moment(db: Store) -> None:
    add_article(db, make_article("a", site_name="Source A"),
                [make_claim(unit="GPU", value_low=600_000.0, value_high=600_000.0, time=T0.date().isoformat())])
    add_article(db, make_article("b", published_at=T0 + timedelta(days=1), site_name="Source B"),
                [make_claim(unit="GPU")])
    (c,) = list_contradictions(db)
    assert c.kind == "conflict"
    # a figure stated for a year long past is an older state, not a disagreement
    add_article(db, make_article("c", site_name="Source C"),
                [make_claim(unit="GPU", value_low=150_000.0, value_high=150_000.0, time="2023")])
    kinds = sorted(x.kind for x in list_contradictions(db))
    assert kinds == ["conflict", "update", "update"]
