"""The command's logging and help: -v/-q, --log-format json, one INFO line per stored article,
library noise at --debug only, global options after the command, metavars and choices in
--help, --version, and the progress bar on a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractors.claims import METRICS, ClaimExtractor
from pipeline.cli import _METRIC_HELP, _globals_first, main
from storage.db import Store
from tests.support.http import HttpServer

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "site"


def _veille(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def env(db: Store, http: HttpServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    http.serve_dir("/site", SITE)
    values = {
        "VEILLE_DATABASE_URL": db.url, "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1", "VEILLE_FETCH_PER_HOST_DELAY": "0",
        "VEILLE_NLP_PROCESSES": "1",  # the session's extractor; the pool has tests of its own
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def test_log_format_json_has_one_line_per_stored_article(
    env: dict[str, str], http: HttpServer, capsys: pytest.CaptureFixture[str], extractor: ClaimExtractor
) -> None:
    code, out, err = _veille(capsys, "run", "--once", "--feed", http.url("/site/feed-en.xml"), "--log-format", "json")
    assert code == 0 and "2 new article(s)" in out
    records = [json.loads(line) for line in err.splitlines()]  # every line is a JSON object
    stored = [r for r in records if r.get("veille_event") == "article_stored"]
    assert len(stored) == 2 and all(r["level"] == "INFO" for r in stored)
    assert {r["url"].rsplit("/", 1)[-1] for r in stored} == {"xai-colossus-expansion.html", "anthropic-funding-round.html"}
    assert all(isinstance(r["claims"], int) and r["claims"] > 0 for r in stored)
    assert any(r.get("veille_event") == "feed_polled" for r in records)
    assert not any(r["logger"].startswith("alembic") for r in records)


def test_quiet_run_logs_nothing_but_errors(
    env: dict[str, str], http: HttpServer, capsys: pytest.CaptureFixture[str], extractor: ClaimExtractor
) -> None:
    code, out, err = _veille(capsys, "run", "--once", "-q", "--feed", http.url("/site/feed-en.xml"))
    assert code == 0 and "2 new article(s)" in out and err == ""


def test_alembic_lines_only_at_debug(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEILLE_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    code, _, err = _veille(capsys, "init", "-v")
    assert code == 0 and "alembic" not in err
    monkeypatch.setenv("VEILLE_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh2.sqlite3'}")
    code, _, err = _veille(capsys, "init", "--debug")
    assert code == 0 and "alembic.runtime.migration" in err


def test_global_options_are_accepted_after_the_command(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[[feeds]]\nurl = "https://only.example/feed"\n', encoding="utf-8")
    code, out, _ = _veille(capsys, "status", "--json", "--config", str(config))
    assert code == 0 and json.loads(out)["due"] == ["https://only.example/feed"]
    code, out, _ = _veille(capsys, "feeds", "export", "-c", str(config))
    assert code == 0 and "https://only.example/feed" in out
    code, _, err = _veille(capsys, "status", "--config=/no/such.toml")
    assert code == 1 and "/no/such.toml: file not found" in err
    assert _globals_first(["extract", "-", "--lang", "fr", "-v"]) == ["-v", "extract", "-", "--lang", "fr"]
    assert _globals_first(["-c", "x.toml", "run", "--", "-q"]) == ["-c", "x.toml", "run", "--", "-q"]


def test_help_shows_metavars_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    helps = {}
    for command in (["extract"], ["claims"], ["contradictions"], ["digest"], ["run"], ["feeds", "add"],
                    ["feeds", "import"], []):
        code, out, _ = _veille(capsys, *command, "--help")
        assert code == 0
        helps[" ".join(command)] = out
    assert "PATH" in helps["extract"] and "DATE" in helps["extract"] and "[auto|fr|en]" in helps["extract"]
    assert "DATE" in helps["claims"] and "METRIC" in helps["claims"] and "gpu_count" in helps["claims"]
    assert "[conflict|update]" in helps["contradictions"]
    assert "DATE" in helps["digest"] and "PATH" in helps["digest"]
    assert "URL" in helps["run"]
    assert "URL" in helps["feeds add"] and "fr" in helps["feeds add"] and "en" in helps["feeds add"]
    assert "FILE.opml" in helps["feeds import"]
    assert "[text|json]" in helps[""] and "--quiet" in helps[""] and "--version" in helps[""]
    assert all(metric in _METRIC_HELP for metric in METRICS)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    code, out, _ = _veille(capsys, "--version")
    assert code == 0 and out.strip() == f"veille {version('veille')}"


def test_a_terminal_gets_a_progress_bar(env: dict[str, str], http: HttpServer) -> None:
    """``veille run --once`` on a pseudo-terminal draws the bar (feeds polled, articles stored),
    with claims extracted by two processes."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "run", "--once", "--feed", http.url("/site/feed-en.xml")],
        cwd=ROOT, env={**os.environ, **env, "COLUMNS": "120", "TERM": "xterm", "VEILLE_NLP_PROCESSES": "2"},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
    )
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        out, _ = proc.communicate(timeout=60)
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and b"2 new article(s)" in out
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", "replace"))
    assert "feeds polled" in text and "articles stored" in text
    assert "1/1" in text  # feeds polled, of the total announced
    assert text.count("claim(s)") >= 2 and "xai-colossus-expansion.html" in text, text  # INFO lines above the bar
