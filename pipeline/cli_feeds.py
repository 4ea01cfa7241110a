"""``veille feeds …`` and ``veille status``: manage the polled feeds, and see what is failing.

Configured feeds come from the config file; ``veille feeds add`` and ``import`` add feeds kept
in the database beside them. The polled set is exactly the configured feeds plus the added ones
(less the disabled); a feed no longer configured, removed, or polled once with ``veille run
--feed`` keeps its articles and is not polled.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from config.errors import InputError
from config.settings import FeedConfig, Settings

feeds_app = typer.Typer(
    help="The feeds: list them (no subcommand), add, remove, disable, enable, import or export OPML.",
)


class Lang(str, Enum):
    fr = "fr"
    en = "en"


_ORIGIN_LABELS = {"config": "configured", "added": "added", "once": "one run", "removed": "removed"}


def _base() -> Any:
    from pipeline import cli

    return cli


def _open(ctx: typer.Context) -> tuple[Settings, Any]:
    cli = _base()
    settings = cli._settings(ctx)
    return settings, cli._store(settings)


def _check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or len(url) > 2048:
        raise InputError(url, "not an http(s) URL")
    return url


def _configured(settings: Settings, url: str) -> bool:
    return any(f.url == url for f in settings.feeds)


@feeds_app.callback(invoke_without_command=True)
def feeds(ctx: typer.Context) -> None:
    """The feeds with their origin and fetch state: last success, last error, next poll, articles."""
    if ctx.invoked_subcommand is not None:
        return
    from storage.feeds import list_feeds

    settings, store = _open(ctx)
    try:
        summaries = list_feeds(store)
    finally:
        store.dispose()
    configured = {f.url for f in settings.feeds}
    known = {s.state.url for s in summaries}
    cli = _base()
    rows: list[tuple[str, ...]] = []
    for summary in summaries:
        state = summary.state
        origin = _origin(state.origin, state.url in configured)
        error = f"{state.last_error} (×{state.consecutive_errors})" if state.last_error and state.consecutive_errors else ""
        if state.disabled:
            error = f"disabled: {state.disabled_reason or ''}"
        rows.append((
            state.name or state.url, origin, state.lang or "auto", cli._when(state.last_success_at), error,
            cli._when(state.next_poll_at), str(summary.article_count),
        ))
    for feed in settings.feeds:
        if feed.url not in known:
            rows.append((feed.name or feed.url, "configured", feed.lang or "auto", "—", "", "never polled", "0"))
    polled = sum(1 for r in rows if r[1] in ("configured", "added") and not r[4].startswith("disabled"))
    table = Table(title=f"{len(rows)} feed(s), {polled} polled")
    table.add_column("feed", overflow="fold", min_width=44)
    for column in ("origin", "lang", "last success", "last error", "next poll", "articles"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    cli._console().print(table)


def _origin(stored: str, configured: bool) -> str:
    if configured and stored != "added":
        return "configured"
    if stored == "config":  # listed by an earlier config, not by this one
        return "removed"
    return _ORIGIN_LABELS.get(stored, stored)


@feeds_app.command("add")
def add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="The feed's URL (RSS, Atom or RDF).")],
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="Display name.")] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="Language of its articles (else detected).")] = None,
) -> None:
    """Poll URL from now on, beside the configured feeds (kept in the database)."""
    from storage.feeds import add_feed

    _check_url(url)
    settings, store = _open(ctx)
    try:
        state, created = add_feed(store, url, name=name, lang=lang.value if lang else None)
    finally:
        store.dispose()
    if _configured(settings, url):
        typer.echo(f"{url}: already configured in the config file; polled")
    else:
        typer.echo(f"{url}: {'added' if created else 'known, now added'}; polled from the next cycle")


@feeds_app.command("remove")
def remove(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="An added feed's URL.")],
) -> None:
    """Stop polling an added feed; its articles are kept."""
    from storage.feeds import find_feed, remove_feed

    settings, store = _open(ctx)
    try:
        if _configured(settings, url):
            raise InputError(url, "listed in the config file: remove it there, or `veille feeds disable` it")
        if find_feed(store, url) is None:
            raise InputError(url, "no such feed (see `veille feeds`)")
        summary = remove_feed(store, url)
    finally:
        store.dispose()
    typer.echo(f"{url}: removed, no longer polled; its {summary.article_count} article(s) are kept")


@feeds_app.command("disable")
def disable(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="A configured or added feed's URL.")],
) -> None:
    """Stop polling a feed until `veille feeds enable URL`."""
    _toggle(ctx, url, enable=False)


@feeds_app.command("enable")
def enable(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="A disabled feed's URL.")],
) -> None:
    """Poll a disabled feed again (also one disabled after errors), from the next cycle."""
    _toggle(ctx, url, enable=True)


def _toggle(ctx: typer.Context, url: str, *, enable: bool) -> None:
    from storage.feeds import disable_feed, enable_feed, find_feed, sync_feeds

    settings, store = _open(ctx)
    try:
        if find_feed(store, url) is None:
            configured = [f for f in settings.feeds if f.url == url]
            if not configured:
                raise InputError(url, "no such feed (see `veille feeds`)")
            sync_feeds(store, settings.feeds)  # a configured feed not polled yet: known from now on
        state = enable_feed(store, url) if enable else disable_feed(store, url)
    finally:
        store.dispose()
    if enable and not state.polled:
        typer.echo(f"{url}: enabled, but not polled: it is neither configured nor added (`veille feeds add`)")
    else:
        typer.echo(f"{url}: {'enabled' if enable else 'disabled'}")


@feeds_app.command("import")
def import_opml(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE.opml", help="An OPML file, or - for stdin.")],
) -> None:
    """Add every feed of an OPML file (as `veille feeds add` does for one)."""
    from pipeline.opml import parse_opml
    from storage.feeds import add_feed

    source = str(path)
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(source, "file not found") from None
        except OSError as exc:
            raise InputError(source, exc.strerror or str(exc)) from None
    found = parse_opml(data, source=source)
    settings, store = _open(ctx)
    created = 0
    try:
        for feed in found:
            if not _configured(settings, feed.url):
                created += int(add_feed(store, feed.url, name=feed.name, lang=feed.lang)[1])
    finally:
        store.dispose()
    typer.echo(f"{source}: {len(found)} feed(s), {created} new, {len(found) - created} already known")


@feeds_app.command("export")
def export_opml(ctx: typer.Context) -> None:
    """Print the polled feeds (configured and added) as OPML on stdout."""
    from pipeline.opml import render_opml
    from storage.feeds import list_feeds

    settings, store = _open(ctx)
    try:
        summaries = list_feeds(store)
    finally:
        store.dispose()
    out: dict[str, FeedConfig] = {f.url: f for f in settings.feeds}
    for summary in summaries:
        state = summary.state
        if state.origin == "added" and state.url not in out:
            out[state.url] = FeedConfig(url=state.url, name=state.name, lang=state.lang)
    sys.stdout.write(render_opml(list(out.values())))


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """What needs a look: feeds due, failing and stale, the last cycle, the queue, the last digest."""
    from storage.cycles import last_cycle
    from storage.digests import last_digest
    from storage.feeds import due_feeds, feed_problems, list_feeds
    from storage.queue import queue_counts

    settings, store = _open(ctx)
    now = dt.datetime.now(dt.UTC)
    try:
        summaries = list_feeds(store)
        due = due_feeds(store, now)
        problems = feed_problems(store, now, stale_after_days=settings.schedule.stale_after_days)
        cycle = last_cycle(store)
        digest = last_digest(store)
        queue = queue_counts(store)
    finally:
        store.dispose()
    known = {s.state.url for s in summaries}
    unknown = [f.url for f in settings.feeds if f.url not in known]
    configured = {f.url for f in settings.feeds}
    polled = [s for s in summaries if s.state.origin == "added" or s.state.url in configured]
    report: dict[str, Any] = {
        "database": store.safe_url,
        "feeds": {
            "polled": len([s for s in polled if not s.state.disabled]) + len(unknown),
            "disabled": len([s for s in polled if s.state.disabled]),
            "not_polled": len(summaries) - len(polled),
            "due": len(due) + len(unknown),
        },
        "due": [f.url for f in due] + unknown,
        "failing": [_problem(p) for p in problems if p.kind == "failing"],
        "stale": [_problem(p) for p in problems if p.kind == "stale"],
        "last_cycle": _plain(dataclasses.asdict(cycle)) if cycle else None,
        "queue": queue,
        "last_digest": {
            "day": digest.day.isoformat(), "sent_at": digest.sent_at.isoformat() if digest.sent_at else None,
            "delivered_via": digest.delivered_via, "articles": digest.article_count,
        } if digest else None,
    }
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    _print_status(report)


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in record.items()}


def _problem(problem: Any) -> dict[str, Any]:
    state = problem.feed.state
    return {
        "url": state.url, "name": state.name, "since": problem.since.isoformat() if problem.since else None,
        "detail": problem.detail, "consecutive_errors": state.consecutive_errors,
        "last_polled_at": state.last_polled_at.isoformat() if state.last_polled_at else None,
    }


def _print_status(report: dict[str, Any]) -> None:
    feeds = report["feeds"]
    lines = [
        f"database: {report['database']}",
        f"feeds: {feeds['polled']} polled, {feeds['due']} due now, {feeds['disabled']} disabled, "
        f"{feeds['not_polled']} kept but not polled",
    ]
    for kind in ("failing", "stale"):
        items = report[kind]
        lines.append(f"{kind}: {len(items)} feed(s)")
        for item in items:
            since = (item["since"] or "")[:16].replace("T", " ")
            lines.append(f"  {item['name'] or item['url']}  since {since}: {item['detail']}")
    cycle = report["last_cycle"]
    if cycle:
        lines.append(
            f"last cycle: {cycle['finished_at'][:19].replace('T', ' ')} UTC, {cycle['feeds_polled']} feed(s) polled "
            f"({cycle['feeds_not_modified']} unchanged, {cycle['feeds_failed']} failed), "
            f"{cycle['articles_new']} new article(s), {cycle['claims']} claim(s), {cycle['errors']} error(s)"
        )
    else:
        lines.append("last cycle: none yet")
    queue = report["queue"]
    if queue is not None:
        lines.append(f"queue: {queue['pending']} pending, {queue['running']} running, {queue['failed']} failed job(s)")
    digest = report["last_digest"]
    lines.append(
        f"last digest: {digest['day']} ({digest['delivered_via']}, {digest['articles']} article(s))" if digest
        else "last digest: none yet"
    )
    typer.echo("\n".join(lines))
