"""The job queue's tables as veille reads them (procrastinate owns and writes them)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from storage.db import Store

JOBS_TABLE = "procrastinate_jobs"


def queue_installed(store: Store) -> bool:
    """Whether procrastinate's schema is in this database."""
    if store.is_sqlite:
        return False
    return inspect(store.engine).has_table(JOBS_TABLE)


def queue_counts(store: Store) -> dict[str, int] | None:
    """Jobs by state (``pending``, ``running``, ``failed``, ``succeeded``), or ``None`` without
    a queue."""
    if not queue_installed(store):
        return None
    with store.session() as session:
        rows = session.execute(text(f"SELECT status::text, count(*) FROM {JOBS_TABLE} GROUP BY status")).all()
    by_status = {str(status): int(count) for status, count in rows}
    return {
        "pending": by_status.get("todo", 0), "running": by_status.get("doing", 0),
        "failed": by_status.get("failed", 0), "succeeded": by_status.get("succeeded", 0),
    }


def active_feed_jobs(store: Store, locks: list[str]) -> int:
    """How many jobs holding one of these queueing locks are still to do or doing."""
    if not locks:
        return 0
    with store.session() as session:
        count = session.scalar(
            text(f"SELECT count(*) FROM {JOBS_TABLE} WHERE status IN ('todo', 'doing') AND queueing_lock = ANY(:locks)"),
            {"locks": locks},
        )
    return int(count or 0)


def store_figures(store: Store) -> dict[str, int]:
    """Articles and claims stored so far (``veille run --once`` with the queue reports the
    difference)."""
    from sqlalchemy import func, select

    from storage.models import ArticleRow, ClaimRow

    with store.session() as session:
        return {
            "articles": int(session.scalar(select(func.count(ArticleRow.id))) or 0),
            "claims": int(session.scalar(select(func.count(ClaimRow.id))) or 0),
        }
