"""Per-language cue words for modality, speaker and sign: ``config/modality.toml``, compiled once.

Each key of a language table is a list of regular expressions; ``_words`` keys match one whole
token, ``_before``/``_after`` the text next to a figure, ``_phrases`` anywhere in a sentence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from config.errors import ConfigError
from config.settings import CONFIG_DIR, read_toml

DEFAULT_CUES = CONFIG_DIR / "modality.toml"
_NEVER = re.compile(r"(?!x)x")


@dataclass(frozen=True, slots=True)
class Cues:
    """One language's compiled cues; an empty list compiles to a pattern that never matches."""

    patterns: dict[str, re.Pattern[str]]
    _seen: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, repr=False)
    """Answers of :meth:`word` so far: the modality and speaker steps ask about the same tokens
    many times over."""

    def word(self, key: str, text: str) -> bool:
        """``text`` is one of the ``key`` words (whole-token match)."""
        hit = self._seen.get((key, text))
        if hit is None:
            if len(self._seen) > 200_000:
                self._seen.clear()  # a long-running process reads many words: keep the memo bounded
            hit = self._seen[(key, text)] = self.patterns[key].fullmatch(text.lower()) is not None
        return hit

    def search(self, key: str, text: str) -> re.Match[str] | None:
        return self.patterns[key].search(text)


@functools.lru_cache(maxsize=4)
def load_cues(path: Path = DEFAULT_CUES) -> dict[str, Cues]:
    """Every language table of ``path``; ``ConfigError`` names the key of a bad entry."""
    raw = read_toml(Path(path))
    out: dict[str, Cues] = {}
    keys: set[str] | None = None
    for lang, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {lang}", "must be a table of cue lists")
        if keys is not None and set(table) != keys:
            raise ConfigError(f"{path}: {lang}", f"keys differ from the other languages: {sorted(set(table) ^ keys)}")
        keys = set(table)
        compiled: dict[str, re.Pattern[str]] = {}
        for key, items in table.items():
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise ConfigError(f"{path}: {lang}.{key}", "must be a list of strings")
            try:
                compiled[key] = re.compile("|".join(f"(?:{i})" for i in items), re.IGNORECASE) if items else _NEVER
            except re.error as exc:
                raise ConfigError(f"{path}: {lang}.{key}", f"bad regex: {exc}") from None
        out[lang] = Cues(compiled)
    return out
