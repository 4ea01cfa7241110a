"""The fetcher and ``veille extract`` share one decoder: same text from the same bytes, and
``veille extract --strict-encoding`` fails instead of falling back to windows-1252."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipeline.fetch import Fetcher
from tests.support.http import HttpServer, Response, article_html

ROOT = Path(__file__).resolve().parents[2]
TEXT = (
    "Selon Reuters, xAI a levé 6 milliards de dollars en décembre pour agrandir Colossus, "
    "l’entreprise d’Elon Musk prévoit « bien plus » de puces à l’été, où ça coûtera 5 € de plus.\n"
) * 3


def test_windows_1252_page_without_charset_through_the_fetcher(http: HttpServer, fetcher: Fetcher) -> None:
    http.route("/cp1252.html", Response(headers={"Content-Type": "text/html"}, body=article_html("Été", TEXT, charset=None).encode("cp1252")))
    text = fetcher.fetch_page(http.url("/cp1252.html")).text or ""
    assert "l’entreprise d’Elon Musk prévoit « bien plus » de puces à l’été, où ça coûtera 5 €" in text


def test_the_http_charset_wins_over_the_meta_through_the_fetcher(http: HttpServer, fetcher: Fetcher) -> None:
    body = article_html("Été", TEXT, charset="utf-8").encode("cp1252")
    http.route("/liar.html", Response(headers={"Content-Type": "text/html; charset=windows-1252"}, body=body))
    text = fetcher.fetch_page(http.url("/liar.html")).text or ""
    assert "à l’été, où ça coûtera 5 €" in text and "\ufffd" not in text


def _extract(path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(path), "--lang", "fr", *args],
                          cwd=ROOT, capture_output=True, timeout=120, env=dict(os.environ))


def test_extract_reads_latin1_and_can_be_told_to_fail(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Selon Reuters, xAI a levé 6 milliards de dollars en décembre, à l'été.\n".encode("latin-1"))
    strict = _extract(path, "--strict-encoding")
    assert strict.returncode == 1 and strict.stdout == b""
    [line] = strict.stderr.decode().strip().splitlines()
    assert line.startswith(f"error: {path}: no charset declared and not UTF-8"), line
    loose = _extract(path)
    assert loose.returncode == 0, loose.stderr.decode()
    assert "levé 6 milliards" in loose.stdout.decode("utf-8")
