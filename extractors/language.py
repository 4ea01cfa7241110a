"""Language of an article's text (py3langid, normalised probabilities)."""

from __future__ import annotations

import threading

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_identifier: LanguageIdentifier | None = None
_lock = threading.Lock()
_MAX_CHARS = 4_000  # a few paragraphs give a confident answer; langid costs ~0.3 ms per 1,000 chars


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability in [0, 1]); (None, 0.0) for text with no letters."""
    sample = text[:_MAX_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None, 0.0
    lang, probability = _model().classify(sample)
    return str(lang), float(probability)


def _model() -> LanguageIdentifier:
    global _identifier
    with _lock:
        if _identifier is None:
            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier
