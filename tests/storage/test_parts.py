"""Entities with parts: a query by the whole lists the facts of its parts, named as parts."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from config.errors import ConfigError, StorageError
from extractors.entities import load_entities
from extractors.claims import Claim
from storage.articles import NewArticle, add_article
from storage.claims import list_claims
from storage.db import Store
from storage.entities import get_entity, upsert_entity
from storage.groups import entity_timeline, list_claim_groups
from tests.storage.conftest import T0, make_article, make_claim


def _xai(db: Store) -> None:
    upsert_entity(db, "xAI", kind="org", aliases=("x.AI",))
    upsert_entity(db, "Colossus", kind="programme", part_of="xAI")
    upsert_entity(db, "Grok 3", kind="model", part_of="xAI")


def test_the_whole_lists_the_facts_of_its_parts(db: Store) -> None:
    _xai(db)
    add_article(db, make_article("a"), [
        make_claim(subject="Colossus", value_low=2e5, value_high=2e5, unit="GPU"),
        make_claim(subject="xAI", metric="funding", unit="USD", value_low=6e9, value_high=6e9, start=40),
    ])
    add_article(db, make_article("b", published_at=T0 + timedelta(days=3)), [
        make_claim(subject="Grok 3", metric="release_date", unit="year", value_low=2025.0, value_high=2025.0),
        make_claim(subject="OpenAI", metric="funding", unit="USD", value_low=4e10, value_high=4e10, start=60),
    ])
    groups = list_claim_groups(db, subject="x.ai")
    assert sorted(g.label for g in groups) == ["xAI", "xAI › Colossus", "xAI › Grok 3"]
    colossus = next(g for g in groups if g.subject == "Colossus")
    assert colossus.part_of == "xAI" and colossus.path == ("xAI", "Colossus")
    assert [g.label for g in list_claim_groups(db, subject="Colossus")] == ["xAI › Colossus"]
    assert {c.label for c in list_claims(db, subject="xAI")} == {"xAI", "xAI › Colossus", "xAI › Grok 3"}
    assert {c.part_of for c in list_claims(db, subject="xAI")} == {None, "xAI"}
    assert {t.label for t in entity_timeline(db, "xAI")} == {"xAI", "xAI › Colossus", "xAI › Grok 3"}
    assert [t.label for t in entity_timeline(db, "OpenAI")] == ["OpenAI"]
    view = get_entity(db, "Colossus")
    assert view is not None and view.part_of == "xAI"


def test_a_part_can_move_and_a_circle_is_refused(db: Store) -> None:
    _xai(db)
    add_article(db, make_article("a"), [make_claim(subject="Grok 3", metric="cost", unit="USD",
                                                   value_low=3e9, value_high=3e9)])
    upsert_entity(db, "Grok 3", kind="model", part_of=None)
    assert [g.label for g in list_claim_groups(db, subject="xAI")] == []
    upsert_entity(db, "Grok 3", kind="model", part_of="xAI")
    assert [g.label for g in list_claim_groups(db, subject="xAI")] == ["xAI › Grok 3"]
    with pytest.raises(StorageError, match="circle"):
        upsert_entity(db, "xAI", kind="org", part_of="Grok 3")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('[[entity]]\nname = "A"\nkind = "org"\npart_of = "B"\n', "unknown entity 'B'"),
        ('[[entity]]\nname = "A"\nkind = "org"\npart_of = 3\n', "'part_of' must be a string"),
        ('[[entity]]\nname = "A"\nkind = "org"\npart_of = "B"\n[[entity]]\nname = "B"\nkind = "org"\n'
         'part_of = "A"\n', "circle"),
    ],
)
def test_bad_part_of_is_a_config_error(tmp_path: Path, body: str, needle: str) -> None:
    path = tmp_path / "entities.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle):
        load_entities(path)


def test_the_shipped_table_names_wholes() -> None:
    table = {e.name: e for e in load_entities(Path(__file__).resolve().parents[2] / "config" / "entities.toml")}
    assert table["Colossus"].part_of == "xAI" and table["Grok 3"].part_of == "xAI"
    assert table["DeepSeek R1"].part_of == "DeepSeek" and table["DeepSeek V3"].part_of == "DeepSeek"
    assert table["H100"].part_of == "Nvidia" and table["Stargate"].part_of is None


def _deepseek(db: Store) -> None:
    upsert_entity(db, "DeepSeek", kind="org")
    upsert_entity(db, "DeepSeek R1", kind="model", part_of="DeepSeek")


def _colossus_update(db: Store) -> None:
    add_article(db, make_article("grok", site_name="Veille IA Hebdo"), [
        make_claim(subject="xAI", value_low=1e5, value_high=1e5, unit="GPU", qualifier="H100",
                   modality="reported", speaker="Elon Musk")])
    add_article(db, make_article("musk", published_at=T0 + timedelta(days=230), site_name="Compute Ledger"), [
        make_claim(subject="Colossus", value_low=2e5, value_high=2e5, unit="GPU", hedge="approx")])


def test_a_cluster_count_against_its_operator_is_an_update(db: Store) -> None:
    from storage.contradictions import list_contradictions

    _xai(db)
    _colossus_update(db)
    add_article(db, make_article("run", published_at=T0 + timedelta(days=231)), [
        make_claim(subject="Grok 3", value_low=1e5, value_high=1e5, unit="GPU")])  # a training run
    (c,) = list_contradictions(db)
    assert c.kind == "update" and c.subject == "xAI"
    assert (c.a.label, c.b.label) == ("xAI › Colossus", "xAI")
    assert "(reported by Elon Musk, H100," in c.explanation and "xAI › Colossus ~200,000 GPU (stated" in c.explanation
    assert c.as_json()["a"]["part_of"] == "xAI" and c.as_json()["b"]["modality"] == "reported"
    assert [x.kind for x in list_contradictions(db, subject="Colossus")] == ["update"]
    assert list_contradictions(db, subject="Grok 3") == []


def test_a_part_declared_later_joins_its_whole_bucket(db: Store) -> None:
    from storage.contradictions import list_contradictions
    from tests.support.db import empty, snapshot

    upsert_entity(db, "xAI", kind="org")
    upsert_entity(db, "Colossus", kind="programme")
    _colossus_update(db)
    assert list_contradictions(db) == []  # two unrelated entities
    upsert_entity(db, "Colossus", kind="programme", part_of="xAI")
    assert [c.kind for c in list_contradictions(db)] == ["update"]
    declared_later = snapshot(db)
    upsert_entity(db, "Colossus", kind="programme", part_of=None)
    assert list_contradictions(db) == []
    assert {g.label for g in list_claim_groups(db)} == {"xAI", "Colossus"}
    empty(db)
    _xai(db)
    _colossus_update(db)
    assert snapshot(db) == declared_later


def test_a_model_cost_the_article_disputes_with_its_maker_bill_is_a_conflict(db: Store) -> None:
    from storage.contradictions import list_contradictions

    _deepseek(db)
    add_article(db, make_article("spoutnik", site_name="Veille IA Hebdo"), [
        make_claim(subject="DeepSeek R1", metric="cost", unit="USD", value_low=5e6, value_high=6e6,
                   hedge="range", modality="reported", speaker="DeepSeek", start=10),
        make_claim(subject="DeepSeek", metric="cost", unit="USD", value_low=1.5e9, value_high=1.5e9,
                   modality="hypothetical", qualifier="chips alone", start=90),
    ])
    (c,) = list_contradictions(db, subject="DeepSeek R1")
    assert c.kind == "conflict" and c.subject == "DeepSeek"
    assert "$5–6 million (reported by DeepSeek" in c.explanation
    assert "$1.5 billion (hypothetical, chips alone" in c.explanation
    # another outlet's figure for DeepSeek's spending is no dispute of the model's cost
    add_article(db, make_article("other", published_at=T0 + timedelta(days=1)), [
        make_claim(subject="DeepSeek", metric="cost", unit="USD", value_low=1.6e9, value_high=1.6e9)])
    assert len(list_contradictions(db)) == 1


def test_parts_keep_any_order_giving_the_same_facts(db: Store) -> None:
    from tests.support.db import empty, snapshot

    items = [
        (make_article("grok", site_name="A"), [make_claim(subject="xAI", value_low=1e5, value_high=1e5,
                                                          modality="reported")]),
        (make_article("musk", published_at=T0 + timedelta(days=230)), [
            make_claim(subject="Colossus", value_low=2e5, value_high=2e5, hedge="approx"),
            make_claim(subject="Grok 3", value_low=1e5, value_high=1e5, start=50)]),
        (make_article("spoutnik"), [
            make_claim(subject="DeepSeek R1", metric="cost", unit="USD", value_low=5e6, value_high=6e6,
                       modality="reported"),
            make_claim(subject="DeepSeek", metric="cost", unit="USD", value_low=1.5e9, value_high=1.5e9,
                       modality="hypothetical", start=90)]),
        (make_article("denial", published_at=T0 + timedelta(days=1)), [
            make_claim(subject="Colossus", value_low=1e5, value_high=1e5, modality="denied")]),
    ]
    expected = None
    for seed in range(3):
        empty(db)
        _xai(db)
        _deepseek(db)
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        for article, claims in shuffled:
            add_article(db, article, claims)
        got = snapshot(db)
        expected = expected or got
        assert got == expected
    assert expected is not None and len(expected[1]) == 3  # update, dispute, denial


def _xai_gpu_articles() -> list[tuple[NewArticle, list[Claim]]]:
    """The xAI GPU counts of the corpus (tests/fixtures/site): the whole, its cluster, its model."""
    return [
        (make_article("xai-colossus-expansion", published_at=T0 + timedelta(days=300)), [
            make_claim(subject="xAI", value_low=2e5, value_high=2e5, unit="GPU", start=24),
            make_claim(subject="xAI", value_low=1e6, value_high=1e6, unit="GPU", modality="plan", start=87),
            make_claim(subject="Colossus", value_low=1e5, value_high=1e5, unit="GPU", qualifier="H100",
                       time="2024-09", start=324)]),
        (make_article("musk-50-millions-gpu", published_at=T0 + timedelta(days=520), lang="fr"), [
            make_claim(subject="xAI", value_low=5e7, value_high=5e7, unit="GPU", qualifier="H100",
                       modality="plan", start=31),
            make_claim(subject="Colossus", value_low=1e5, value_high=1e6, unit="GPU", hedge="vague", start=859)]),
        (make_article("grok-3-retard", published_at=T0 + timedelta(days=2), lang="fr"), [
            make_claim(subject="Grok 3", value_low=1e5, value_high=1e5, unit="GPU", qualifier="H100", start=850)]),
    ]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)], ids=["as-published", "reversed", "retried-last"])
def test_a_part_and_its_whole_give_the_same_groups_in_any_arrival_order(db: Store, order: tuple[int, ...]) -> None:
    """Regression (the page retried at the next poll): which article arrives last, and which
    entity got the lower id, never changes the groups of a whole and its parts."""
    from tests.support.db import empty, snapshot

    def store(order: tuple[int, ...], entities_first: bool) -> tuple[object, ...]:
        empty(db)
        if entities_first:
            _xai(db)
        else:  # the parts before their whole: other ids, the same tree
            upsert_entity(db, "Grok 3", kind="model", part_of="xAI")
            upsert_entity(db, "Colossus", kind="programme", part_of="xAI")
            upsert_entity(db, "xAI", kind="org", aliases=("x.AI",))
        articles = _xai_gpu_articles()
        for i in order:
            add_article(db, *articles[i])
        return snapshot(db)

    reference = store((0, 1, 2), entities_first=True)
    assert store(order, entities_first=False) == reference
    groups = {(g.label, g.modality, g.value_low, g.value_high): g.mention_count
              for g in list_claim_groups(db, metric="gpu_count")}
    # Colossus's vague count is xAI's fleet, its dated H100 phase stays its own, Grok 3's run its own
    assert groups == {
        ("xAI", "stated", 2e5, 2e5): 2,
        ("xAI › Colossus", "stated", 1e5, 1e5): 1,
        ("xAI", "plan", 1e6, 1e6): 1,
        ("xAI", "plan", 5e7, 5e7): 1,
        ("xAI › Grok 3", "stated", 1e5, 1e5): 1,
    }
