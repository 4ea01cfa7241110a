"""Named things claims are about: the alias table (``config/entities.toml``) and name rules.

``load_entities(path)`` reads the table; :class:`EntityMatcher` finds mentions of table
entries and of rule-matched model/chip names (``config/entity_patterns.toml``) in raw text.
Matching is done with one compiled regular expression on the text rather than a spaCy
EntityRuler: offsets come out exact, it costs a fraction of a pipeline component, and the
patterns stay data in ``config/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from config.errors import ConfigError
from config.settings import read_toml

KINDS = ("org", "person", "model", "chip", "programme", "concept", "outlet")
DEFAULT_PATTERNS = Path(__file__).resolve().parent.parent / "config" / "entity_patterns.toml"


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical subject with the spellings that name it."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    org: str | None = None
    """For a person: the organisation whose figures they announce."""
    part_of: str | None = None
    """The whole this entity belongs to: a model its maker, a cluster its operator."""
    short: str | None = None
    """The one word it goes by in an article that names its whole ("Maverick" where Llama 4 is named)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a text."""

    name: str
    kind: str
    start: int
    end: int
    org: str | None = None


def load_entities(path: str | Path) -> tuple[Entity, ...]:
    """Read the alias table; raise ``ConfigError`` naming the file and the reason on bad input."""
    raw = read_toml(Path(path))
    items = raw.get("entity", [])
    if not isinstance(items, list):
        raise ConfigError(str(path), "'entity' must be an array of tables ([[entity]])")
    entities: list[Entity] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"{path}: entity[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(where, "must be a table")
        name, kind, aliases = item.get("name"), item.get("kind"), item.get("aliases", [])
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(where, "missing or empty 'name'")
        if kind not in KINDS:
            raise ConfigError(where, f"'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(where, "'aliases' must be a list of non-empty strings")
        org = item.get("org")
        if org is not None and not isinstance(org, str):
            raise ConfigError(where, "'org' must be a string")
        part_of = item.get("part_of")
        if part_of is not None and not isinstance(part_of, str):
            raise ConfigError(where, "'part_of' must be a string")
        short = item.get("short")
        if short is not None and (not isinstance(short, str) or not re.fullmatch(r"\w+", short) or part_of is None):
            raise ConfigError(where, "'short' must be one word, and needs 'part_of' (the whole that must be named)")
        if name in seen:
            raise ConfigError(where, f"duplicate entity {name!r}")
        seen.add(name)
        all_aliases = tuple(dict.fromkeys([name, *aliases]))
        entities.append(Entity(name=name, kind=kind, aliases=all_aliases, org=org, part_of=part_of, short=short))
    known = {e.name: e for e in entities}
    for e in entities:
        if e.org is not None and e.org not in known:
            raise ConfigError(str(path), f"entity {e.name!r} names unknown org {e.org!r}")
        if e.part_of is not None and e.part_of not in known:
            raise ConfigError(str(path), f"entity {e.name!r} is part of unknown entity {e.part_of!r}")
        whole, seen_chain = e.part_of, {e.name}
        while whole is not None:
            if whole in seen_chain:
                raise ConfigError(str(path), f"entity {e.name!r}: 'part_of' goes round in a circle")
            seen_chain.add(whole)
            whole = known[whole].part_of
    return tuple(entities)


def load_patterns(path: str | Path = DEFAULT_PATTERNS) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """Read rule patterns as (compiled regex, name template, kind)."""
    raw = read_toml(Path(path))
    out: list[tuple[re.Pattern[str], str, str]] = []
    for i, item in enumerate(raw.get("pattern", [])):
        where = f"{path}: pattern[{i}]"
        try:
            rx = re.compile(rf"(?<![\w.-])(?:{item['regex']})(?![\w-])")
        except (KeyError, TypeError, re.error) as exc:
            raise ConfigError(where, f"bad regex: {exc}") from None
        if item.get("kind") not in KINDS or not isinstance(item.get("name"), str):
            raise ConfigError(where, "needs 'name' and a known 'kind'")
        out.append((rx, item["name"], item["kind"]))
    return tuple(out)


class EntityMatcher:
    """Finds entity mentions in raw text, longest match first, without overlaps."""

    def __init__(self, entities: tuple[Entity, ...], patterns: tuple[tuple[re.Pattern[str], str, str], ...]) -> None:
        self.entities = {e.name: e for e in entities}
        self.chip_makers = frozenset(e.part_of for e in entities if e.kind == "chip" and e.part_of)
        """The organisations the table names as the makers of a chip (Nvidia, AMD…)."""
        self.by_short = {e.short: e for e in entities if e.short is not None}
        """The table entries that go by one word where their whole is named ("Maverick")."""
        self._makers: dict[str, str | None] = {}
        self._by_alias: dict[str, Entity] = {}
        for e in entities:
            for alias in e.aliases:
                self._by_alias[_norm(alias)] = e
        # "GROK-2", "JUPITER", "O3" in a headline or a shouted name: the alias in capitals; and
        # "Deepseek", "Softbank", "Openai": a name in camel case with only its first capital, when
        # no other alias is spelt so
        shouted = {variant: e for e in entities for alias in e.aliases for variant in _variants(alias, e.kind)
                   if variant != alias and _norm(variant) not in self._by_alias}
        for alias, e in shouted.items():
            self._by_alias[_norm(alias)] = e
        alts = sorted({_alias_regex(a) for e in entities for a in e.aliases} | {_alias_regex(a) for a in shouted},
                      key=len, reverse=True)
        self._alias_rx = re.compile(r"(?<![\w.-])(?:" + "|".join(alts) + r")(?![\w-]|\.\w)") if alts else None
        self._patterns = patterns

    def find(self, text: str) -> list[Mention]:
        """Mentions in text order; table aliases win over rule patterns on overlap. A typographic
        hyphen (U+2010, U+2011: « GPT‑4 ») reads as ``-``; offsets are those of ``text``."""
        text = text.translate(_HYPHENS)
        found: list[Mention] = []
        if self._alias_rx is not None:
            for m in self._alias_rx.finditer(text):
                e = self._by_alias.get(_norm(m.group()))
                if e is not None:
                    found.append(Mention(e.name, e.kind, m.start(), m.end(), e.org))
        taken = [(m.start, m.end) for m in found]
        for rx, template, kind in self._patterns:
            for m in rx.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    # A rule match that extends a table alias ("Grok 3" vs nothing, "GPT-4o")
                    # only replaces it when strictly longer.
                    overl = [x for x in found if x.start < m.end() and m.start() < x.end]
                    if all(m.end() - m.start() > x.end - x.start for x in overl):
                        found = [x for x in found if x not in overl]
                        taken = [(x.start, x.end) for x in found]
                    else:
                        continue
                group = next((g for g in m.groups() if g), m.group())
                name = template.format(re.sub(r"[\s\u00a0\u202f]+", " ", group))
                e = self._by_alias.get(_norm(name))
                found.append(Mention(e.name if e else name, e.kind if e else kind, m.start(), m.end(), e.org if e else None))
                taken.append((m.start(), m.end()))
        found.sort(key=lambda x: x.start)
        return found

    def maker_of(self, model: str) -> str | None:
        """The organisation a model belongs to, up its chain of wholes: its own table entry's, else
        that of the longest table model its name starts with ("Llama 3.1" is a Llama, Meta's)."""
        if model not in self._makers:
            entity = self.entities.get(model) or max(
                (e for e in self.entities.values() if e.kind == "model" and model.startswith(e.name + " ")),
                key=lambda e: len(e.name), default=None)
            while entity is not None and entity.part_of is not None and self.entities[entity.part_of].kind == "model":
                entity = self.entities[entity.part_of]
            self._makers[model] = entity.part_of if entity is not None else None
        return self._makers[model]

    def person_org(self, name: str) -> str | None:
        e = self.entities.get(name)
        return e.org if e is not None else None


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


def _variants(alias: str, kind: str) -> tuple[str, ...]:
    """Other spellings of ``alias`` that name the same thing: in capitals, and the camel-case
    name of a company or a person ("DeepSeek", "SoftBank") with only its first capital (a
    model's would be a word: "PaLM", "Palm")."""
    out = [alias.upper()]
    camel = re.fullmatch(r"[A-Za-z]+", alias) and re.search(r"(?<=.)[A-Z]", alias) and re.search(r"[a-z]", alias)
    if kind in ("org", "person") and camel:
        out.append(alias.capitalize())
    return tuple(out)


def _alias_regex(alias: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s-]+", alias.strip())]
    return r"[\s\u00a0\u202f-]?".join(parts) if len(parts) > 1 else parts[0]


def _norm(s: str) -> str:
    return re.sub(r"[\s\u00a0\u202f-]+", "", s)


@dataclass(frozen=True, slots=True)
class NameCount:
    """An entity an article names, with its kind and how many times it is named."""

    name: str
    kind: str
    mentions: int


def count_mentions(mentions: Iterable[Mention]) -> tuple[NameCount, ...]:
    """One count per name, most mentioned first (ties by name); the first kind seen wins."""
    counts: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for m in mentions:
        counts[m.name] = counts.get(m.name, 0) + 1
        kinds.setdefault(m.name, m.kind)
    return tuple(NameCount(n, kinds[n], c) for n, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
