"""Article summaries: one entry function, a setting choosing the backend.

``extractive`` (default) needs no model: the lead sentence plus the sentences that carry the
article's claims, in text order, cut at ``max_words`` words, in the article's own language.
``transformers`` runs a local seq2seq model directory with ``AutoModelForSeq2SeqLM.generate``
(transformers 5 removed ``pipeline("summarization")``); nothing is ever downloaded.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from config.errors import ConfigError, ExtractionError
from config.settings import SummarySettings
from extractors.claims import Claim

# A sentence ends at . ! ? … (optionally followed by a closing quote) before whitespace and an
# upper-case letter, a quote or a digit, or at a line break. Good enough for news prose; claims
# bring their own spaCy-split sentences.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]?\s+(?=[A-ZÀ-ÖØ-Þ«“\"0-9])|\n+")
_MIN_LEAD_WORDS = 6


def summarize(
    text: str, claims: Sequence[Claim], settings: SummarySettings, *, title: str | None = None
) -> str:
    """A short summary of ``text``; ``claims`` are the ones extracted from it. The ``title``
    (which page text often repeats as its first line) is not repeated in the summary."""
    if settings.backend == "transformers":
        return _seq2seq(settings).summarize(strip_chrome(text))
    return _extractive(text, claims, settings.max_words, title)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` by punctuation and line breaks, stripped, empty ones dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


# Page furniture that trafilatura sometimes keeps: it never opens a summary. Each pattern is
# matched against a whole short line (at most _CHROME_MAX_WORDS words) of the page text.
_CHROME_MAX_WORDS = 14
_CHROME = re.compile(
    r"^\s*(?:"
    r"date\b.*|lecture zen\b.*|.*\brésumer l['’]article\b.*|"  # reader-mode widgets
    r"(?:à )?lire (?:aussi|également|la suite)\b.*|voir aussi\b.*|read (?:more|also|next)\b.*|see also\b.*|"
    r"related\b.*|more from\b.*|"
    r"partager\b.*|share(?: this| on)?\b.*|tweet\b.*|imprimer\b.*|print\b.*|"
    r"newsletter\b.*|abonnez-vous\b.*|subscribe\b.*|sign up\b.*|inscrivez-vous\b.*|"
    r"publicité|advertisement|sponsored|contenu sponsorisé|"
    r"(?:accueil|home)\s*[>›/|].*|(?:[^>›]+\s[>›]\s){2,}[^>›]+|"  # breadcrumbs: "Accueil > Tech > IA"
    r"(?:par|by)\s+[A-ZÀ-Ý][\w'’.-]+(?:\s+(?:de |du |van |von |le )?[A-ZÀ-Ý][\w'’.-]+){0,3}"
    r"(?:\s*[,|–—-]\s*[^\d.,;]{0,40})?|"  # bylines: "Par Jean Dupont", "By Jane Smith, Reuters"
    r"(?:publié|mis à jour|modifié|updated|published|posted|last updated)\b.*|"
    r"(?:le\s+)?\d{1,2}(?:er)?\s+\w+\s+\d{4}(?:\s+à\s+\d{1,2}\s*h\s*\d{0,2})?|"  # a date alone
    r"\w+\s+\d{1,2},\s+\d{4}.*|\d{4}-\d{2}(?:-\d{2})?.*|"
    r".*\b\d+\s*(?:min(?:utes?)?|mn)\.?\s*(?:de lecture|read|reading(?: time)?)\b.*|"  # reading time
    r"(?:temps de )?lecture\s*:?\s*\d+\s*min.*|"
    r"(?:photo|crédit|credit|image)s?\s*:.*|©.*"
    r")\s*$",
    re.IGNORECASE,
)


def strip_chrome(text: str) -> str:
    """``text`` without the short lines that are page furniture: navigation, bylines, "read
    more", share and newsletter prompts, dates and reading times."""
    kept = [
        line for line in text.split("\n")
        if not (len(line.split()) <= _CHROME_MAX_WORDS and _CHROME.match(line))
    ]
    return "\n".join(kept)


def _extractive(text: str, claims: Sequence[Claim], max_words: int, title: str | None) -> str:
    headline = _key(title or "")

    def fresh(sentence: str) -> bool:
        return bool(sentence) and not (headline and _key(sentence) in headline) \
            and not (len(sentence.split()) <= _CHROME_MAX_WORDS and _CHROME.match(sentence))

    sentences = [s for s in split_sentences(strip_chrome(text)) if fresh(s)]
    lead = next((s for s in sentences if len(s.split()) >= _MIN_LEAD_WORDS), None)
    chosen: list[str] = [lead] if lead else []
    for claim in sorted(claims, key=lambda c: c.start):
        sentence = " ".join(claim.sentence.split())
        if fresh(sentence) and sentence not in chosen:
            chosen.append(sentence)
    words: list[str] = []
    for sentence in chosen:
        remaining = max_words - len(words)
        if remaining <= 0:
            break
        parts = sentence.split()
        words.extend(parts[:remaining])
        if len(parts) > remaining:
            words[-1] = words[-1].rstrip(",;:") + "…"
    return " ".join(words)


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .!?…")


class _Seq2Seq:
    """A local seq2seq model, loaded once per directory and process."""

    def __init__(self, model_dir: str, max_new_tokens: int) -> None:
        path = Path(model_dir)
        if not (path / "config.json").is_file():
            raise ConfigError("summary.model_dir", f"no model (config.json) in {model_dir!r}")
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        try:
            self._tokenizer: Any = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self._model: Any = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ConfigError("summary.model_dir", f"cannot load {model_dir!r}: {exc}") from None
        self._model.eval()
        self._max_new_tokens = max_new_tokens
        self._lock = threading.Lock()

    def summarize(self, text: str) -> str:
        import torch

        limit = getattr(self._tokenizer, "model_max_length", 512)
        limit = limit if isinstance(limit, int) and 0 < limit <= 4096 else 512
        inputs = self._tokenizer(text, return_tensors="pt", truncation=True, max_length=limit)
        try:
            with self._lock, torch.inference_mode():
                output = self._model.generate(
                    **inputs, max_new_tokens=self._max_new_tokens, num_beams=1, do_sample=False
                )
        except RuntimeError as exc:
            raise ExtractionError("summary", f"generation failed: {exc}") from exc
        return str(self._tokenizer.decode(output[0], skip_special_tokens=True)).strip()


_MODELS: dict[tuple[str, int], _Seq2Seq] = {}
_MODELS_LOCK = threading.Lock()


def _seq2seq(settings: SummarySettings) -> _Seq2Seq:
    key = (settings.model_dir, settings.max_new_tokens)
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS[key] = _Seq2Seq(settings.model_dir, settings.max_new_tokens)
        return _MODELS[key]
