"""Per-language word lists and cue patterns: ``config/lexicon_fr.toml``, ``config/lexicon_en.toml``.

Each key of a lexicon file is a list of regular-expression alternatives (a word, a stem with
``\\w*``, a short phrase). A typographic apostrophe ``’`` in an entry matches both ``'`` and
``’``. Code never spells a cue word: it names a key and the frame around it
(``pattern(r"^<<pronouns>>$")``), and gets the alternatives of both languages, French
first, since a French article quotes English and the other way round.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from config.errors import ConfigError
from config.settings import CONFIG_DIR, read_toml

LANGS = ("fr", "en")
_KEY = re.compile(r"<<(\w+)>>")


@functools.cache
def _load(lang: str) -> dict[str, tuple[str, ...]]:
    path = Path(CONFIG_DIR) / f"lexicon_{lang}.toml"
    raw = read_toml(path)
    out: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{path}: {key}", "must be a list of non-empty strings")
        out[key] = tuple(v.replace("’", "['’]") for v in value)
    return out


def entries(key: str, langs: tuple[str, ...] = LANGS) -> tuple[str, ...]:
    """The alternatives listed under ``key``, in file order, French first; duplicates dropped."""
    found = [e for lang in langs for e in _load(lang).get(key, ())]
    if not found and not any(key in _load(lang) for lang in langs):
        raise ConfigError(f"lexicon {key!r}", f"missing from every lexicon ({', '.join(langs)})")
    return tuple(dict.fromkeys(found))


def alternatives(key: str, langs: tuple[str, ...] = LANGS) -> str:
    """``(?:a|b|c)`` over the entries of ``key``."""
    return "(?:" + "|".join(entries(key, langs)) + ")"


def pattern(frame: str, flags: int = re.IGNORECASE, langs: tuple[str, ...] = LANGS) -> re.Pattern[str]:
    """``frame`` compiled with each ``<<key>>`` replaced by the alternatives of ``key``
    (``pattern(r"^<<pronouns>>$")``); a bare key is framed as a whole word: ``\\b<<key>>\\b``."""
    if _KEY.search(frame) is None:
        frame = rf"\b<<{frame}>>\b"
    return re.compile(expand(frame, langs), flags)


def expand(frame: str, langs: tuple[str, ...] = LANGS) -> str:
    """``frame`` with each ``<<key>>`` replaced by the alternatives of ``key``."""
    return _KEY.sub(lambda m: alternatives(m.group(1), langs), frame)


def words(key: str, langs: tuple[str, ...] = LANGS) -> frozenset[str]:
    """The entries of ``key`` as a set of plain words (for lists that are no patterns)."""
    return frozenset(entries(key, langs))
