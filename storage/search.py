"""Full-text search over article titles and texts, best match first.

SQLite: the FTS5 table ``articles_fts`` (``porter unicode61 remove_diacritics 2``), ranked by
``bm25`` with the title weighted ten times the text. PostgreSQL: the generated
``articles.search_vector`` (``french``/``english``/``simple`` by article language, GIN index),
matched against the words parsed with all three configurations and ranked by ``ts_rank_cd``.
Both kept in step with ``articles`` by the storing transaction (migration 0005).

The query is reduced to its words (every word must appear, no operator syntax), so any input
is safe and means the same on both engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session, defer

from storage.articles import ArticleView, article_view
from storage.browse import Page, decode_cursor, encode_cursor
from storage.db import Store
from storage.models import ArticleRow

MARK_START, MARK_END = "\ue000", "\ue001"
"""Private-use characters the engines put around matched words; no article text has them."""
_WORD = re.compile(r"\w+")
_MAX_WORDS = 16
PG_RANK_WINDOW = 1000
"""PostgreSQL ranks the newest this many matching articles (see ``_pg_ranked``)."""

Snippet = tuple[tuple[str, bool], ...]
"""A passage as ``(text, is_match)`` pieces: renderers escape the text and mark the matches."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: ArticleView
    score: float
    """Higher is better (SQLite's bm25 is negated to read the same way)."""
    snippet: Snippet


def query_words(query: str) -> list[str]:
    """The words searched for: letters and digits, at most sixteen, marks stripped."""
    return [w for w in _WORD.findall(query.replace(MARK_START, " ").replace(MARK_END, " "))][:_MAX_WORDS]


def search_articles(store: Store, query: str, *, limit: int = 20, cursor: str | None = None) -> Page[SearchHit]:
    """Articles containing every word of ``query``, best first; an empty query finds nothing."""
    after = decode_cursor(cursor, (float, int)) if cursor else None
    words = query_words(query)
    if not words:
        return Page((), None)
    with store.session() as session:
        if store.is_sqlite:
            ranked = _sqlite_ranked(session, words, after, limit + 1)
        else:
            ranked = _pg_ranked(session, words, after, limit + 1)
        page = ranked[:limit]
        ids = [i for i, _ in page]
        rows = {
            r.id: r for r in session.scalars(select(ArticleRow).options(defer(ArticleRow.text)).where(ArticleRow.id.in_(ids)))
        } if ids else {}
        snippets = _sqlite_snippets(session, words, ids) if store.is_sqlite else _pg_snippets(session, words, ids)
        hits = tuple(
            SearchHit(article_view(rows[i]), score, _pieces(snippets.get(i) or rows[i].summary or ""))
            for i, score in page
            if i in rows
        )
        next_cursor = encode_cursor(page[-1][1], page[-1][0]) if len(ranked) > limit else None
        return Page(hits, next_cursor)


def _fts5_query(words: list[str]) -> str:
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _sqlite_ranked(
    session: Session, words: list[str], after: tuple[float, int] | None, limit: int
) -> list[tuple[int, float]]:
    keyset = "WHERE score < :score OR (score = :score AND id > :id)" if after else ""
    sql = text(
        "SELECT id, score FROM (SELECT rowid AS id, -bm25(articles_fts, 10.0, 1.0) AS score "
        f"FROM articles_fts WHERE articles_fts MATCH :q) {keyset} ORDER BY score DESC, id LIMIT :limit"
    )
    params: dict[str, object] = {"q": _fts5_query(words), "limit": limit}
    if after:
        params |= {"score": after[0], "id": after[1]}
    return [(int(i), float(s)) for i, s in session.execute(sql, params)]


def _sqlite_snippets(session: Session, words: list[str], ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    sql = text(
        "SELECT rowid, snippet(articles_fts, 1, :start, :end, '…', 24) FROM articles_fts "
        "WHERE articles_fts MATCH :q AND rowid IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(sql, {"q": _fts5_query(words), "ids": ids, "start": MARK_START, "end": MARK_END})
    return {int(i): str(s) for i, s in rows}


_PG_QUERY = (
    "(websearch_to_tsquery('english', :q) || websearch_to_tsquery('french', :q) "
    "|| websearch_to_tsquery('simple', :q))"
)
_PG_CONFIG = (
    "CASE a.lang WHEN 'fr' THEN 'french'::regconfig WHEN 'en' THEN 'english'::regconfig "
    "ELSE 'simple'::regconfig END"
)


def _pg_ranked(
    session: Session, words: list[str], after: tuple[float, int] | None, limit: int
) -> list[tuple[int, float]]:
    keyset = "WHERE score < :score OR (score = :score AND id > :id)" if after else ""
    # Ranking reads each candidate's whole tsvector: for the 50,000 matches of a common word
    # that is seconds. So the GIN index alone picks the newest PG_RANK_WINDOW matches (no
    # tsvector is read to match: the planner is kept off scans that would test every row), and
    # only those are ranked. SQLite's bm25 ranks from its index and needs no window.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    session.execute(text("SET LOCAL enable_indexscan = off"))
    sql = text(
        f"WITH q AS MATERIALIZED (SELECT {_PG_QUERY} AS query), "
        "newest AS MATERIALIZED (SELECT c.id FROM articles c, q WHERE c.search_vector @@ q.query "
        "ORDER BY c.id DESC LIMIT :window) "
        "SELECT id, score FROM (SELECT a.id, ts_rank_cd(a.search_vector, q.query)::float8 AS score "
        f"FROM newest JOIN articles a ON a.id = newest.id, q) AS ranked {keyset} "
        "ORDER BY score DESC, id LIMIT :limit"
    )
    params: dict[str, object] = {"q": " ".join(words), "limit": limit, "window": PG_RANK_WINDOW}
    if after:
        params |= {"score": after[0], "id": after[1]}
    return [(int(i), float(s)) for i, s in session.execute(sql, params)]


def _pg_snippets(session: Session, words: list[str], ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
        "MaxFragments=2, FragmentDelimiter=\" … \""
    )
    sql = text(
        f"SELECT a.id, ts_headline({_PG_CONFIG}, a.text, {_PG_QUERY}, :options) FROM articles a "
        "WHERE a.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    return {int(i): str(s) for i, s in session.execute(sql, {"q": " ".join(words), "ids": ids, "options": options})}


def _pieces(marked: str) -> Snippet:
    out: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"{MARK_START}|{MARK_END}", marked)):
        if part:
            out.append((re.sub(r"\s+", " ", part), i % 2 == 1))
    return tuple(out)
