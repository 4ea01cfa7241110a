"""Digests sent: one row per day, so a restarted daemon never mails a day twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from storage.db import Store
from storage.models import DigestRow


@dataclass(frozen=True, slots=True)
class DigestRecord:
    day: date
    sent_at: datetime
    recipients: tuple[str, ...]
    delivered_via: str
    """``smtp`` or ``outbox`` (an .eml file written instead)."""
    message_id: str | None
    article_count: int


def _record(row: DigestRow) -> DigestRecord:
    return DigestRecord(
        day=row.day,
        sent_at=row.sent_at,
        recipients=tuple(r for r in row.recipients.split("\n") if r),
        delivered_via=row.delivered_via,
        message_id=row.message_id,
        article_count=row.article_count,
    )


def digest_for(store: Store, day: date) -> DigestRecord | None:
    """The digest already sent for ``day``, if any."""
    with store.session() as session:
        row = session.scalar(select(DigestRow).where(DigestRow.day == day))
        return _record(row) if row is not None else None


def record_digest(
    store: Store,
    day: date,
    *,
    sent_at: datetime,
    recipients: Sequence[str],
    delivered_via: str,
    message_id: str | None = None,
    article_count: int = 0,
) -> DigestRecord:
    """Remember that the digest of ``day`` went out (a second call for one day updates it)."""
    with store.session() as session:
        row = session.scalar(select(DigestRow).where(DigestRow.day == day))
        if row is None:
            row = DigestRow(day=day)
            session.add(row)
        row.sent_at = sent_at
        row.recipients = "\n".join(recipients)
        row.delivered_via = delivered_via
        row.message_id = message_id
        row.article_count = article_count
        session.flush()
        return _record(row)


def last_digest(store: Store) -> DigestRecord | None:
    """The most recent digest sent."""
    with store.session() as session:
        row = session.scalar(select(DigestRow).order_by(DigestRow.day.desc()).limit(1))
        return _record(row) if row is not None else None
