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

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="veille: watches AI news, extracts figures and claims, flags contradictions.",
)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")
log = logging.getLogger("veille")
_LANGS = ("auto", "fr", "en")


@dataclass(frozen=True, slots=True)
class _Options:
    config: Path | None
    debug: bool
    verbose: bool


@app.callback()
def _main(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config file (else VEILLE_CONFIG, else defaults).")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False,
) -> None:
    ctx.obj = _Options(config=config, debug=debug, verbose=verbose)
    _configure_logging(logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING)


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


def _extractor(settings: Settings) -> Any:
    from extractors.claims import ClaimExtractor

    return ClaimExtractor(settings.nlp, settings.entities_file)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create or migrate the database to the current schema."""
    settings = _settings(ctx)
    store = _store(settings, migrate=True)
    typer.echo(f"database ready: {_safe_url(settings)}")
    store.dispose()


@app.command()
def run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit instead of running the daemon.")] = False,
    feed: Annotated[
        list[str] | None, typer.Option("--feed", help="Poll this feed URL instead of the configured list (repeatable).")
    ] = None,
) -> None:
    """Poll feeds and store articles and claims: once, or as a daemon until SIGTERM/SIGINT."""
    settings = _settings(ctx)
    if feed:
        settings = settings.with_feeds(list(feed))
    if not settings.feeds:
        raise ConfigError("feeds", "no feed configured (add [[feeds]] or pass --feed URL)")
    if not (ctx.obj.verbose or ctx.obj.debug):
        _configure_logging(logging.INFO)
    store = _store(settings, migrate=True)
    extractor = _extractor(settings)
    try:
        if once:
            from pipeline.run import run_once

            report = run_once(settings, store, extractor, feed_urls=list(feed) if feed else None)
            typer.echo(report.line())
            for error in report.errors:
                typer.echo(f"warning: {error}", err=True)
        else:
            from pipeline.scheduler import serve

            serve(settings, store, extractor)
    finally:
        store.dispose()


@app.command()
def extract(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Article file (plain text or HTML), or - for stdin.")],
    lang: Annotated[str, typer.Option("--lang", help="auto, fr or en.")] = "auto",
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date YYYY-MM-DD, for relative times.")
    ] = None,
    strict_encoding: Annotated[
        bool, typer.Option("--strict-encoding", help="Fail on text that declares no charset and is not UTF-8, instead of reading it as windows-1252.")
    ] = False,
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
    claims = _extractor(settings).extract(text, lang, published=day)
    out = sys.stdout
    for claim in claims:
        out.write(json.dumps(claim.as_json(), ensure_ascii=False) + "\n")


@app.command()
def claims(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option("--subject", help="Entity name or alias.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="e.g. gpu_count, cost, funding.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only what was seen since YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.")] = 200,
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
    kind: Annotated[str | None, typer.Option("--kind", help="conflict or update.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Entity name or alias.")] = None,
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
    name: Annotated[str, typer.Argument(help="Entity name or alias, e.g. xAI, Musk, DeepSeek-R1.")],
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
    date: Annotated[str | None, typer.Option("--date", help="Day YYYY-MM-DD (UTC); default today.")] = None,
    preview: Annotated[
        Path | None, typer.Option("--preview", help="Write the HTML to this file instead of sending.")
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


@app.command()
def feeds(ctx: typer.Context) -> None:
    """The feeds with their fetch state: last success, last error, next poll, articles."""
    from storage.feeds import list_feeds, sync_feeds

    settings = _settings(ctx)
    store = _store(settings)
    sync_feeds(store, settings.feeds)
    summaries = list_feeds(store)
    store.dispose()
    table = Table(title=f"{len(summaries)} feed(s)")
    for column in ("feed", "lang", "last success", "last error", "next poll", "articles"):
        table.add_column(column, overflow="fold")
    for summary in summaries:
        state = summary.state
        error = f"{state.last_error} (×{state.consecutive_errors})" if state.last_error and state.consecutive_errors else ""
        if state.disabled:
            error = f"disabled: {state.disabled_reason or ''}"
        table.add_row(
            state.name or state.url, state.lang or "auto", _when(state.last_success_at), error,
            _when(state.next_poll_at), str(summary.article_count),
        )
    _console().print(table)


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


def _configure_logging(level: int) -> None:
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )


cli_web.register(app)  # serve, search, articles, article


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one line per known error, exit status 1.

    Usage errors are Typer's own (usage text, exit 2); a bug keeps its traceback.
    """
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        app(args=argv, prog_name="veille")
    except VeilleError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


if __name__ == "__main__":
    main()
