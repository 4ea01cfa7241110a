from __future__ import annotations

import pytest

from config.errors import StorageError
from storage.db import Store
from storage.explain import QUERIES, explain_query, full_scans


def test_every_hot_query_uses_an_index(db: Store) -> None:
    scans = {}
    for name in QUERIES:
        plan = explain_query(db, name)
        assert plan.strip(), name
        if full_scans(plan):
            scans[name] = plan
    assert scans == {}


def test_a_query_without_index_is_caught(db: Store) -> None:
    from sqlalchemy import select

    from storage.models import ArticleRow
    QUERIES["_unindexed"] = lambda: select(ArticleRow.id).where(ArticleRow.title == "x")
    try:
        assert full_scans(explain_query(db, "_unindexed"))
    finally:
        del QUERIES["_unindexed"]


def test_unknown_query_name(db: Store) -> None:
    with pytest.raises(StorageError, match="no query named"):
        explain_query(db, "nope")
