"""Language detection on article text."""

from __future__ import annotations

from pathlib import Path

from extractors.language import detect_language

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def test_french_corpus_article() -> None:
    lang, confidence = detect_language((FIXTURES / "fr_grok3.txt").read_text(encoding="utf-8"))
    assert lang == "fr" and confidence > 0.99


def test_english_text() -> None:
    lang, confidence = detect_language("Nvidia shipped about 350,000 GPUs to the company, which raised $1.5 billion in March.")
    assert lang == "en" and confidence > 0.9


def test_no_letters_means_no_language() -> None:
    assert detect_language("") == (None, 0.0)
    assert detect_language("123 456 — 7,5 %") == (None, 0.0)


def test_very_short_text_is_not_confident() -> None:
    _, confidence = detect_language("ok")
    assert confidence < 0.9
