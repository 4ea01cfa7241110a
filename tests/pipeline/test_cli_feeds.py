"""``veille feeds`` subcommands, OPML in and out, ``veille status --json`` and the exit status of
a cycle where every feed failed, over a real store and a local HTTP server."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.cli import main
from storage.db import Store
from storage.feeds import list_feeds
from tests.support.http import HttpServer, Response

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"


@pytest.fixture
def config(db: Store, http: HttpServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A config file listing two feeds of the local site; the environment points at ``db``."""
    http.serve_dir("/site", SITE)
    for key, value in {
        "VEILLE_DATABASE_URL": db.url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
        "VEILLE_FETCH_PER_HOST_DELAY": "0", "VEILLE_FETCH_TOTAL_DEADLINE": "10",
        "VEILLE_NLP_PROCESSES": "1",  # the session's extractor; the pool has tests of its own
    }.items():
        monkeypatch.setenv(key, value)
    path = tmp_path / "veille.toml"
    path.write_text(
        f'[[feeds]]\nurl = "{http.url("/site/feed-fr.xml")}"\nname = "Site FR"\nlang = "fr"\n\n'
        f'[[feeds]]\nurl = "{http.url("/site/feed-en.xml")}"\nname = "Site EN"\n',
        encoding="utf-8",
    )
    return path


def _veille(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def _origins(db: Store) -> dict[str, tuple[str, bool]]:
    return {s.state.url: (s.state.origin, s.state.disabled) for s in list_feeds(db)}


def test_add_disable_enable_remove(config: Path, db: Store, http: HttpServer, capsys: pytest.CaptureFixture[str]) -> None:
    c = str(config)
    extra = "https://example.org/ai/feed.xml"
    assert _veille(capsys, "-c", c, "feeds", "add", extra, "--name", "Example AI", "--lang", "en")[0] == 0
    assert _origins(db) == {extra: ("added", False)}  # listing or adding never inserts the configured feeds
    code, out, _ = _veille(capsys, "-c", c, "feeds")
    assert code == 0 and "3 feed(s), 3 polled" in out
    assert "Example AI" in out and "added" in out and "Site FR" in out and "configured" in out

    assert _veille(capsys, "-c", c, "feeds", "disable", extra)[0] == 0
    assert _origins(db)[extra] == ("added", True)
    assert "3 feed(s), 2 polled" in _veille(capsys, "-c", c, "feeds")[1]
    assert _veille(capsys, "-c", c, "feeds", "enable", extra)[0] == 0
    assert _origins(db)[extra] == ("added", False)

    code, out, _ = _veille(capsys, "-c", c, "feeds", "remove", extra)
    assert code == 0 and "0 article(s) are kept" in out
    assert _origins(db)[extra] == ("removed", False)

    # a configured feed can be disabled (it becomes known), not removed
    fr = http.url("/site/feed-fr.xml")
    assert _veille(capsys, "-c", c, "feeds", "disable", fr)[0] == 0
    assert _origins(db)[fr] == ("config", True)
    code, _, err = _veille(capsys, "-c", c, "feeds", "remove", fr)
    assert code == 1 and err.strip().startswith(f"error: {fr}: listed in the config file")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["feeds", "add", "ftp://example.org/feed"], "not an http(s) URL"),
        (["feeds", "remove", "https://unknown.example/feed"], "no such feed"),
        (["feeds", "enable", "https://unknown.example/feed"], "no such feed"),
        (["feeds", "import", "/no/such/file.opml"], "file not found"),
    ],
)
def test_bad_feeds_input_is_one_line_and_exit_1(
    config: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    code, _, err = _veille(capsys, "-c", str(config), *args)
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith("error: ") and needle in line


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>my reader</title></head>
  <body>
    <outline text="AI">
      <outline type="rss" text="Lab News" title="Lab News" xmlUrl="https://lab.example/rss" language="en-US"/>
      <outline type="rss" text="Veille FR" xmlUrl="https://veille.example/feed" language="fr"/>
    </outline>
    <outline type="rss" text="Lab again" xmlUrl="https://lab.example/rss"/>
    <outline text="a folder without feeds"/>
  </body>
</opml>
"""


def test_opml_import_then_export(config: Path, db: Store, http: HttpServer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    c = str(config)
    path = tmp_path / "feeds.opml"
    path.write_text(OPML, encoding="utf-8")
    code, out, _ = _veille(capsys, "-c", c, "feeds", "import", str(path))
    assert code == 0 and "2 feed(s), 2 new" in out
    states = {s.state.url: s.state for s in list_feeds(db)}
    assert states["https://lab.example/rss"].name == "Lab News" and states["https://lab.example/rss"].lang == "en"
    assert states["https://veille.example/feed"].lang == "fr" and states["https://veille.example/feed"].origin == "added"
    assert "2 feed(s), 0 new, 2 already known" in _veille(capsys, "-c", c, "feeds", "import", str(path))[1]

    code, out, _ = _veille(capsys, "-c", c, "feeds", "export")
    assert code == 0
    outlines = {o.get("xmlUrl"): o for o in ET.fromstring(out.encode()).iter("outline")}
    assert set(outlines) == {
        http.url("/site/feed-fr.xml"), http.url("/site/feed-en.xml"), "https://lab.example/rss",
        "https://veille.example/feed",
    }
    assert outlines[http.url("/site/feed-fr.xml")].get("title") == "Site FR"
    assert outlines[http.url("/site/feed-fr.xml")].get("language") == "fr"
    # the export reads back as the same list
    exported = tmp_path / "export.opml"
    exported.write_text(out, encoding="utf-8")
    assert "4 feed(s), 0 new" in _veille(capsys, "-c", c, "feeds", "import", str(exported))[1]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("<rss><channel/></rss>", "not an OPML document"),
        ("<opml><body><outline xmlUrl='file:///etc/passwd'/></body>", "not XML"),
        ("<opml><body><outline text='x' xmlUrl='file:///etc/passwd'/></body></opml>", "not an http(s) URL"),
    ],
)
def test_bad_opml_imports_nothing(
    config: Path, db: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, needle: str
) -> None:
    path = tmp_path / "bad.opml"
    path.write_text(body, encoding="utf-8")
    code, _, err = _veille(capsys, "-c", str(config), "feeds", "import", str(path))
    assert code == 1 and err.startswith(f"error: {path}: ") and needle in err
    assert list_feeds(db) == []


def test_status_json_shows_failing_feeds_and_the_last_cycle(
    config: Path, db: Store, http: HttpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    c = str(config)
    code, out, _ = _veille(capsys, "-c", c, "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["last_cycle"] is None and status["feeds"]["due"] == 2 and status["failing"] == []

    http.route("/down.xml", Response(status=503, body=b"down"))
    down = http.url("/down.xml")
    _veille(capsys, "-c", c, "feeds", "add", down)
    code, out, _ = _veille(capsys, "-c", c, "run", "--once")
    assert code == 0 and "3 feed(s) polled" in out and "1 failed" in out

    code, out, _ = _veille(capsys, "-c", c, "status", "--json")
    status = json.loads(out)
    assert status["feeds"] == {"polled": 3, "disabled": 0, "not_polled": 0, "due": 0}
    [failing] = status["failing"]
    assert failing["url"] == down and "503" in failing["detail"] and failing["since"]
    assert failing["consecutive_errors"] == 1
    cycle = status["last_cycle"]
    assert cycle["feeds_polled"] == 3 and cycle["feeds_failed"] == 1 and cycle["articles_new"] == 5
    assert cycle["claims"] > 0 and cycle["finished_at"] >= cycle["started_at"]
    assert status["stale"] == [] and status["last_digest"] is None

    code, out, _ = _veille(capsys, "-c", c, "status")
    assert code == 0 and "failing: 1 feed(s)" in out and "503" in out and "3 feed(s) polled" in out


def test_run_once_exits_non_zero_when_every_feed_failed(
    config: Path, db: Store, http: HttpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    http.route("/down.xml", Response(status=500, body=b"boom"))
    http.route("/gone.xml", Response(status=404, body=b"no"))
    code, out, err = _veille(capsys, "run", "--once", "--feed", http.url("/down.xml"), "--feed", http.url("/gone.xml"))
    assert code == 1 and "2 feed(s) polled" in out
    assert "error: every feed failed (2 of 2)" in err
    # one feed that works is enough for a zero exit
    code, _, _ = _veille(capsys, "run", "--once", "--feed", http.url("/down.xml"), "--feed", http.url("/site/feed-en.xml"))
    assert code == 0
