"""spaCy on every core: claims extracted by a pool of processes, one per core by default.

``ExtractorPool`` is a :class:`ClaimExtractor` whose ``extract_many`` splits its texts into one
contiguous share per process (balanced by length) and runs the shares at once; results come
back in input order, identical to a single process's. Each process loads its own pipelines once
(started at once, while the cycle fetches); it is replaced after ``nlp.max_tasks_per_process``
shares so the memory spaCy's vocabulary gains over a long run stays bounded. Worker processes
ignore SIGINT and SIGTERM: the parent decides when they stop (``close``); each keeps its BLAS
and OpenMP pools to one thread (threadpoolctl), so N processes use N cores, not N².
"""

from __future__ import annotations

import ctypes
import datetime
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from threadpoolctl import threadpool_limits

from config.errors import ExtractionError, VeilleError
from config.settings import NlpSettings
from extractors.claims import LANGS, Analysis, ClaimExtractor, titles_for

log = logging.getLogger(__name__)
Item = tuple[str, str, datetime.date | None]
_worker: ClaimExtractor | None = None
_limits: object = None


def processes_for(settings: NlpSettings) -> int:
    """``nlp.processes``, where 0 means one per core this process may run on."""
    if settings.processes > 0:
        return settings.processes
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def make_extractor(settings: NlpSettings, entities_file: str | Path) -> ClaimExtractor:
    """A pool when more than one process is configured, else the in-process extractor."""
    processes = processes_for(settings)
    if processes <= 1:
        return ClaimExtractor(settings, entities_file)
    return ExtractorPool(settings, entities_file, processes=processes)


class ExtractorPool(ClaimExtractor):
    """See the module docstring; call :meth:`close` when done (also a context manager)."""

    def __init__(self, nlp: NlpSettings, entities_file: str | Path, *, processes: int) -> None:
        super().__init__(nlp, entities_file)
        self.processes = processes
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),  # no fork of a process with threads
            initializer=_start_worker,
            initargs=(nlp, str(entities_file)),
            max_tasks_per_child=nlp.max_tasks_per_process,
        )
        # every process loads its pipelines now, while the cycle fetches
        self._warm: list[Future[int]] = [self._pool.submit(_warm_up) for _ in range(processes)]
        log.info("claims extracted by %d processes", processes)

    def analyse_many(self, items: Sequence[Item], *, titles: Sequence[str | None] | None = None) -> list[Analysis]:
        """Claims and names per item, the items shared out between the processes (``extract_many``,
        inherited, reads the claims of this)."""
        _check_langs(items)
        heads = titles_for(items, titles)
        futures, first = [], 0
        for share in _shares(items, self.processes):
            futures.append(self._pool.submit(_analyse, share, heads[first:first + len(share)]))
            first += len(share)
        results: list[Analysis] = []
        try:
            for future in futures:
                results.extend(future.result())
        except (_WorkerError, BrokenProcessPool) as exc:
            raise ExtractionError("extraction process", str(exc) or type(exc).__name__) from None
        return results

    def submit(self, items: Sequence[Item], titles: Sequence[str | None] | None = None) -> PendingAnalysis:
        """``analyse_many(items, titles=titles)`` in one process, started now; its result (or its error, an
        :class:`ExtractionError`) comes from the future. A cycle submits each batch as soon as
        its feed is fetched and reads the results in order, so the processes extract while the
        cycle still fetches and stores: with many batches in flight, one share each keeps every
        core busy without cutting a batch."""
        _check_langs(items)
        return PendingAnalysis(self._pool.submit(_analyse, list(items), titles_for(items, titles)))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ExtractorPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _check_langs(items: Sequence[Item]) -> None:
    for i, (_, lang, _) in enumerate(items):
        if lang not in LANGS:
            raise ExtractionError(f"item {i}", f"unsupported language {lang!r} (expected fr or en)")


class PendingAnalysis:
    """One batch :meth:`ExtractorPool.submit` started; ``result`` waits for it, its errors read
    as :class:`ExtractionError` like ``analyse_many``'s."""

    def __init__(self, future: Future[list[Analysis]]) -> None:
        self._future = future

    def result(self) -> list[Analysis]:
        try:
            return self._future.result()
        except (_WorkerError, BrokenProcessPool) as exc:
            raise ExtractionError("extraction process", str(exc) or type(exc).__name__) from None

    def cancel(self) -> None:
        self._future.cancel()


def _shares(items: Sequence[Item], count: int) -> list[list[Item]]:
    """``items`` cut into at most ``count`` contiguous runs of about equal text length."""
    if not items:
        return []
    total = sum(len(text) for text, _, _ in items) or 1
    shares: list[list[Item]] = [[]]
    done = 0
    for item in items:
        if shares[-1] and len(shares) < count and done >= total * len(shares) / count:
            shares.append([])
        shares[-1].append(item)
        done += len(item[0])
    return shares


def _start_worker(nlp: NlpSettings, entities_file: str) -> None:
    global _worker, _limits
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    # one core per process: BLAS and OpenMP thread pools would otherwise contend across processes
    _limits = threadpool_limits(limits=1)
    _worker = ClaimExtractor(nlp, entities_file)


def _die_with_parent() -> None:
    """On Linux, the kernel kills this process when its parent dies, even by SIGKILL: a killed
    ``veille run`` leaves no extraction process behind (elsewhere the parent's exit stops them)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning("extraction process %d: prctl(PR_SET_PDEATHSIG) failed (errno %d)", os.getpid(), ctypes.get_errno())
    except (OSError, AttributeError) as exc:
        log.warning("extraction process %d: cannot ask to die with its parent: %s", os.getpid(), exc)
    if os.getppid() == 1:
        os._exit(1)  # the parent died before the request took effect


_PR_SET_PDEATHSIG = 1


class _WorkerError(Exception):
    """A :class:`VeilleError` raised in a worker, carried back as its message (our errors'
    constructors take two arguments, which unpickling does not give them)."""


def _warm_up() -> int:
    _analyse([("Le 1er janvier, 10 GPU.", "fr", None), ("On January 1, 10 GPUs.", "en", None)])
    return os.getpid()


def _analyse(items: list[Item], titles: list[str | None] | None = None) -> list[Analysis]:
    assert _worker is not None
    try:
        return _worker.analyse_many(items, titles=titles)
    except VeilleError as exc:
        raise _WorkerError(str(exc)) from None
