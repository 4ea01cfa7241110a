"""``veille worker``: polls feeds from the PostgreSQL job queue (``queue.backend =
"procrastinate"``); any number of them, on any number of machines, against one database."""

from __future__ import annotations

from typing import Annotated

import typer

from config.errors import ConfigError


def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option("--concurrency", metavar="N", min=1, help="Jobs run at once by this process (threads).")
    ] = 1,
) -> None:
    """Poll feeds and extract their articles from the job queue, until SIGTERM/SIGINT."""
    from pipeline import cli
    from pipeline.queue import install, work

    settings = cli._settings(ctx)
    if settings.queue.backend != "procrastinate":
        raise ConfigError("queue.backend", "`veille worker` needs queue.backend = \"procrastinate\" (PostgreSQL)")
    store = cli._store(settings)
    try:
        install(settings, store)
        work(settings, store, concurrency=concurrency)
    finally:
        store.dispose()
