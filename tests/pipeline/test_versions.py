"""A page that changes at the same URL (a correction, an update) is read again when its feed
entry changes: the article keeps its versions, the old claims stay with the old text, and the
new figure updates the facts and their contradictions."""

from __future__ import annotations

import datetime as dt

from config.settings import Settings, load_settings
from extractors.claims import ClaimExtractor
from pipeline.run import prepare, run_once
from storage.articles import article_versions
from storage.claims import list_claims
from storage.contradictions import list_contradictions
from storage.db import Store
from storage.groups import list_claim_groups
from tests.support.http import HTML_TYPE, HttpServer, Response, article_html

NOW = dt.datetime(2025, 2, 1, 8, 0, tzinfo=dt.UTC)
_FILLER = (
    "The figure covers the clusters the company runs in Iowa, Texas and Ohio.\n"
    "Analysts expect the build-out to continue through the rest of the year.\n"
    "The company did not say how much the new data centers cost.\n"
)


_DESK = (
    "Mark Zuckerberg wants the largest training fleet in the industry by the end of the year.\n"
    "Rivals such as xAI and Microsoft are building clusters of a similar size in the United States.\n"
    "Power supply remains the main constraint for every one of these projects, engineers say.\n"
)


def _page(figure: str, site: str) -> bytes:
    if site == "Desk":
        text = f"According to people familiar with the matter, Meta has {figure} H100 GPUs in service.\n" + _DESK
    else:
        text = f"Meta now operates {figure} H100 GPUs across its data centers, the company said on Monday.\n" + _FILLER
    return article_html("Meta's GPU fleet", text, lang="en", site_name=site, published="2025-01-24T09:00:00+00:00").encode()


def _atom(updated: str, slug: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{slug}</title><id>urn:{slug}</id><updated>{updated}</updated>"
        f'<entry><title>Meta GPU fleet</title><link href="{slug}.html"/><id>urn:{slug}:1</id>'
        f"<published>2025-01-24T09:00:00Z</published><updated>{updated}</updated></entry></feed>"
    ).encode()


def _settings(store: Store, feeds: list[str]) -> Settings:
    env = {"VEILLE_DATABASE_URL": store.url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0"}
    return load_settings(None, env).with_feeds(feeds)


def _serve(http: HttpServer, slug: str, updated: str, figure: str) -> None:
    http.route(f"/{slug}.xml", Response(headers={"Content-Type": "application/atom+xml"}, body=_atom(updated, slug)))
    http.route(f"/{slug}.html", Response(headers=HTML_TYPE, body=_page(figure, slug.title())))


def _gpu_groups(store: Store) -> set[tuple[float | None, int]]:
    return {(g.value_low, g.source_count) for g in list_claim_groups(store, subject="Meta", metric="gpu_count")}


def test_a_changed_page_at_the_same_url_becomes_a_new_version(
    db: Store, http: HttpServer, extractor: ClaimExtractor
) -> None:
    _serve(http, "ledger", "2025-01-24T09:00:00Z", "350,000")
    _serve(http, "desk", "2025-01-24T09:00:00Z", "350,000")
    feeds = [http.url("/ledger.xml"), http.url("/desk.xml")]
    settings = _settings(db, feeds)
    prepare(settings, db)
    first = run_once(settings, db, extractor, now=NOW)
    assert first.articles_new == 2, first.errors
    assert _gpu_groups(db) == {(350_000.0, 2)}
    assert not list_contradictions(db)

    # the ledger corrects its figure; its feed says the entry was updated
    _serve(http, "ledger", "2025-01-25T10:00:00Z", "600,000")
    second = run_once(settings, db, extractor, now=NOW + dt.timedelta(days=1))
    assert second.articles_revised == 1 and second.articles_new == 0, second.errors
    ledger = http.url("/ledger.html")
    versions = article_versions(db, ledger)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].replaced_at is not None and versions[1].replaced_at is None
    assert {c.value_low for c in versions[0].claims if c.metric == "gpu_count"} == {350_000.0}
    assert {c.value_low for c in versions[1].claims if c.metric == "gpu_count"} == {600_000.0}
    # the facts now say what each page says today; the two outlets disagree
    assert _gpu_groups(db) == {(350_000.0, 1), (600_000.0, 1)}
    assert {(c.value_low, c.article_url) for c in list_claims(db, subject="Meta", metric="gpu_count")} == {
        (600_000.0, ledger), (350_000.0, http.url("/desk.html"))
    }
    [contradiction] = list_contradictions(db)
    assert {contradiction.a.value_low, contradiction.b.value_low} == {350_000.0, 600_000.0}

    # the same entry again: the page is not fetched again, nothing changes
    hits = http.hits("/ledger.html")
    third = run_once(settings, db, extractor, now=NOW + dt.timedelta(days=2))
    assert third.articles_revised == 0 and http.hits("/ledger.html") == hits
    assert len(article_versions(db, ledger)) == 2


def test_an_updated_entry_whose_page_did_not_change_keeps_one_version(
    db: Store, http: HttpServer, extractor: ClaimExtractor
) -> None:
    _serve(http, "ledger", "2025-01-24T09:00:00Z", "350,000")
    settings = _settings(db, [http.url("/ledger.xml")])
    prepare(settings, db)
    assert run_once(settings, db, extractor, now=NOW).articles_new == 1
    _serve(http, "ledger", "2025-01-26T09:00:00Z", "350,000")
    report = run_once(settings, db, extractor, now=NOW + dt.timedelta(days=1))
    assert http.hits("/ledger.html") == 1  # route reset by _serve: read once more
    assert report.articles_revised == 0 and report.articles_new == 0
    assert len(article_versions(db, http.url("/ledger.html"))) == 1
    assert _gpu_groups(db) == {(350_000.0, 1)}
