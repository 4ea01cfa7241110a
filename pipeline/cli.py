"""The ``veille`` command: thin over the library. Each command loads settings, opens the store,
calls one function and formats the result. ``VeilleError`` → ``error: …`` on stderr, exit 1;
tracebacks only with ``--debug``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from config.errors import ConfigError, ExtractionError, VeilleError
from config.settings import Settings, load_settings
from extractors.values import format_value
from pipeline import cli_web, render
from pipeline.cli_feeds import feeds_app, status
from pipeline.cli_queue import worker

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="veille: watches AI news, extracts figures and claims, flags contradictions.",
)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(feeds_app, name="feeds")
app.command("status")(status)
app.command("worker")(worker)
log = logging.getLogger("veille")
_LANGS = ("auto", "fr", "en")
_METRIC_HELP = (
    "One of gpu_count, cost, investment, price, market_value_change, funding, revenue, valuation, "
    "parameter_count, agi_date, release_date, duration, compute_multiplier, other."
)


@dataclass(frozen=True, slots=True)
class _Options:
    config: Path | None
    debug: bool
    verbose: bool
    quiet: bool = False
    log_format: str = "text"

    @property
    def level(self) -> int:
        return logging.DEBUG if self.debug else logging.INFO if self.verbose else logging.ERROR if self.quiet else logging.WARNING


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"veille {version('veille')}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", metavar="PATH", help="TOML config file (else VEILLE_CONFIG, else defaults)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Log everything (library lines too) and show tracebacks.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress (INFO) to stderr.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Log errors only; no progress bar.")] = False,
    log_format: Annotated[
        str, typer.Option("--log-format", metavar="[text|json]", help="Log lines as text, or one JSON object each.")
    ] = "text",
    _show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Global options (--config, -v, -q, --debug, --log-format) go before or after the command."""
    from pipeline.cli_logging import LOG_FORMATS, configure_logging

    if log_format not in LOG_FORMATS:
        raise ConfigError("--log-format", f"must be one of {', '.join(LOG_FORMATS)}, got {log_format!r}")
    ctx.obj = _Options(config=config, debug=debug, verbose=verbose, quiet=quiet, log_format=log_format)
    configure_logging(ctx.obj.level, log_format)


def _settings(ctx: typer.Context) -> Settings:
    options: _Options = ctx.obj
    return load_settings(options.config, os.environ)


def _store(settings: Settings, *, migrate: bool = False) -> Any:
    from storage.db import Store

    store = Store(settings.database.url, echo=settings.database.echo)
    if migrate:
        from pipeline.run import prepare

        prepare(settings, store)
    else:
        store.ensure_at_head()
    return store


def _extractor(settings: Settings, *, pool: bool = False) -> Any:
    """The claims extractor; with ``pool``, one process per core (``nlp.processes``)."""
    from extractors.claims import ClaimExtractor

    if pool:
        from pipeline.extract_pool import make_extractor

        return make_extractor(settings.nlp, settings.entities_file)
    return ClaimExtractor(settings.nlp, settings.entities_file)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create or migrate the database to the current schema."""
    settings = _settings(ctx)
    store = _store(settings, migrate=True)
    if settings.queue.backend == "procrastinate":
        from pipeline.queue import install

        install(settings, store)
    typer.echo(f"database ready: {_safe_url(settings)}")
    store.dispose()


@app.command()
def run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit instead of running the daemon.")] = False,
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", metavar="URL", help="Poll this feed URL instead of the configured list, for this run only (repeatable)."),
    ] = None,
) -> None:
    """Poll feeds and store articles and claims: once, or as a daemon until SIGTERM/SIGINT."""
    settings = _settings(ctx)
    options: _Options = ctx.obj
    level = options.level if (options.verbose or options.debug or options.quiet) else logging.INFO
    from pipeline.cli_logging import configure_logging, cycle_progress

    configure_logging(level, options.log_format)
    store = _store(settings, migrate=True)
    extractor = None
    try:
        from storage.feeds import due_feeds

        if not settings.feeds and not feed and not due_feeds(store, dt.datetime.max.replace(tzinfo=dt.UTC)):
            raise ConfigError("feeds", "no feed configured (add [[feeds]], `veille feeds add URL` or pass --feed URL)")
        if settings.queue.backend == "procrastinate":
            from pipeline import queue

            queue.install(settings, store)
            if not once:
                queue.schedule_forever(settings.with_feeds(list(feed)) if feed else settings, store)
                return
            report = queue.run_cycle(settings, store, feed_urls=list(feed) if feed else None)
            _print_report(report)
            return
        extractor = _extractor(settings, pool=True)
        if once:
            from pipeline.run import run_once

            with cycle_progress(level, options.log_format, enabled=not options.quiet):
                report = run_once(settings, store, extractor, feed_urls=list(feed) if feed else None)
            _print_report(report)
        else:
            from pipeline.scheduler import serve

            # the daemon's configured list is the --feed list while it runs
            serve(settings.with_feeds(list(feed)) if feed else settings, store, extractor)
    finally:
        if extractor is not None and hasattr(extractor, "close"):
            extractor.close()  # the extraction processes
        store.dispose()


def _print_report(report: Any) -> None:
    """The cycle's line; its errors as warnings; exit 1 when every feed failed."""
    typer.echo(report.line())
    for error in report.errors:
        typer.echo(f"warning: {error}", err=True)
    if report.all_failed:
        typer.echo(f"error: every feed failed ({report.feeds_failed} of {report.feeds_polled})", err=True)
        raise typer.Exit(1)


@app.command()
def extract(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="PATH", help="Article file (plain text or HTML), or - for stdin.")],
    lang: Annotated[str, typer.Option("--lang", metavar="[auto|fr|en]", help="Language of the text; auto detects it.")] = "auto",
    published: Annotated[
        str | None, typer.Option("--published", metavar="DATE", help="Publication date YYYY-MM-DD, for relative times.")
    ] = None,
    strict_encoding: Annotated[
        bool, typer.Option("--strict-encoding", help="Fail on text that declares no charset and is not UTF-8, instead of reading it as windows-1252.")
    ] = False,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The article's headline (an HTML page's own title otherwise): what the article is about.")
    ] = None,
) -> None:
    """Print the claims of one article as JSON lines."""
    if lang not in _LANGS:
        raise ExtractionError(path, f"--lang must be one of {', '.join(_LANGS)}, got {lang!r}")
    day = _parse_date("--published", published)
    raw = _read_input(path, strict=strict_encoding)
    from extractors.page import extract_page

    text = raw
    if _looks_like_html(raw):
        page = extract_page(raw, url=Path(path).resolve().as_uri() if path != "-" else "file:///dev/stdin")
        if page is None:
            raise ExtractionError(path, "no article text found in this HTML")
        text = page.text
        day = day or page.date
        title = title or page.title
    if not text.strip():
        raise ExtractionError(path, "empty input")
    if lang == "auto":
        from extractors.language import detect_language

        detected, _confidence = detect_language(text)
        if detected not in ("fr", "en"):
            raise ExtractionError(path, f"language {detected!r} is not supported (fr, en): pass --lang")
        lang = detected
    settings = _settings(ctx)
    if len(text) > settings.nlp.max_chars:
        logging.getLogger(__name__).warning(
            "%s: text of %d characters cut to the first %d (nlp.max_chars) for claim extraction",
            path, len(text), settings.nlp.max_chars,
        )
    claims = _extractor(settings).extract(text, lang, published=day, title=title)
    out = sys.stdout
    for claim in claims:
        out.write(json.dumps(claim.as_json(), ensure_ascii=False) + "\n")


@app.command()
def claims(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option("--subject", metavar="NAME", help="Entity name or alias.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", metavar="METRIC", help=_METRIC_HELP)] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Only what was seen since YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", help="At most this many rows.")] = 200,
    mentions: Annotated[
        bool, typer.Option("--mentions", help="One row per mention in an article, not per fact.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV with a header row.")] = False,
) -> None:
    """What has been said: one row per fact (claim group) with all its sources, newest first."""
    day = _parse_date("--since", since)
    settings = _settings(ctx)
    store = _store(settings)
    try:
        if mentions:
            from storage.claims import list_claims

            _print_mentions(list_claims(store, subject=subject, metric=metric, since=day, limit=limit), as_json, as_csv)
        else:
            from storage.groups import list_claim_groups

            _print_groups(list_claim_groups(store, subject=subject, metric=metric, since=day, limit=limit), as_json, as_csv)
    finally:
        store.dispose()


def _print_mentions(rows: list[Any], as_json: bool, as_csv: bool) -> None:
    records = [render.mention_record(row) for row in rows]
    if as_json:
        for record in records:
            typer.echo(json.dumps(record, ensure_ascii=False))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(render.MENTION_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    else:
        table = Table(title=f"{len(rows)} mention(s)")
        for column in ("date", "subject", "metric", "value", "qualifier", "source"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(
                _day(row.published_at), row.label, row.metric, format_value(row),
                row.qualifier or "", row.site_name or row.article_url,
            )
        _console().print(table)


def _print_groups(groups: list[Any], as_json: bool, as_csv: bool) -> None:
    if as_json:
        for group in groups:
            typer.echo(json.dumps(render.fact_record(group), ensure_ascii=False))
    elif as_csv:
        fields = [*render.FACT_FIELDS, *(f"source_{n}" for n in render.SOURCE_FIELDS)]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for group in groups:
            record = render.fact_record(group)
            for source in record.pop("sources"):
                writer.writerow(record | {f"source_{n}": v for n, v in source.items()})
    else:
        table = Table(title=f"{len(groups)} fact(s)")
        for column in ("subject", "metric", "value", "qualifier", "time", "sources"):
            table.add_column(column, overflow="fold")
        for group in groups:
            kind = " (plan)" if group.is_plan else ""
            articles = {s.url: s for s in group.sources}.values()  # a mention per row, an article once
            sources = "\n".join(f"{_day(s.published_at)} {s.site_name or s.url}" for s in articles)
            table.add_row(
                group.label, group.metric + kind, format_value(group), group.qualifier or "",
                group.time or "", f"{group.source_count} source(s)\n{sources}",
            )
        _console().print(table)


@app.command()
def contradictions(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", metavar="[conflict|update]", help="Only conflicts (same period) or updates (the figure changed).")] = None,
    subject: Annotated[str | None, typer.Option("--subject", metavar="NAME", help="Entity name or alias.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Figures that disagree: conflicts (same period) and updates (the figure changed)."""
    if kind not in (None, "conflict", "update"):
        raise ConfigError("--kind", f"must be conflict or update, got {kind!r}")
    from storage.contradictions import list_contradictions

    settings = _settings(ctx)
    store = _store(settings)
    try:
        found = list_contradictions(store, kind=kind, subject=subject)
    finally:
        store.dispose()
    if as_json:
        for item in found:
            typer.echo(json.dumps(render.contradiction_record(item), ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} contradiction(s)")
    for column in ("kind", "gap", "explanation"):
        table.add_column(column, overflow="fold")
    for item in found:
        table.add_row(item.kind, f"{item.gap:.0%}", item.explanation)
    _console().print(table)


@app.command()
def entity(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Entity name or alias, e.g. xAI, Musk, DeepSeek-R1.")],
) -> None:
    """Every figure known about an entity, as a timeline."""
    from storage.entities import get_entity
    from storage.groups import entity_timeline

    settings = _settings(ctx)
    store = _store(settings)
    try:
        found = get_entity(store, name)
        if found is None:
            raise ConfigError(name, "unknown entity (not in config/entities.toml nor in any claim)")
        timeline = entity_timeline(store, name)
    finally:
        store.dispose()
    table = Table(title=f"{found.name}: {len(timeline)} fact(s)")
    parts = any(group.subject != found.name for group in timeline)  # facts of its parts too
    for column in ("when", *(("subject",) if parts else ()), "metric", "value", "qualifier", "sources",
                   "first source"):
        table.add_column(column, overflow="fold")
    for group in timeline:
        first = group.sources[0] if group.sources else None
        table.add_row(
            group.time or _day(group.first_seen_at), *((group.label,) if parts else ()),
            group.metric + (" (plan)" if group.is_plan else ""),
            format_value(group), group.qualifier or "", str(group.source_count),
            (first.site_name or first.url) if first else "",
        )
    _console().print(table)


def _day(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


@app.command()
def digest(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", help="Day YYYY-MM-DD (UTC); default today.")] = None,
    preview: Annotated[
        Path | None, typer.Option("--preview", metavar="PATH", help="Write the HTML to this file instead of sending.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Send again a digest already sent.")] = False,
) -> None:
    """Render the day's digest; send it by SMTP (or into the outbox) unless --preview.
    A day is sent once per recipient list: a second call says so and sends nothing."""
    from pipeline.digest import build_digest, send_digest

    settings = _settings(ctx)
    day = _parse_date("--date", date) or dt.datetime.now(dt.UTC).date()
    store = _store(settings)
    try:
        if preview is not None:
            built = build_digest(store, day, settings)
            try:
                preview.write_text(built.html, encoding="utf-8")
            except OSError as exc:
                raise ConfigError("--preview", f"cannot write {preview}: {exc.strerror}") from None
            typer.echo(f"{preview}: {built.article_count} article(s), {built.claim_count} claim(s)")
        else:
            outcome = send_digest(store, day, settings, force=force)
            delivery = outcome.delivery
            if delivery is None and outcome.state == "busy":
                typer.echo(f"digest for {day} is being sent by {outcome.record.claimed_by}: nothing sent")
            elif delivery is None:
                sent = outcome.record.sent_at.strftime("%Y-%m-%d %H:%M UTC") if outcome.record.sent_at else "?"
                typer.echo(f"digest for {day} already sent ({outcome.record.delivered_via}, {sent}): "
                           "nothing sent; --force sends it again")
            else:
                where = str(delivery.path) if delivery.path else f"{', '.join(delivery.recipients)} via SMTP"
                again = {"retry": " (again: the previous attempt was never confirmed)",
                         "forced": " (again, forced)"}.get(outcome.state, "")
                typer.echo(f"digest for {day} delivered{again}: {where}")
    finally:
        store.dispose()


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """Print the effective settings as JSON, secrets masked."""
    typer.echo(json.dumps(_settings(ctx).redacted(), indent=2, ensure_ascii=False))


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _parse_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(option, f"not a date YYYY-MM-DD: {value!r}") from None


def _read_input(path: str, *, strict: bool = False) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise ExtractionError(path, "file not found") from None
        except IsADirectoryError:
            raise ExtractionError(path, "is a directory") from None
        except OSError as exc:
            raise ExtractionError(path, exc.strerror or str(exc)) from None
    from extractors.charset import decode

    return decode(data, strict=strict, where=path).text


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head


def _safe_url(settings: Settings) -> str:
    return str(settings.redacted()["database"]["url"])


def _console() -> Console:
    return Console(width=max(100, Console().width))


cli_web.register(app)  # serve, search, articles, article


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one line per known error, exit status 1.

    Usage errors are Typer's own (usage text, exit 2); a bug keeps its traceback.
    """
    args = _globals_first(list(argv if argv is not None else sys.argv[1:]))
    debug = "--debug" in args
    try:
        app(args=args, prog_name="veille")
    except VeilleError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


_GLOBAL_FLAGS = {"--debug", "--verbose", "-v", "--quiet", "-q"}
_GLOBAL_VALUED = {"--config", "-c", "--log-format"}


def _globals_first(args: list[str]) -> list[str]:
    """Move the global options found after the command in front of it (``veille run -v``,
    ``veille feeds --config x.toml``), so they are accepted anywhere before ``--``."""
    first = next((i for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in _GLOBAL_VALUED)), None)
    if first is None:
        return args
    front, rest, moved = args[:first], [], []
    i = first
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0]
        if arg in _GLOBAL_FLAGS:
            moved.append(arg)
        elif name in _GLOBAL_VALUED and "=" in arg:
            moved.append(arg)
        elif arg in _GLOBAL_VALUED and i + 1 < len(args):
            moved.extend(args[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + moved + rest


if __name__ == "__main__":
    main()
