"""The JSON API and the CLI read paths over a real ingest of the fixture site, served by
``veille serve`` on a real port, on SQLite and PostgreSQL (``served``, ``site_db_url``)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.support.web import HOSTILE_TITLE


def _get(base: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30)


def _walk(base: str, path: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, page after page."""
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        body = _get(base, path, limit=limit, **params, **({"cursor": cursor} if cursor else {})).json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items
    raise AssertionError("pagination never ended")


def _cli(url: str, *args: str) -> Any:
    result = CliRunner().invoke(app, list(args), env={"VEILLE_DATABASE_URL": url})
    return result


def test_facts_are_the_cli_facts_and_pages_cover_them_once(served: str, site_db_url: str) -> None:
    whole = _get(served, "/api/facts", subject="meta", metric="gpu_count").json()
    assert whole["next"] is None
    values = sorted(f["value_low"] for f in whole["items"])
    assert values == [150_000, 350_000, 600_000]
    cli = _cli(site_db_url, "claims", "--subject", "meta", "--metric", "gpu_count", "--json")
    assert cli.exit_code == 0, cli.output
    assert [json.loads(line) for line in cli.output.splitlines()] == whole["items"]

    # a whole's facts include its parts' (Colossus is part of xAI), in the API as in the CLI
    xai = _walk(served, "/api/facts", limit=5, subject="xAI")
    cli = _cli(site_db_url, "claims", "--subject", "xAI", "--json")
    assert [json.loads(line) for line in cli.output.splitlines()] == xai
    assert any(f["part_of"] == "xAI" for f in xai)
    for kind in ("conflict", "update"):
        api = _walk(served, "/api/contradictions", limit=5, subject="xAI", kind=kind)
        cli = _cli(site_db_url, "contradictions", "--subject", "xAI", "--kind", kind, "--json")
        mine = [json.loads(line) for line in cli.output.splitlines()]
        key = lambda c: (c["explanation"], c["gap"])  # noqa: E731
        assert sorted(map(key, mine)) == sorted(map(key, api)), (len(mine), len(api))

    everything = _get(served, "/api/facts", limit=500).json()["items"]
    paged = _walk(served, "/api/facts", limit=7)
    assert paged == everything and len(everything) > 20
    since = _get(served, "/api/facts", since="2025-08-01", limit=500).json()["items"]
    assert since and all(f["last_seen_at"] >= "2025-08-01" for f in since) and len(since) < len(everything)


def test_contradictions_are_the_cli_ones_filtered_and_paged(served: str, site_db_url: str) -> None:
    items = _get(served, "/api/contradictions", subject="Meta").json()["items"]
    cli = _cli(site_db_url, "contradictions", "--subject", "Meta", "--json")
    assert [json.loads(line) for line in cli.output.splitlines()] == items
    assert {c["kind"] for c in items} == {"conflict", "update"}
    conflicts = _get(served, "/api/contradictions", kind="conflict").json()["items"]
    assert conflicts and all(c["kind"] == "conflict" for c in conflicts)
    assert _walk(served, "/api/contradictions", limit=1) == _get(served, "/api/contradictions", limit=500).json()["items"]


def test_an_entity_by_any_alias_with_every_fact(served: str) -> None:
    body = _get(served, "/api/entities/x.ai").json()
    assert body["name"] == "xAI" and body["kind"] == "org" and "x.AI" in body["aliases"]
    assert set(body) == {"name", "kind", "aliases", "parts", "facts"}
    assert {f["metric"] for f in body["facts"]} >= {"gpu_count", "funding", "valuation"}
    # the whole's facts and its parts' (Colossus, the Grok models), each part named as such
    assert all(f["subject"] == "xAI" or f["part_of"] == "xAI" for f in body["facts"])
    assert {f["subject"] for f in body["facts"] if f["part_of"] == "xAI"} <= set(body["parts"])
    assert "Colossus" in body["parts"] and "xAI" not in body["parts"]
    missing = _get(served, "/api/entities/Nobody Inc")
    assert missing.status_code == 404 and missing.json() == {"error": "name: unknown entity 'Nobody Inc'"}


def test_articles_filtered_by_entity_language_feed_and_date(served: str) -> None:
    everything = _walk(served, "/api/articles", limit=2)
    assert len(everything) == 9
    assert [a["id"] for a in everything] == sorted((a["id"] for a in everything), reverse=True)
    french = _get(served, "/api/articles", lang="fr").json()["items"]
    assert len(french) == 3 and all(a["lang"] == "fr" for a in french)
    # Microsoft is only named in passing (no figure about it): entity= still finds the article
    microsoft = _get(served, "/api/articles", entity="microsoft").json()["items"]
    archive = next(a for a in microsoft if a["url"].endswith("/meta-gpus-archive.html"))
    claims = _get(served, f"/api/articles/{archive['id']}").json()["claims"]
    assert claims and not any(c["subject"] == "Microsoft" for c in claims)
    meta = _get(served, "/api/articles", entity="Meta").json()["items"]
    assert len(meta) >= 3
    recent = _get(served, "/api/articles", since="2025-08-01").json()["items"]
    assert {a["url"].rsplit("/", 1)[-1] for a in recent} == {
        "musk-50-millions-gpu.html", "anthropic-funding-round.html", "hostile-title.html"}
    feed = everything[0]["feed_id"]
    by_feed = _get(served, "/api/articles", feed=str(feed)).json()["items"]
    assert by_feed and all(a["feed_id"] == feed for a in by_feed)
    assert _get(served, "/api/articles", entity="Nobody Inc").json() == {"items": [], "next": None}


def test_one_article_has_its_text_and_claims_with_offsets(served: str, site_db_url: str) -> None:
    listed = _get(served, "/api/articles", limit=500).json()["items"]
    colossus = next(a for a in listed if a["url"].endswith("xai-colossus-expansion.html"))
    body = _get(served, f"/api/articles/{colossus['id']}").json()
    assert body["title"] == colossus["title"] and body["site_name"] == "Compute Ledger" and body["lang"] == "en"
    assert body["text"] and body["claims"]
    for claim in body["claims"]:
        figure = body["text"][claim["start"]:claim["end"]]
        assert figure and figure in claim["sentence"]
    assert any(e["name"] == "xAI" and e["mentions"] >= 2 for e in body["entities"])
    assert _get(served, "/api/articles/999999").status_code == 404

    cli = _cli(site_db_url, "article", str(colossus["id"]), "--json")
    assert json.loads(cli.output) == body


def test_search_finds_words_of_the_text_best_first(served: str, site_db_url: str) -> None:
    body = _get(served, "/api/search", q="warehouse robots").json()
    assert [hit["article"]["url"].rsplit("/", 1)[-1] for hit in body["items"]] == ["hostile-title.html"]
    snippet = body["items"][0]["snippet"]
    assert "<mark>warehouse</mark>" in snippet and "<mark>robots</mark>" in snippet
    assert "<script>" not in snippet  # the text's own markup comes back escaped
    assert _get(served, "/api/search", q="zzzunknownword").json() == {"items": [], "next": None}
    gpu = _walk(served, "/api/search", limit=2, q="GPU")
    assert len(gpu) >= 3 and len({h["article"]["id"] for h in gpu}) == len(gpu)
    assert gpu == _get(served, "/api/search", q="GPU", limit=100).json()["items"]
    scores = [h["score"] for h in gpu]
    assert scores == sorted(scores, reverse=True)

    cli = _cli(site_db_url, "search", "warehouse", "--json")
    assert cli.exit_code == 0 and json.loads(cli.output.splitlines()[0])["article"]["title"] == HOSTILE_TITLE


@pytest.mark.parametrize(
    ("path", "params", "error"),
    [
        ("/api/facts", {"limit": "abc"}, "limit: "),
        ("/api/facts", {"limit": "0"}, "limit: "),
        ("/api/facts", {"limit": "501"}, "limit: "),
        ("/api/facts", {"since": "2025-13-01"}, "since: "),
        ("/api/facts", {"cursor": "not-a-cursor"}, "cursor: "),
        ("/api/contradictions", {"kind": "war"}, "kind: "),
        ("/api/articles", {"since": "yesterday"}, "since: "),
        ("/api/articles", {"cursor": "WyJ4Il0"}, "cursor: "),
        ("/api/search", {}, "q: required"),
        ("/api/search", {"q": "   "}, "q: empty query"),
        ("/api/search", {"q": "gpu", "cursor": "WzEsMl0x"}, "cursor: "),
        ("/api/articles/abc", {}, "article_id: "),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(served: str, path: str, params: dict[str, str], error: str) -> None:
    response = _get(served, path, **params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"} and body["error"].startswith(error) and "\n" not in body["error"]


def test_openapi_lists_every_endpoint_and_nothing_writes(served: str) -> None:
    schema = _get(served, "/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/facts", "/api/contradictions", "/api/entities/{name}", "/api/articles",
        "/api/articles/{article_id}", "/api/search",
    }
    assert all(set(methods) == {"get"} for methods in schema["paths"].values())
    assert httpx.post(served + "/api/facts", timeout=10).status_code == 405


def test_every_page_answers_with_a_no_script_policy(served: str) -> None:
    listed = _get(served, "/api/articles", limit=1).json()["items"]
    for path in ("/", "/entity/Meta", "/contradictions", f"/articles/{listed[0]['id']}", "/search?q=GPU", "/feeds"):
        response = httpx.get(served + path, timeout=30)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy, path
        assert "<script" not in response.text.lower(), path
    assert httpx.get(served + "/entity/Nobody%20Inc", timeout=10).status_code == 404


def test_the_cli_lists_and_refuses_bad_input(site_db_url: str) -> None:
    listed = _cli(site_db_url, "articles", "--entity", "microsoft", "--json")
    assert "Chip Archive" in [json.loads(line)["site_name"] for line in listed.output.splitlines()]
    table = _cli(site_db_url, "articles", "--since", "2025-08-01")
    assert table.exit_code == 0 and "3 article(s)" in table.output and HOSTILE_TITLE[:20] in table.output
    csv_out = _cli(site_db_url, "search", "GPU", "--csv")
    assert csv_out.output.splitlines()[0].startswith("id,url,")
    bad = _cli(site_db_url, "articles", "--since", "soon")
    assert bad.exit_code == 1
    missing = _cli(site_db_url, "article", "999999")
    assert missing.exit_code == 1


def test_contradictions_as_an_atom_feed(served: str) -> None:
    import feedparser

    response = _get(served, "/feeds/contradictions.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    items = _get(served, "/api/contradictions", limit=100).json()["items"]
    assert len(parsed.entries) == len(items) > 0
    assert {e.tags[0].term for e in parsed.entries} <= {"conflict", "update"}
