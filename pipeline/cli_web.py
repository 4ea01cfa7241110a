"""``veille serve``, ``veille search``, ``veille articles``, ``veille article``: the web app and
the article read paths it shares with the CLI. Registered on the main app by
:func:`register`; every output goes through :mod:`pipeline.render`.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from config.errors import ConfigError
from pipeline import render


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(search)
    app.command()(articles)
    app.command()(article)


def _format(as_json: bool, as_csv: bool) -> str:
    return "json" if as_json else "csv" if as_csv else "table"


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the read-only web pages and JSON API (OpenAPI at /openapi.json)."""
    from pipeline.cli import _settings, _store
    from pipeline.web import serve as run_server

    store = _store(_settings(ctx))
    try:
        run_server(store, host=host, port=port)
    finally:
        store.dispose()


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find (all of them), in titles and texts.")],
    limit: Annotated[int, typer.Option("--limit", help="At most this many articles.", min=1, max=500)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV with a header row.")] = False,
) -> None:
    """Full-text search over the stored articles, best match first."""
    from pipeline.cli import _settings, _store
    from storage.search import query_words, search_articles

    if not query_words(query):
        raise ConfigError("QUERY", f"no word to search for in {query!r}")
    store = _store(_settings(ctx))
    try:
        hits = search_articles(store, query, limit=limit).items
    finally:
        store.dispose()
    fmt = _format(as_json, as_csv)
    records = [render.search_record(h) for h in hits]
    if fmt == "table":
        records = [
            {"id": h.article.id, "date": render.plain(h.article.published_at or h.article.fetched_at)[:10],
             "title": h.article.title or h.article.url, "site": h.article.site_name or "",
             "snippet": render.snippet_text(h.snippet)}
            for h in hits
        ]
    elif fmt == "csv":
        records = [r["article"] | {"snippet": r["snippet"], "score": r["score"]} for r in records]
    render.output_rows(records, fmt, columns=("id", "date", "title", "site", "snippet"),
                       title="{count} article(s) for " + json.dumps(query, ensure_ascii=False).replace("{", "{{").replace("}", "}}"))


def articles(
    ctx: typer.Context,
    entity: Annotated[str | None, typer.Option("--entity", help="Articles naming this entity (any alias).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Published (else fetched) since YYYY-MM-DD.")] = None,
    feed: Annotated[str | None, typer.Option("--feed", help="Feed id or URL.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="fr, en, …")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.", min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV with a header row.")] = False,
) -> None:
    """Stored articles, newest first."""
    from pipeline.cli import _parse_date, _settings, _store
    from storage.browse import articles_page

    day = _parse_date("--since", since)
    store = _store(_settings(ctx))
    try:
        found = articles_page(store, entity=entity, since=day, feed=feed, lang=lang, limit=limit).items
    finally:
        store.dispose()
    records = [render.article_record(a) for a in found]
    for record in records:
        record["date"] = (record["published_at"] or record["fetched_at"] or "")[:10]
    render.output_rows(records, _format(as_json, as_csv), columns=("id", "date", "lang", "site_name", "title"),
                       title="{count} article(s)")


def article(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="Article id (from veille articles or veille search).")],
    as_json: Annotated[bool, typer.Option("--json", help="The article as one JSON object.")] = False,
) -> None:
    """One article: metadata, entities, claims with their offsets, and text."""
    from pipeline.cli import _settings, _store
    from storage.articles import get_article

    store = _store(_settings(ctx))
    try:
        found = get_article(store, article_id)
    finally:
        store.dispose()
    if found is None:
        raise ConfigError(str(article_id), "no such article")
    record = render.article_record(found, full=True)
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False))
        return
    for name in ("title", "url", "site_name", "author", "published_at", "fetched_at", "lang", "summary"):
        if record[name]:
            typer.echo(f"{name}: {record[name]}")
    if found.entities:
        typer.echo("entities: " + ", ".join(f"{e.name} ×{e.mentions}" for e in found.entities))
    from extractors.values import format_value

    render.output_rows(
        [render.pick(c, ("start", "end", "subject", "metric", "time")) | {"value": format_value(c)} for c in found.claims],
        "table",
        columns=("start", "end", "subject", "metric", "value", "time"), title="{count} claim(s)",
    )
    typer.echo(found.text or "")
