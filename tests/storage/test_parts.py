"""Entities with parts: a query by the whole lists the facts of its parts, named as parts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.errors import ConfigError, StorageError
from extractors.entities import load_entities
from storage.articles import add_article
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
