"""The daemon: APScheduler runs the same ``run_once`` as ``veille run --once``, plus the digest.

Each feed carries its own ``next_poll_at``; the poll job ticks every ``_TICK_SECONDS`` and polls
only the feeds that are due, so adaptive per-feed intervals need no per-feed jobs. The digest
job sends yesterday's digest once a day at ``schedule.digest_hour`` (UTC), unless already sent,
and once at start-up when that hour has passed; after each cycle the Atom feed of
contradictions (``digest.atom_file``) is rewritten.

SIGTERM and SIGINT stop the daemon: the cycle in flight starts no new page or article, stores
what it has finished and leaves the rest (its feeds not recorded as polled) for the next cycle;
the shared fetcher is closed only once the job has ended. A second signal while stopping is
logged and ignored. Should the job not end within ``STOP_GRACE_S`` the process exits anyway:
the transaction it had open is rolled back by the database, nothing half-stored remains.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
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
STOP_GRACE_S = 25.0
"""How long a stopping daemon waits for its job (the issue's bound is 30 s)."""


def serve(settings: Settings, store: Store, extractor: ClaimExtractor, *, tick_seconds: float = _TICK_SECONDS) -> None:
    """Run until SIGTERM/SIGINT: a poll job every tick, a digest job every day."""
    scheduler = BlockingScheduler(timezone=dt.UTC)
    fetcher = Fetcher(settings.fetch)  # one for the daemon's life: robots cache, politeness, keep-alive
    jobs = _Jobs()
    scheduler.add_job(
        jobs.wrap("poll", lambda: (run_once(settings, store, extractor, fetcher=fetcher, stop=jobs.stop),
                                   write_contradiction_feed(store, settings))),
        IntervalTrigger(seconds=tick_seconds, timezone=dt.UTC),
        id="poll",
        next_run_time=dt.datetime.now(dt.UTC),
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        jobs.wrap("digest", lambda: send_daily_digest(settings, store)),
        CronTrigger(hour=settings.schedule.digest_hour, minute=0, timezone=dt.UTC),
        id="digest",
        max_instances=1,
        coalesce=True,
    )
    # A daemon (re)started after the digest hour still sends the day it missed, once.
    scheduler.add_job(
        jobs.wrap("digest catch-up", lambda: send_daily_digest(settings, store, catch_up=True)),
        id="digest-catch-up",
        next_run_time=dt.datetime.now(dt.UTC),
    )

    def stop(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if jobs.stop.is_set():
            log.info("received %s again: already stopping", name)
            return
        log.info("received %s, stopping: the cycle in flight stores what it finished, the rest is left for the next cycle", name)
        jobs.stop.set()
        fetcher.interrupt()
        scheduler.shutdown(wait=False)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("veille daemon started: %d feed(s), tick %.0fs", len(settings.feeds), tick_seconds)
    try:
        scheduler.start()
        if not jobs.wait_idle(STOP_GRACE_S):
            log.error("the job in flight did not end within %.0f s; exiting now: the database rolls back "
                      "its open transaction and the next cycle polls its feeds again", STOP_GRACE_S)
            logging.shutdown()
            os._exit(0)
    finally:
        fetcher.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("veille daemon stopped")


class _Jobs:
    """Counts the jobs running, so the daemon closes what they share only once they ended."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._cond = threading.Condition()
        self._running = 0

    def wrap(self, name: str, job: Callable[[], object]) -> Callable[[], None]:
        guarded = _guarded(name, job)

        def run() -> None:
            with self._cond:
                if self.stop.is_set():
                    log.info("%s job not started: the daemon is stopping", name)
                    return
                self._running += 1
            try:
                guarded()
            finally:
                with self._cond:
                    self._running -= 1
                    self._cond.notify_all()

        return run

    def wait_idle(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._running == 0, timeout)


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
