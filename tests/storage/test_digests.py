from __future__ import annotations

from datetime import UTC, date, datetime

from storage.db import Store
from storage.digests import digest_for, last_digest, record_digest


def test_digest_recorded_once_per_day(db: Store) -> None:
    day = date(2025, 1, 24)
    assert digest_for(db, day) is None and last_digest(db) is None
    sent = datetime(2025, 1, 25, 7, tzinfo=UTC)
    record_digest(db, day, sent_at=sent, recipients=["a@x.org", "b@y.org"], delivered_via="smtp",
                  message_id="<1@veille>", article_count=3)
    again = record_digest(db, day, sent_at=sent, recipients=["a@x.org"], delivered_via="outbox")
    record_digest(db, date(2025, 1, 23), sent_at=sent, recipients=[], delivered_via="outbox")
    got = digest_for(db, day)
    assert got == again
    assert got is not None and got.recipients == ("a@x.org",) and got.delivered_via == "outbox"
    assert got.sent_at == sent
    latest = last_digest(db)
    assert latest is not None and latest.day == day
