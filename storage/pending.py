"""Feed entries to retry: a page that failed to fetch, extract or store is not forgotten.

A poll records its failed entries here before it records itself; the feed's next poll fetches
them again even when the feed answers 304. An entry is dropped once stored, or after
``MAX_ATTEMPTS`` failures (logged with its last reason).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from storage.db import Store
from storage.models import PendingEntryRow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
MAX_URL = 2048


@dataclass(frozen=True, slots=True)
class PendingEntry:
    feed_id: int
    url: str
    guid: str | None
    title: str | None
    summary: str | None
    published_at: datetime | None
    updated_at: datetime | None
    lang: str | None
    reason: str
    attempts: int = 0


def pending_entries(store: Store, feed_ids: Sequence[int]) -> dict[int, list[PendingEntry]]:
    """The entries waiting for a retry, per feed, oldest failure first."""
    if not feed_ids:
        return {}
    with store.session() as session:
        rows = session.scalars(
            select(PendingEntryRow)
            .where(PendingEntryRow.feed_id.in_(list(feed_ids)))
            .order_by(PendingEntryRow.first_failed_at, PendingEntryRow.id)
        )
        out: dict[int, list[PendingEntry]] = {}
        for r in rows:
            out.setdefault(r.feed_id, []).append(
                PendingEntry(r.feed_id, r.url, r.guid, r.title, r.summary, r.published_at, r.updated_at,
                             r.lang, r.reason, r.attempts)
            )
        return out


def settle(store: Store, feed_id: int, *, failed: Sequence[PendingEntry], done: Sequence[str], now: datetime) -> None:
    """One poll's outcome for its entries, in one transaction: ``failed`` are kept (attempts
    counted), the URLs in ``done`` were stored (or are known) and leave the list."""
    with store.session() as session:
        if done:
            session.execute(
                delete(PendingEntryRow).where(PendingEntryRow.feed_id == feed_id, PendingEntryRow.url.in_(list(done)))
            )
        if not failed:
            return
        existing = {
            r.url: r for r in session.scalars(
                select(PendingEntryRow).where(
                    PendingEntryRow.feed_id == feed_id,
                    PendingEntryRow.url.in_([e.url for e in failed if len(e.url) <= MAX_URL]),
                )
            )
        }
        for entry in failed:
            if len(entry.url) > MAX_URL or len(entry.guid or "") > MAX_URL:
                # it could never be stored either: say so once rather than fail the poll
                log.warning("feed %s: entry %s… not kept for a retry: URL or GUID longer than %d characters",
                            feed_id, entry.url[:120], MAX_URL)
                continue
            row = existing.get(entry.url)
            if row is None:
                row = PendingEntryRow(
                    feed_id=feed_id, url=entry.url, guid=entry.guid, title=entry.title, summary=entry.summary,
                    published_at=entry.published_at, updated_at=entry.updated_at, lang=entry.lang,
                    reason=entry.reason, attempts=0, first_failed_at=now, last_failed_at=now,
                )
                session.add(row)
                existing[entry.url] = row
            row.attempts = (row.attempts or 0) + 1
            row.reason = entry.reason
            row.last_failed_at = now
            if row.attempts >= MAX_ATTEMPTS:
                log.warning("feed %s: giving up on %s after %d attempts: %s", feed_id, entry.url[:200], row.attempts, entry.reason)
                session.delete(row)
        session.flush()


def count_pending(store: Store) -> int:
    """How many entries wait for a retry."""
    with store.session() as session:
        return len(list(session.scalars(select(PendingEntryRow.id))))
