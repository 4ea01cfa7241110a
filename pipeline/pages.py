"""Server-rendered pages (Jinja2, autoescaped): ``/`` the day's contradictions (conflicts first)
and new facts, ``/entity/{name}`` every metric as a timeline with a chart, ``/contradictions``,
``/articles/{id}`` the text with each figure marked and linked to its fact, ``/search``,
``/feeds``. No script, no asset from elsewhere: the stylesheet is served from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from extractors.values import format_value
from pipeline import render
from pipeline.chart import timeline_chart
from pipeline.http_errors import NotFound, bad_parameter
from storage import browse
from storage.articles import get_article
from storage.claims import ClaimView
from storage.db import Store
from storage.feeds import list_feeds
from storage.groups import ClaimGroupView, SourceView
from storage.search import search_articles

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "static" / "veille.css"
router = APIRouter(include_in_schema=False)


def _unique_articles(sources: Sequence[SourceView]) -> list[SourceView]:
    return list({s.article_id: s for s in reversed(sources)}.values())[::-1]


def _next_query(params: dict[str, Any], cursor: str) -> str:
    return urlencode({k: v for k, v in params.items() if v} | {"cursor": cursor})


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates" / "web"), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(
        value=format_value,
        day=lambda v: v.strftime("%Y-%m-%d") if v else "",
        when=lambda v: v.strftime("%Y-%m-%d %H:%M") if v else "—",
        quote=lambda v: quote(str(v), safe=""),
        metric=lambda v: str(v).replace("_", " "),
        unique_articles=_unique_articles,
        snippet=render.snippet_html,
        next_query=_next_query,
    )
    return env


ENV = _environment()


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("q", "")
    return HTMLResponse(ENV.get_template(name).render(**context), status_code=status)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/static/veille.css")
def stylesheet() -> Response:
    return Response(STYLESHEET.read_bytes(), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=3600"})


@router.get("/", response_class=HTMLResponse)
def home(request: Request, day: Annotated[date | None, Query()] = None) -> HTMLResponse:
    store = _store(request)
    shown = day or datetime.now(UTC).date()
    start = datetime.combine(shown, time.min, tzinfo=UTC)
    found = browse.contradictions_page(store, since=start, limit=200).items
    found = tuple(c for c in found if c.detected_at < start + timedelta(days=1))
    ordered = sorted(found, key=lambda c: (c.kind != "conflict", -c.gap, c.id))
    facts = browse.facts_learnt_since(store, start)
    return page("home.html.j2", day=shown.isoformat(), contradictions=ordered, facts=facts)


@router.get("/entity/{name:path}", response_class=HTMLResponse)
def entity(request: Request, name: Annotated[str, PathParam()]) -> HTMLResponse:
    found = browse.entity_overview(_store(request), name)
    if found is None:
        raise NotFound("name", f"unknown entity {name!r}")
    by_metric: dict[str, list[ClaimGroupView]] = {}
    for group in found.facts:
        by_metric.setdefault(group.metric, []).append(group)
    metrics = [(metric, groups, timeline_chart(groups)) for metric, groups in sorted(by_metric.items())]
    return page(
        "entity.html.j2", entity=found.entity, metrics=metrics, parts=found.parts,
        contradictions=found.contradictions, articles=found.articles,
    )


@router.get("/contradictions", response_class=HTMLResponse)
def contradictions(
    request: Request,
    kind: Annotated[Literal["conflict", "update"] | None, Query()] = None,
    cursor: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    try:
        found = browse.contradictions_page(_store(request), kind=kind, limit=50, cursor=cursor)
    except ValueError as exc:
        raise bad_parameter("cursor", str(exc)) from None
    return page("contradictions.html.j2", page=found, kind=kind, params={"kind": kind})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: Annotated[int, PathParam(ge=1)]) -> HTMLResponse:
    found = get_article(_store(request), article_id)
    if found is None:
        raise NotFound("article_id", f"no article {article_id}")
    return page("article.html.j2", article=found, segments=figure_segments(found.text or "", found.claims))


def figure_segments(text: str, claims: Sequence[ClaimView]) -> list[tuple[str, ClaimView | None]]:
    """The text cut at each claim's figure (``start``/``end``); overlapping figures keep the first."""
    out: list[tuple[str, ClaimView | None]] = []
    at = 0
    for claim in sorted(claims, key=lambda c: (c.start, c.end, c.id)):
        start, end = max(claim.start, at), min(claim.end, len(text))
        if start >= end or claim.start < at:
            continue
        if start > at:
            out.append((text[at:start], None))
        out.append((text[start:end], claim))
        at = end
    if at < len(text):
        out.append((text[at:], None))
    return out


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    cursor: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    try:
        found = search_articles(_store(request), q, limit=20, cursor=cursor)
    except ValueError as exc:
        raise bad_parameter("cursor", str(exc)) from None
    return page("search.html.j2", q=q, page=found, params={"q": q})


@router.get("/feeds", response_class=HTMLResponse)
def feeds(request: Request) -> HTMLResponse:
    return page("feeds.html.j2", feeds=list_feeds(_store(request)))


@router.get("/feeds/contradictions.atom")
def contradictions_feed(request: Request) -> Response:
    """Every new conflict or update as an Atom entry, for any feed reader."""
    from pipeline.atom import FEED_LIMIT, render_contradiction_feed
    from storage.contradictions import list_contradictions

    items = list_contradictions(_store(request), limit=FEED_LIMIT)
    xml = render_contradiction_feed(items, updated=datetime.now(UTC))
    return Response(xml, media_type="application/atom+xml; charset=utf-8")
