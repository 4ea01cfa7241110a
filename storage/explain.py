"""Query plans of the store's hot queries, to prove they use indexes on both engines.

``explain_query(store, name)`` returns the plan of the statement a repository function runs
(the same builder, sample parameters). On PostgreSQL sequential scans are disabled for the
transaction first: on small tables the planner rightly prefers them, and what we want to know is
whether an index *can* serve the query (with none, the plan still shows ``Seq Scan``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Executable, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ClauseElement

from config.errors import StorageError
from storage import articles, claims, contradictions, dedup, feeds, groups
from storage.db import Store
from storage.entities import alias_query

_NOW = datetime(2025, 1, 1, tzinfo=UTC)
_BANDS = [(band, band * 7919) for band in range(dedup.BANDS)]

QUERIES: dict[str, Callable[[], Any]] = {
    "list_claims": lambda: claims.claims_query(1, None, None, 50),
    "list_claims_subject_metric": lambda: claims.claims_query(1, "gpu_count", date(2025, 1, 1), 50),
    "list_claims_metric": lambda: claims.claims_query(None, "gpu_count", None, 50),
    "list_claims_since": lambda: claims.claims_query(None, None, date(2025, 1, 1), 50),
    "list_claim_groups": lambda: groups.groups_query(1, "gpu_count", date(2025, 1, 1), 50),
    "list_claim_groups_subject": lambda: groups.groups_query(1, None, None, None),
    "list_claim_groups_metric": lambda: groups.groups_query(None, "gpu_count", None, 50),
    "claim_bucket": lambda: groups.bucket_query(1, "gpu_count"),
    "list_contradictions_subject": lambda: contradictions.contradictions_query(None, 1, "gpu_count", None, 50),
    "list_contradictions_kind": lambda: contradictions.contradictions_query("conflict", None, None, None, 50),
    "entity_by_alias": lambda: alias_query("meta"),
    "article_exists": lambda: articles.existing_query("https://a.example/x", "guid-1"),
    "same_content_hash": lambda: articles.same_hash_query("abc"),
    "articles_between": lambda: articles.between_query(_NOW, _NOW),
    "near_duplicate_candidates": lambda: dedup.candidates_query(_BANDS),
    "due_feeds": lambda: feeds.due_query(_NOW),
}


class _Explain(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, statement: Any) -> None:
        self.statement = statement


@compiles(_Explain)
def _compile_explain(element: _Explain, compiler: Any, **kw: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if compiler.dialect.name == "sqlite" else "EXPLAIN "
    return prefix + str(compiler.process(element.statement, **kw))


def explain_query(store: Store, name: str) -> str:
    """The plan of the named query (see ``QUERIES``), one plan node per line."""
    if name not in QUERIES:
        raise StorageError(f"no query named {name!r}; known: {', '.join(sorted(QUERIES))}")
    statement = QUERIES[name]()
    with store.session() as session:
        if not store.is_sqlite:
            session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = session.execute(_Explain(statement)).all()
    if store.is_sqlite:
        return "\n".join(str(row[-1]) for row in rows)
    return "\n".join(str(row[0]) for row in rows)


def full_scans(plan: str) -> list[str]:
    """Plan lines that read a whole table without an index."""
    out = []
    for line in plan.splitlines():
        stripped = line.strip().lstrip("->").strip()
        if stripped.startswith("SCAN ") and " USING " not in stripped:
            out.append(stripped)
        if "Seq Scan" in stripped:
            out.append(stripped)
    return out
