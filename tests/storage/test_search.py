"""Full-text search, the entities an article names, and keyset pages, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete

from extractors.entities import NameCount
from storage.articles import add_article, get_article
from storage.browse import articles_page, decode_cursor, facts_page
from storage.db import Store
from storage.models import ArticleRow
from storage.search import search_articles
from tests.storage.conftest import T0, make_article, make_claim


def _ids(store: Store, query: str) -> list[int]:
    return [hit.article.id for hit in search_articles(store, query).items]


def test_an_article_is_searchable_once_stored_and_gone_once_deleted(db: Store) -> None:
    kept = add_article(db, make_article("a", text="Le supercalculateur Zéphyr compte 4 000 puces.", lang="fr"), [])
    other = add_article(db, make_article("b", text="Nothing to see in this one, only weather."), [])
    assert _ids(db, "Zéphyr") == [kept.article_id]
    assert _ids(db, "supercalculateur zéphyr") == [kept.article_id]
    assert _ids(db, "zéphyr weather") == []  # every word must appear
    if db.is_sqlite:  # unicode61 remove_diacritics: the bare spelling finds the accented one
        assert _ids(db, "zephyr") == [kept.article_id]
    with db.session() as session:
        session.execute(delete(ArticleRow).where(ArticleRow.id == kept.article_id))
    assert _ids(db, "Zéphyr") == []
    assert _ids(db, "weather") == [other.article_id]


def test_stemming_matches_other_forms_and_the_title_weighs_more(db: Store) -> None:
    in_text = add_article(db, make_article("t", title="Quarterly notes", text="The lab is training new models."), [])
    in_title = add_article(db, make_article("h", title="Training at scale", text="A short note on compute."), [])
    assert _ids(db, "trained") == [in_title.article_id, in_text.article_id]


@pytest.mark.parametrize("hostile", ['"unbalanced', "NEAR(a b)", "a* OR -b", "col:title", "'; DROP TABLE articles; --"])
def test_query_syntax_is_never_interpreted(db: Store, hostile: str) -> None:
    add_article(db, make_article("x", text="unbalanced near a b title drop table articles"), [])
    assert len(search_articles(db, hostile).items) <= 1


def test_the_entities_an_article_names_are_stored_with_counts(db: Store) -> None:
    names = [NameCount("Meta", "org", 3), NameCount("Jensen Huang", "person", 1)]
    stored = add_article(db, make_article("e"), [make_claim(subject="Meta"), make_claim(subject="Nvidia")], entities=names)
    article = get_article(db, stored.article_id)
    assert article is not None
    counts = {e.name: (e.kind, e.mentions) for e in article.entities}
    assert counts["Meta"][1] == 3 and counts["Jensen Huang"] == ("person", 1)
    assert counts["Nvidia"][1] == 1  # a claim's subject counts even when the matcher missed it
    assert [a.id for a in articles_page(db, entity="jensen huang").items] == [stored.article_id]
    assert articles_page(db, entity="Nobody").items == ()


def test_keyset_pages_cover_ties_once_in_order(db: Store) -> None:
    for i in range(7):  # seven facts seen at the same instant: the id breaks the tie
        add_article(
            db, make_article(f"k{i}", published_at=T0 + timedelta(days=i // 3)),
            [make_claim(subject="Meta", metric="funding", unit="USD", value_low=1e6 * 3**i, value_high=1e6 * 3**i)],
        )
    seen, cursor = [], None
    while True:
        page = facts_page(db, subject="meta", limit=2, cursor=cursor)
        seen += [g.id for g in page.items]
        cursor = page.next
        if cursor is None:
            break
    whole = facts_page(db, subject="meta", limit=100).items
    assert seen == [g.id for g in whole] and len(seen) == 7
    with pytest.raises(ValueError):
        decode_cursor("bm9wZQ", (int,))
