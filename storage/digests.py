"""Digests: one row per day and recipient list, so a digest goes out exactly once.

The row is *claimed* (status ``sending``) in its own committed transaction before anything is
sent, and *marked* ``sent`` after the SMTP server (or the outbox) accepted the message. A
second sender for the same day and recipients finds the row and stops; a process killed
between the send and the mark leaves ``sending`` behind, and the next call resends once (the
caller logs it), so a crash costs at most one duplicate message, never a lost digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from config.errors import StorageError
from storage.db import Store
from storage.models import DigestRow

CLAIM_STATES = ("new", "retry", "forced", "sent", "busy")


@dataclass(frozen=True, slots=True)
class DigestRecord:
    day: date
    recipients: tuple[str, ...]
    status: str
    """``sending`` (claimed, not confirmed) or ``sent``."""
    sent_at: datetime | None
    delivered_via: str
    """``smtp`` or ``outbox`` (an .eml file written instead); empty while sending."""
    message_id: str | None
    article_count: int
    attempts: int = 0
    claimed_at: datetime | None = None
    claimed_by: str | None = None


@dataclass(frozen=True, slots=True)
class DigestClaim:
    """What :func:`claim_digest` found: ``new`` (first claim), ``retry`` (a previous attempt
    was claimed but never marked sent by a process now gone: it may or may not have gone out),
    ``forced`` (already sent, claimed again because the caller forces it), ``sent`` (already
    sent: nothing to do) or ``busy`` (another live process is sending it: nothing to do)."""

    state: str
    record: DigestRecord


def recipients_key(recipients: Sequence[str]) -> str:
    """The identity of a recipient list: order, case and repeats do not matter."""
    names = sorted({r.strip().lower() for r in recipients if r.strip()})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:32]


def _record(row: DigestRow) -> DigestRecord:
    return DigestRecord(
        day=row.day,
        recipients=tuple(r for r in row.recipients.split("\n") if r),
        status=row.status,
        sent_at=row.sent_at,
        delivered_via=row.delivered_via,
        message_id=row.message_id,
        article_count=row.article_count,
        attempts=row.attempts,
        claimed_at=row.claimed_at,
        claimed_by=row.claimed_by,
    )


def _row(day: date, key: str) -> Select[DigestRow]:
    return select(DigestRow).where(DigestRow.day == day, DigestRow.recipients_key == key)


def claim_digest(
    store: Store,
    day: date,
    recipients: Sequence[str],
    *,
    now: datetime,
    claimer: str,
    abandoned: Callable[[DigestRecord], bool],
    force: bool = False,
) -> DigestClaim:
    """Claim the digest of ``day`` for ``recipients`` before sending it (committed on return).

    A row still ``sending`` is taken over (``retry``) only when ``abandoned(record)`` says its
    claimer is gone; otherwise another process is sending it right now (``busy``)."""
    key = recipients_key(recipients)
    for _ in range(2):  # a concurrent first claim wins the unique key: read its row instead
        try:
            with store.session() as session:
                row = session.scalar(_row(day, key).with_for_update())
                if row is None:
                    row = DigestRow(day=day, recipients_key=key, recipients="\n".join(recipients),
                                    status="sending", claimed_at=now, claimed_by=claimer, attempts=1,
                                    delivered_via="", article_count=0)
                    session.add(row)
                    session.flush()
                    return DigestClaim("new", _record(row))
                if row.status == "sent" and not force:
                    return DigestClaim("sent", _record(row))
                if row.status == "sending" and not abandoned(_record(row)):
                    return DigestClaim("busy", _record(row))
                state = "forced" if row.status == "sent" else "retry"
                row.status, row.claimed_at, row.claimed_by = "sending", now, claimer
                row.attempts += 1
                session.flush()
                return DigestClaim(state, _record(row))
        except StorageError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            continue
    raise RuntimeError(f"digest {day}: could not claim its row")  # pragma: no cover - needs 3 racing writers


def mark_sent(
    store: Store,
    day: date,
    recipients: Sequence[str],
    *,
    sent_at: datetime,
    delivered_via: str,
    message_id: str | None,
    article_count: int,
) -> DigestRecord:
    """Record that the claimed digest went out."""
    with store.session() as session:
        row = session.scalar(_row(day, recipients_key(recipients)))
        if row is None:
            raise LookupError(f"digest {day}: no claim to mark sent")
        row.status, row.sent_at, row.delivered_via = "sent", sent_at, delivered_via
        row.message_id, row.article_count = message_id, article_count
        session.flush()
        return _record(row)


def release_claim(store: Store, day: date, recipients: Sequence[str]) -> None:
    """Drop a claim whose send failed for certain (the server refused it): nothing went out."""
    with store.session() as session:
        row = session.scalar(_row(day, recipients_key(recipients)))
        if row is not None and row.status == "sending":
            if row.sent_at is None:
                session.delete(row)
            else:
                row.status = "sent"  # a forced resend that failed: the earlier send still stands


def digest_for(store: Store, day: date, recipients: Sequence[str] | None = None) -> DigestRecord | None:
    """The digest sent (or being sent) for ``day``: to ``recipients``, or to any list."""
    with store.session() as session:
        query = select(DigestRow).where(DigestRow.day == day)
        if recipients is not None:
            query = _row(day, recipients_key(recipients))
        row = session.scalars(query.order_by(DigestRow.id).limit(1)).first()
        return _record(row) if row is not None else None


def last_digest(store: Store) -> DigestRecord | None:
    """The most recent digest sent."""
    with store.session() as session:
        row = session.scalar(
            select(DigestRow).where(DigestRow.status == "sent").order_by(DigestRow.day.desc(), DigestRow.id.desc())
            .limit(1)
        )
        return _record(row) if row is not None else None
