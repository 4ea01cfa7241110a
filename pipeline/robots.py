"""robots.txt, fetched once per scheme+host and cached (RFC 9309 rules for failures)."""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from urllib.parse import urlsplit

RobotsGetter = Callable[[str], tuple[int, str]]
"""Fetches a robots.txt URL; returns (status, text); status 0 when unreachable."""

_TTL_S = 24 * 3600.0  # RFC 9309 §2.4: caches should not be used for more than 24 hours
_ERROR_TTL_S = 600.0


class RobotsCache:
    """Answers "may this user agent fetch this URL?", fetching each host's robots.txt once."""

    def __init__(self, get: RobotsGetter, user_agent: str) -> None:
        self._get = get
        self._agent = user_agent.split("/")[0].split(" ")[0] or "*"
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._cache: dict[str, tuple[float, urllib.robotparser.RobotFileParser | bool]] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            host_lock = self._host_locks.setdefault(origin, threading.Lock())
        # one fetch per host even when many threads ask at once
        with host_lock:
            cached = self._cache.get(origin)
            if cached is None or cached[0] < time.monotonic():
                cached = self._load(origin)
                self._cache[origin] = cached
        rules = cached[1]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self._agent, url)

    def _load(self, origin: str) -> tuple[float, urllib.robotparser.RobotFileParser | bool]:
        status, text = self._get(origin + "/robots.txt")
        now = time.monotonic()
        if status == 0 or status >= 500:
            # RFC 9309 §2.3.1.4: unreachable robots.txt means "disallow everything", for a while
            return now + _ERROR_TTL_S, False
        if status >= 400:
            return now + _TTL_S, True  # §2.3.1.3: unavailable, crawl freely
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(text.splitlines())
        parser.modified()  # can_fetch() refuses everything until last_checked is set
        return now + _TTL_S, parser
