"""Per-host politeness: at most N requests in flight per host, and a pause between their starts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class HostGate:
    """Shared by every thread of one :class:`~pipeline.fetch.Fetcher`.

    ``slot(host)`` blocks until the host has a free slot (``concurrency``) and ``delay`` seconds
    have passed since the previous request to that host started. Hosts never wait on each other.
    """

    def __init__(self, concurrency: int, delay: float) -> None:
        self._concurrency = max(1, concurrency)
        self._delay = max(0.0, delay)
        self._lock = threading.Lock()
        self._semaphores: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._semaphores.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        with semaphore:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                # reserve the start time before sleeping so two threads never pick the same one
                self._next_start[host] = start + self._delay
            if start > now:
                time.sleep(start - now)
            yield
