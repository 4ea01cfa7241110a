"""Logging and progress for the ``veille`` command.

``configure_logging`` sets one handler on stderr: plain text lines, or one JSON object per line
(``--log-format json``) for log collectors. Library noise (Alembic's context and plugin lines)
is shown only at ``--debug``. ``cycle_progress`` shows a Rich progress bar on a terminal while a
cycle runs, driven by the cycle's own log records: ``poll_feeds`` logs the number of feeds with
``extra={"veille_feeds_total": N}``, each polled feed with ``veille_event="feed_polled"`` and
each stored article with ``veille_event="article_stored"``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.highlighter import NullHighlighter
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

LOG_FORMATS = ("text", "json")
_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_NOISY = ("alembic",)
_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(level: int, log_format: str = "text", *, handler: logging.Handler | None = None) -> None:
    """Route every log record at ``level`` or above to stderr (or ``handler``)."""
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(_TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)


class _ProgressHandler(logging.Handler):
    """Advances the bar on the cycle's events; never emits text itself."""

    def __init__(self, progress: Progress, feeds: TaskID, articles: TaskID) -> None:
        super().__init__(logging.DEBUG)
        self._progress, self._feeds, self._articles = progress, feeds, articles

    def emit(self, record: logging.LogRecord) -> None:
        total = getattr(record, "veille_feeds_total", None)
        if total is not None:
            self._progress.update(self._feeds, total=int(total), completed=0)
        event = getattr(record, "veille_event", None)
        if event == "feed_polled":
            self._progress.advance(self._feeds)
        elif event == "article_stored":
            self._progress.advance(self._articles)


@contextmanager
def cycle_progress(level: int, log_format: str, *, enabled: bool) -> Iterator[None]:
    """A progress bar (feeds polled, articles stored) on stderr while the block runs, with log
    lines printed above it; nothing when ``enabled`` is false or stderr is not a terminal."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal or log_format == "json":
        yield
        return
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    )
    feeds = progress.add_task("feeds polled", total=None)
    articles = progress.add_task("articles stored", total=None)
    text = RichHandler(console=console, show_path=False, markup=False, highlighter=NullHighlighter(), keywords=[])
    configure_logging(level, log_format, handler=text)
    text.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    root = logging.getLogger()
    bar = _ProgressHandler(progress, feeds, articles)
    root.addHandler(bar)
    if root.level > logging.INFO:  # the bar needs the INFO events; the text handler keeps its level
        text.setLevel(root.level)
        root.setLevel(logging.INFO)
    try:
        with progress:
            yield
    finally:
        root.removeHandler(bar)
