"""The read-only JSON API: ``/api/facts``, ``/api/contradictions``, ``/api/entities/{name}``,
``/api/articles``, ``/api/articles/{id}``, ``/api/search``.

Every list answers ``{"items": [...], "next": cursor | null}`` and takes ``limit`` (1–500) and
``cursor`` (the ``next`` of the previous page). Items are the records of
:mod:`pipeline.render`, the ones the CLI prints. A bad parameter is a 400 whose one-line
``error`` names it; an unknown entity or article a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from pipeline import render
from pipeline.http_errors import NotFound, bad_parameter
from storage import browse
from storage.articles import get_article
from storage.browse import Page
from storage.db import Store
from storage.search import search_articles

router = APIRouter(prefix="/api")
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page (1–500).")]
Cursor = Annotated[str | None, Query(description="The `next` of the previous page.")]
Since = Annotated[date | None, Query(description="YYYY-MM-DD (UTC).")]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _listing(page: Page[Any], record: Any) -> dict[str, Any]:
    return {"items": [record(item) for item in page.items], "next": page.next}


def _paged(call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except ValueError as exc:  # only a cursor that does not decode raises it
        raise bad_parameter("cursor", str(exc)) from None


@router.get("/facts", summary="Facts (claim groups) with their sources, most recently seen first")
def facts(
    request: Request,
    subject: Annotated[str | None, Query(description="Entity name or alias.")] = None,
    metric: Annotated[str | None, Query(description="e.g. gpu_count, funding.")] = None,
    since: Since = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = _paged(browse.facts_page, store=_store(request), subject=subject, metric=metric, since=since,
                  limit=limit, cursor=cursor)
    return _listing(page, render.fact_record)


@router.get("/contradictions", summary="Figures that disagree, most recently detected first")
def contradictions(
    request: Request,
    kind: Annotated[Literal["conflict", "update"] | None, Query(description="conflict or update.")] = None,
    subject: Annotated[str | None, Query(description="Entity name or alias.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = _paged(browse.contradictions_page, store=_store(request), kind=kind, subject=subject,
                  limit=limit, cursor=cursor)
    return _listing(page, render.contradiction_record)


@router.get("/entities/{name:path}", summary="An entity (any alias finds it) with every fact about it")
def entity(request: Request, name: Annotated[str, Path(description="Entity name or alias.")]) -> dict[str, Any]:
    found = browse.entity_overview(_store(request), name, contradictions=0, articles=0)
    if found is None:
        raise NotFound("name", f"unknown entity {name!r}")
    return render.entity_record(found)


@router.get("/articles", summary="Articles, newest stored first")
def articles(
    request: Request,
    feed: Annotated[str | None, Query(description="Feed id or URL.")] = None,
    lang: Annotated[str | None, Query(description="fr, en, …")] = None,
    entity: Annotated[str | None, Query(description="An entity the article names (any alias).")] = None,
    since: Since = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = _paged(browse.articles_page, store=_store(request), feed=feed, lang=lang, entity=entity,
                  since=since, limit=limit, cursor=cursor)
    return _listing(page, render.article_record)


@router.get("/articles/{article_id}", summary="One article with its text, claims (with offsets) and entities")
def article(request: Request, article_id: Annotated[int, Path(ge=1)]) -> dict[str, Any]:
    found = get_article(_store(request), article_id)
    if found is None:
        raise NotFound("article_id", f"no article {article_id}")
    return render.article_record(found, full=True)


@router.get("/search", summary="Articles containing every word, best first, with a highlighted snippet")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    if not q.strip():
        raise bad_parameter("q", "empty query")
    page = _paged(search_articles, store=_store(request), query=q, limit=limit, cursor=cursor)
    return _listing(page, render.search_record)
