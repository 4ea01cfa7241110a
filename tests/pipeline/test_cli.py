"""The ``veille`` command: one-line errors, the extract contract, and the commands over a real
store, local HTTP server and SMTP server."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractors.claims import CONTRACT_KEYS, ClaimExtractor
from pipeline.cli import main
from storage.db import Store
from tests.support.http import HttpServer
from tests.support.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "site"
CORPUS_DEEPSEEK = SITE / "articles" / "deepseek-moment-spoutnik.html"


def _veille(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, input=stdin, capture_output=True,
        timeout=timeout, env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["extract", "/no/such/article.txt"], "/no/such/article.txt: file not found"),
        (["extract", "--lang", "de", "x.txt"], "--lang must be one of"),
        (["-c", "/no/such.toml", "config", "show"], "/no/such.toml: file not found"),
        (["claims", "--since", "yesterday"], "--since"),
        (["claims"], "run `veille init`"),
        (["contradictions", "--kind", "maybe"], "--kind"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(args: list[str], needle: str, tmp_path: Path) -> None:
    result = _veille(*args, env={"VEILLE_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], lines
    assert "Traceback" not in result.stderr.decode()


def test_empty_input_is_an_error(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"   \n")))
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "-", "--lang", "fr"])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.strip() == "error: -: empty input"


def test_extract_prints_the_contract_for_an_html_article(
    capsys: pytest.CaptureFixture[str], extractor: ClaimExtractor
) -> None:
    main(["extract", str(CORPUS_DEEPSEEK), "--published", "2025-01-28"])
    lines = capsys.readouterr().out.strip().splitlines()
    claims = [json.loads(line) for line in lines]
    assert claims, "no claim printed"
    assert all(tuple(c) == CONTRACT_KEYS for c in claims)
    assert all(c["lang"] == "fr" for c in claims)
    cost = [c for c in claims if c["metric"] == "cost" and c["value_low"] == 5e6]
    assert cost and cost[0]["value_high"] == 6e6 and cost[0]["unit"] == "USD"


def test_extract_offsets_point_at_the_figure_in_plain_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extractor: ClaimExtractor
) -> None:
    text = "Selon Reuters, xAI a levé 6 milliards de dollars en décembre 2024 pour agrandir Colossus.\n"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    main(["extract", str(path)])
    [claim] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert claim["value_low"] == 6e9 and claim["unit"] == "USD" and claim["subject"] == "xAI"
    assert "6 milliards" in text[claim["start"] : claim["end"]]


def test_extract_reads_the_headline_for_what_the_article_is_about(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extractor: ClaimExtractor
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The full-year revenue reached $1.92 billion in 2024.\n", encoding="utf-8")
    main(["extract", str(path), "--lang", "en", "--title", "CoreWeave files for IPO"])
    [claim] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (claim["subject"], claim["metric"], claim["value_low"]) == ("CoreWeave", "revenue", 1.92e9)


@pytest.fixture
def env(db: Store, http: HttpServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    http.serve_dir("/site", SITE)
    values = {
        "VEILLE_DATABASE_URL": db.url,
        "VEILLE_ALLOW_PRIVATE_ADDRESSES": "1",
        "VEILLE_FETCH_PER_HOST_DELAY": "0",
        "VEILLE_DIGEST_OUTBOX_DIR": str(tmp_path / "outbox"),
        "VEILLE_NLP_PROCESSES": "1",  # the session's extractor (the pool: tests/pipeline/test_extract_pool.py)
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def test_run_once_then_query_claims_feeds_and_digest(
    env: dict[str, str], http: HttpServer, capsys: pytest.CaptureFixture[str],
    extractor: ClaimExtractor, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    feed = http.url("/site/feed-all.xml")
    main(["run", "--once", "--feed", feed])
    assert "5 new article(s)" in capsys.readouterr().out

    main(["claims", "--subject", "x.AI", "--mentions", "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and "xAI" in {r["subject"] for r in rows}  # with its parts: Colossus, Grok 3
    assert all(r["subject"] == "xAI" or r["part_of"] == "xAI" for r in rows)
    assert all(r["article_url"].startswith(http.url("/site/")) and r["sentence"] for r in rows)

    main(["claims", "--metric", "gpu_count", "--json"])
    groups = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert groups and all(g["metric"] == "gpu_count" and g["sources"] for g in groups)
    assert all(len(g["sources"]) >= g["source_count"] for g in groups)
    assert all(s["url"].startswith(http.url("/site/")) for g in groups for s in g["sources"])

    main(["claims", "--metric", "gpu_count", "--csv"])
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(table) == sum(len(g["sources"]) for g in groups)
    assert all(r["metric"] == "gpu_count" and r["source_url"] for r in table)

    main(["claims", "--metric", "cost"])
    out = capsys.readouterr().out
    assert "DeepSeek › DeepSeek" in out and "R1" in out, out  # the model under its maker

    main(["entity", "x.ai"])
    out = capsys.readouterr().out
    assert "xAI:" in out and "gpu_count" in out

    main(["contradictions", "--json"])
    for line in capsys.readouterr().out.splitlines():
        item = json.loads(line)
        assert set(item) == {"kind", "subject", "metric", "qualifier", "gap", "explanation", "a", "b"}

    main(["feeds"])
    assert "feed-all.xml" in capsys.readouterr().out

    preview = tmp_path / "digest.html"
    main(["digest", "--preview", str(preview)])
    assert "5 article(s)" in capsys.readouterr().out
    assert "DeepSeek" in preview.read_text(encoding="utf-8")

    monkeypatch.setenv("VEILLE_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("VEILLE_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("VEILLE_DIGEST_RECIPIENTS", "analyst@example.org")
    main(["digest"])
    assert "analyst@example.org via SMTP" in capsys.readouterr().out
    [(_sender, recipients, message)] = smtp_server.messages
    assert recipients == ["analyst@example.org"]
    assert "Grok" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_daemon_polls_then_stops_cleanly_on_sigterm(env: dict[str, str], http: HttpServer, db: Store) -> None:
    feed = http.url("/site/feed-fr.xml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "run", "--feed", feed], cwd=ROOT,
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    from storage.claims import list_claims

    try:
        deadline = time.monotonic() + 120
        stored = False
        while time.monotonic() < deadline and proc.poll() is None and not stored:
            time.sleep(0.5)
            stored = any(c.subject == "DeepSeek R1" for c in list_claims(db))
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert stored, "the daemon stored nothing within 120 s"
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()
    assert "stopping" in err.decode()
