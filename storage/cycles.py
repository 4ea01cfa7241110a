"""Polling cycles: the figures of each one, so ``veille status`` can show the last."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select

from storage.db import Store
from storage.models import CycleRow


@dataclass(frozen=True, slots=True)
class CycleRecord:
    started_at: datetime
    finished_at: datetime
    feeds_polled: int
    feeds_not_modified: int
    feeds_failed: int
    articles_new: int
    articles_duplicate: int
    articles_skipped: int
    claims: int
    errors: int


def record_cycle(store: Store, cycle: CycleRecord) -> None:
    """Remember one cycle's figures."""
    with store.session() as session:
        session.add(CycleRow(**asdict(cycle)))


def last_cycle(store: Store) -> CycleRecord | None:
    """The most recent cycle that polled at least one feed."""
    with store.session() as session:
        row = session.scalar(select(CycleRow).order_by(CycleRow.finished_at.desc(), CycleRow.id.desc()).limit(1))
        if row is None:
            return None
        return CycleRecord(
            started_at=row.started_at, finished_at=row.finished_at, feeds_polled=row.feeds_polled,
            feeds_not_modified=row.feeds_not_modified, feeds_failed=row.feeds_failed,
            articles_new=row.articles_new, articles_duplicate=row.articles_duplicate,
            articles_skipped=row.articles_skipped, claims=row.claims, errors=row.errors,
        )
