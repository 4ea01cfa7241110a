"""One renderer for every output: the CLI's tables, JSON lines and CSV, the JSON API and the
pages all turn the same views from ``storage/`` into records here (sqlite-utils'
``output_rows`` habit), so a field added once shows everywhere.

A *record* is a plain JSON-ready dict (datetimes as ISO strings). ``output_rows`` prints
records as a rich table, JSON lines or CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from markupsafe import Markup, escape
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the CLI imports this module on every start: no spaCy, no SQLAlchemy here
    from storage.articles import ArticleView
    from storage.browse import EntityOverview
    from storage.claims import ClaimView
    from storage.contradictions import ContradictionView
    from storage.groups import ClaimGroupView
    from storage.search import SearchHit, Snippet

MENTION_FIELDS = (
    "subject", "part_of", "metric", "value_low", "value_high", "unit", "qualifier", "hedge", "time",
    "speaker", "probability", "modality", "sentence", "lang", "article_url", "article_title", "site_name",
    "published_at",
)
"""``veille claims --mentions --json``: one claim as stored."""
FACT_FIELDS = (
    "subject", "part_of", "metric", "qualifier", "modality", "is_plan", "value_low", "value_high", "unit", "hedge", "time",
    "mention_count", "source_count", "first_seen_at", "last_seen_at",
)
"""``veille claims --json`` and ``/api/facts``: one fact (claim group), plus its ``sources``."""
SOURCE_FIELDS = ("url", "title", "site_name", "published_at", "sentence")
ARTICLE_FIELDS = (
    "id", "url", "canonical_url", "title", "site_name", "author", "published_at", "fetched_at",
    "lang", "summary", "status", "duplicate_of", "feed_id",
)
"""``veille articles --json`` and ``/api/articles``; one article adds text, claims, entities."""
ARTICLE_CLAIM_FIELDS = (
    "id", "subject", "metric", "value_low", "value_high", "unit", "qualifier", "hedge", "time",
    "speaker", "probability", "modality", "sentence", "start", "end", "lang", "group_id",
)
"""A claim of one article: offsets (``start``, ``end``) index the article's ``text``."""
FORMATS = ("table", "json", "csv")


def plain(value: Any) -> Any:
    """A value as JSON has it: datetimes and dates as ISO strings, tuples as lists."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value


def pick(view: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {name: plain(getattr(view, name)) for name in fields}


def mention_record(claim: ClaimView) -> dict[str, Any]:
    return pick(claim, MENTION_FIELDS)


def fact_record(group: ClaimGroupView) -> dict[str, Any]:
    record = pick(group, FACT_FIELDS)
    record["sources"] = [pick(s, SOURCE_FIELDS) for s in group.sources]
    return record


def contradiction_record(item: ContradictionView) -> dict[str, Any]:
    return item.as_json()


def entity_record(overview: EntityOverview) -> dict[str, Any]:
    """``/api/entities/{name}``: ``name, kind, aliases, parts, facts``."""
    entity = overview.entity
    return {"name": entity.name, "kind": entity.kind, "aliases": list(entity.aliases),
            "parts": list(overview.parts), "facts": [fact_record(g) for g in overview.facts]}


def article_record(article: ArticleView, *, full: bool = False) -> dict[str, Any]:
    record = pick(article, ARTICLE_FIELDS)
    if full:
        record["text"] = article.text
        record["claims"] = [pick(c, ARTICLE_CLAIM_FIELDS) for c in article.claims]
        record["entities"] = [{"name": e.name, "kind": e.kind, "mentions": e.mentions} for e in article.entities]
    return record


def snippet_html(snippet: Snippet) -> Markup:
    """The passage escaped, each matched word in ``<mark>``: safe to put in a page as is."""
    return Markup("").join(Markup("<mark>{}</mark>").format(t) if hit else escape(t) for t, hit in snippet)


def snippet_text(snippet: Snippet) -> str:
    return "".join(f"[{t}]" if hit else t for t, hit in snippet)


def search_record(hit: SearchHit) -> dict[str, Any]:
    """``{"article": {...}, "snippet": "... <mark>word</mark> ...", "score"}``; the snippet is
    HTML with the article's text escaped."""
    return {"article": article_record(hit.article), "snippet": str(snippet_html(hit.snippet)),
            "score": round(hit.score, 6)}


def output_rows(
    records: Iterable[dict[str, Any]], fmt: str, *, columns: Sequence[str], title: str = "",
    out: TextIO | None = None,
) -> None:
    """Print records as a table (only ``columns``), JSON lines or CSV (every key)."""
    stream = out or sys.stdout
    rows = list(records)
    if fmt == "json":
        for record in rows:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        fields = list(rows[0]) if rows else list(columns)
        writer = csv.DictWriter(stream, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
    else:
        table = Table(title=title.format(count=len(rows)))
        for column in columns:
            table.add_column(column, overflow="fold")
        for record in rows:
            table.add_row(*(Text(_cell(record.get(c))) for c in columns))  # titles are not rich markup
        Console(file=stream, width=max(100, Console().width)).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
