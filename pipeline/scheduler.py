"""The daemon: APScheduler runs the same ``run_once`` as ``veille run --once``, plus the digest.

Each feed carries its own ``next_poll_at``; the poll job ticks every ``_TICK_SECONDS`` and polls
only the feeds that are due, so adaptive per-feed intervals need no per-feed jobs. The digest
job sends yesterday's digest once a day at ``schedule.digest_hour`` (UTC), unless already sent,
and once at start-up when that hour has passed; after each cycle the Atom feed of
contradictions (``digest.atom_file``) is rewritten.
SIGTERM and SIGINT stop the scheduler after the job in flight.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
from collections.abc import Callable
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config.errors import VeilleError
from config.settings import Settings
from extractors.claims import ClaimExtractor
from pipeline.atom import write_contradiction_feed
from pipeline.digest import send_daily_digest
from pipeline.fetch import Fetcher
from pipeline.run import run_once
from storage.db import Store

log = logging.getLogger(__name__)
_TICK_SECONDS = 60.0


def serve(settings: Settings, store: Store, extractor: ClaimExtractor, *, tick_seconds: float = _TICK_SECONDS) -> None:
    """Run until SIGTERM/SIGINT: a poll job every tick, a digest job every day."""
    scheduler = BlockingScheduler(timezone=dt.UTC)
    fetcher = Fetcher(settings.fetch)  # one for the daemon's life: robots cache, politeness, keep-alive
    scheduler.add_job(
        _guarded("poll", lambda: (run_once(settings, store, extractor, fetcher=fetcher),
                                  write_contradiction_feed(store, settings))),
        IntervalTrigger(seconds=tick_seconds, timezone=dt.UTC),
        id="poll",
        next_run_time=dt.datetime.now(dt.UTC),
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        _guarded("digest", lambda: send_daily_digest(settings, store)),
        CronTrigger(hour=settings.schedule.digest_hour, minute=0, timezone=dt.UTC),
        id="digest",
        max_instances=1,
        coalesce=True,
    )
    # A daemon (re)started after the digest hour still sends the day it missed, once.
    scheduler.add_job(
        _guarded("digest catch-up", lambda: send_daily_digest(settings, store, catch_up=True)),
        id="digest-catch-up",
        next_run_time=dt.datetime.now(dt.UTC),
    )

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, stopping after the job in flight", signal.Signals(signum).name)
        scheduler.shutdown(wait=False)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("veille daemon started: %d feed(s), tick %.0fs", len(settings.feeds), tick_seconds)
    try:
        scheduler.start()
    finally:
        fetcher.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("veille daemon stopped")


def _guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    """A job that logs its failure with context and lets the daemon go on."""

    def run() -> None:
        try:
            job()
        except VeilleError as exc:
            log.error("%s job failed: %s", name, exc)
        except Exception:
            log.exception("%s job crashed; the daemon goes on and retries at the next tick", name)

    return run
