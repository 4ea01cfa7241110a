"""Workers on PostgreSQL: feeds polled by any number of ``veille worker`` processes, on any
number of machines, through procrastinate (a PostgreSQL task queue).

``queue.backend = "procrastinate"``. Three tasks:

- ``veille.poll_feed(url)`` (queue ``feeds``): one feed polled, its articles extracted and
  stored; the same ``run_once`` as the in-process loop, narrowed to that feed. Its ``lock`` and
  ``queueing_lock`` are ``feed:<url>``: one job per feed waits at a time, one runs at a time.
  Idempotent: an article already stored is known by URL and GUID and is not stored again.
- ``veille.schedule`` (queue ``schedule``, periodic, every ``queue.schedule_every_seconds``):
  enqueues the due feeds and sends yesterday's digest at ``schedule.digest_hour``. Periodic
  jobs are deferred once per period whatever the number of processes (procrastinate's
  ``(task, periodic_id, timestamp)`` unique key), and run by ``veille run`` (the scheduler).
- ``veille.retry_stalled`` (queue ``schedule``, periodic): jobs of workers whose heartbeat is
  older than ``queue.heartbeat_timeout_seconds`` (a SIGKILLed or lost machine) are put back
  to do, so the other workers take them.

SQLite keeps the in-process loop (``pipeline.scheduler``).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

import procrastinate
from procrastinate import exceptions as pexc
from sqlalchemy.engine import make_url

from config.errors import ConfigError, StorageError
from config.settings import Settings
from extractors.claims import ClaimExtractor
from pipeline.fetch import Fetcher
from pipeline.run import RunReport, run_once
from storage import feeds as feed_store
from storage import queue as queue_store
from storage.db import Store

log = logging.getLogger(__name__)
FEEDS_QUEUE = "feeds"
SCHEDULE_QUEUE = "schedule"


@dataclass
class _Resources:
    settings: Settings
    store: Store
    extractor: ClaimExtractor | None = None
    fetcher: Fetcher | None = None

    def for_polling(self) -> tuple[ClaimExtractor, Fetcher]:
        if self.extractor is None:
            self.extractor = ClaimExtractor(self.settings.nlp, self.settings.entities_file)
        if self.fetcher is None:
            self.fetcher = Fetcher(self.settings.fetch)
        return self.extractor, self.fetcher


_resources: _Resources | None = None


def conninfo(settings: Settings) -> str:
    """The database URL as libpq wants it (no SQLAlchemy driver suffix)."""
    url = make_url(settings.database.url)
    if url.get_backend_name() != "postgresql":
        raise ConfigError("queue.backend", "procrastinate needs PostgreSQL (database.url is not postgresql://)")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def lock_of(url: str) -> str:
    return f"feed:{url}"[:255]


def make_app(settings: Settings) -> procrastinate.App:
    """The procrastinate app with veille's tasks and periodic tasks."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings)),
        worker_defaults={"install_signal_handlers": True},
    )
    every = max(1, int(settings.queue.schedule_every_seconds))
    cron = f"*/{every} * * * * *" if every < 60 else f"*/{max(1, every // 60)} * * * *"

    @app.task(name="veille.poll_feed", queue=FEEDS_QUEUE)
    def poll_feed(url: str) -> None:
        resources = _current()
        extractor, fetcher = resources.for_polling()
        report = run_once(resources.settings, resources.store, extractor, feed_urls=[url], fetcher=fetcher)
        log.info("job poll_feed %s: %s", url, report.line())

    @app.periodic(cron=cron, periodic_id="schedule")
    @app.task(name="veille.schedule", queue=SCHEDULE_QUEUE)
    def schedule(timestamp: int) -> None:
        resources = _current()
        enqueue_due(app, resources.settings, resources.store, dt.datetime.fromtimestamp(timestamp, dt.UTC))
        now = dt.datetime.now(dt.UTC)
        if now.hour == resources.settings.schedule.digest_hour:
            from pipeline.digest import send_daily_digest

            send_daily_digest(resources.settings, resources.store)

    @app.periodic(cron=cron, periodic_id="retry_stalled")
    @app.task(name="veille.retry_stalled", queue=SCHEDULE_QUEUE, pass_context=True)
    async def retry_stalled(context: procrastinate.JobContext, timestamp: int) -> None:
        timeout = settings.queue.heartbeat_timeout_seconds
        stalled = await context.app.job_manager.get_stalled_jobs(seconds_since_heartbeat=timeout)
        for job in stalled:
            log.warning("job %s (%s) stalled (worker silent for %.0f s): retried", job.id, job.task_name, timeout)
            await context.app.job_manager.retry_job(job)
        await context.app.job_manager.prune_stalled_workers(seconds_since_heartbeat=timeout)

    return app


def _current() -> _Resources:
    if _resources is None:
        raise StorageError("queue task run outside `veille worker` / `veille run`")
    return _resources


def install(settings: Settings, store: Store) -> None:
    """Create procrastinate's tables in the database unless they are there (``veille init``)."""
    if queue_store.queue_installed(store):
        return
    app = make_app(settings)
    with app.open():
        app.schema_manager.apply_schema()
    log.info("procrastinate schema installed in %s", store.safe_url)


def enqueue_due(app: procrastinate.App, settings: Settings, store: Store, now: dt.datetime,
                *, urls: list[str] | None = None) -> list[str]:
    """One ``poll_feed`` job per due feed (or per URL of ``urls``); a feed whose job already
    waits is skipped (its queueing lock). Returns the feeds' locks."""
    due = feed_store.feeds_to_poll(store, settings.feeds, now, one_run=urls)
    locks = []
    task = app.tasks["veille.poll_feed"]
    for feed in due:
        lock = lock_of(feed.url)
        locks.append(lock)
        try:
            task.configure(lock=lock, queueing_lock=lock).defer(url=feed.url)
        except pexc.AlreadyEnqueued:
            log.debug("feed %s already has a job waiting", feed.url)
    if due:
        log.info("%d feed job(s) enqueued", len(due))
    return locks


def work(settings: Settings, store: Store, *, concurrency: int = 1, queues: list[str] | None = None,
         wait: bool = True, name: str | None = None) -> None:
    """Run a worker until SIGTERM/SIGINT (or, without ``wait``, until the queues are empty)."""
    global _resources
    _resources = _Resources(settings=settings, store=store)
    if FEEDS_QUEUE in (queues or [FEEDS_QUEUE]):
        extractor, _ = _resources.for_polling()
        for lang in ("fr", "en"):  # load the pipelines before taking jobs
            extractor.extract("10 GPU.", lang)
    timeout = settings.queue.heartbeat_timeout_seconds
    app = make_app(settings)
    try:
        app.run_worker(
            queues=queues or [FEEDS_QUEUE], concurrency=concurrency, wait=wait, name=name,
            update_heartbeat_interval=max(0.5, timeout / 4), stalled_worker_timeout=timeout,
            delete_jobs="successful",
        )
    finally:
        if _resources.fetcher is not None:
            _resources.fetcher.close()
        _resources = None


def schedule_forever(settings: Settings, store: Store) -> None:
    """``veille run`` with the queue: the scheduler (periodic tasks), until SIGTERM/SIGINT."""
    work(settings, store, queues=[SCHEDULE_QUEUE], name="veille-scheduler")


def run_cycle(settings: Settings, store: Store, *, feed_urls: list[str] | None = None,
              timeout_s: float = 3600.0) -> RunReport:
    """``veille run --once`` with the queue: enqueue the due feeds, wait until their jobs are
    done (by any worker), and report what the cycle stored."""
    started = dt.datetime.now(dt.UTC)
    before = queue_store.store_figures(store)
    app = make_app(settings)
    with app.open():
        locks = enqueue_due(app, settings, store, started, urls=feed_urls)
    deadline = time.monotonic() + timeout_s
    while queue_store.active_feed_jobs(store, locks):
        if time.monotonic() > deadline:
            raise StorageError(f"queue: {len(locks)} feed job(s) not done after {timeout_s:.0f} s (is a `veille worker` running?)")
        time.sleep(0.5)
    after = queue_store.store_figures(store)
    report = RunReport(
        feeds_polled=len(locks),
        articles_new=after["articles"] - before["articles"],
        claims=after["claims"] - before["claims"],
    )
    polled = {lock_of(s.state.url): s.state for s in feed_store.list_feeds(store)}
    for lock in locks:
        state = polled.get(lock)
        if state is not None and state.consecutive_errors and state.last_polled_at and state.last_polled_at >= started:
            report.feeds_failed += 1
            report.errors.append(f"feed {state.url}: {state.last_error}")
    from storage import cycles as cycle_store

    cycle_store.record_cycle(store, report.cycle(started, dt.datetime.now(dt.UTC)))
    return report


