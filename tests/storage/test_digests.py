"""The digest row: claimed before sending, marked after, one per day and recipient list."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from storage.db import Store
from storage.digests import (
    DigestRecord,
    claim_digest,
    digest_for,
    last_digest,
    mark_sent,
    recipients_key,
    release_claim,
)

DAY = date(2025, 1, 24)
NOW = datetime(2025, 1, 25, 7, tzinfo=UTC)
DESK = ("desk@example.org", "analyst@example.org")


def _gone(_: DigestRecord) -> bool:
    return True


def _alive(_: DigestRecord) -> bool:
    return False


def test_recipients_key_ignores_order_case_and_repeats() -> None:
    assert recipients_key(["A@x.org", "b@y.org"]) == recipients_key(["b@y.org", "a@x.org", "a@x.org "])
    assert recipients_key(["a@x.org"]) != recipients_key(["a@x.org", "b@y.org"])


def test_claim_then_mark_then_nothing_more_to_do(db: Store) -> None:
    assert digest_for(db, DAY) is None and last_digest(db) is None
    first = claim_digest(db, DAY, DESK, now=NOW, claimer="h:1", abandoned=_alive)
    assert first.state == "new" and first.record.status == "sending" and first.record.attempts == 1
    assert last_digest(db) is None  # claimed is not sent
    sent = mark_sent(db, DAY, DESK, sent_at=NOW, delivered_via="smtp", message_id="<1@x>", article_count=3)
    assert sent.status == "sent" and sent.delivered_via == "smtp" and sent.article_count == 3
    again = claim_digest(db, DAY, tuple(reversed(DESK)), now=NOW, claimer="h:2", abandoned=_gone)
    assert again.state == "sent" and again.record.message_id == "<1@x>"
    latest = last_digest(db)
    assert latest is not None and latest.day == DAY and latest.recipients == DESK


def test_another_recipient_list_is_another_digest(db: Store) -> None:
    claim_digest(db, DAY, DESK, now=NOW, claimer="h:1", abandoned=_alive)
    other = claim_digest(db, DAY, ("boss@example.org",), now=NOW, claimer="h:1", abandoned=_alive)
    assert other.state == "new"
    assert digest_for(db, DAY, ("boss@example.org",)) is not None


def test_an_unconfirmed_claim_is_retried_only_when_its_claimer_is_gone(db: Store) -> None:
    claim_digest(db, DAY, DESK, now=NOW, claimer="h:1", abandoned=_alive)
    busy = claim_digest(db, DAY, DESK, now=NOW, claimer="h:2", abandoned=_alive)
    assert busy.state == "busy" and busy.record.claimed_by == "h:1"
    retry = claim_digest(db, DAY, DESK, now=NOW, claimer="h:2", abandoned=_gone)
    assert retry.state == "retry" and retry.record.attempts == 2 and retry.record.claimed_by == "h:2"


def test_force_reclaims_a_sent_digest_and_a_failed_force_keeps_it_sent(db: Store) -> None:
    claim_digest(db, DAY, DESK, now=NOW, claimer="h:1", abandoned=_alive)
    mark_sent(db, DAY, DESK, sent_at=NOW, delivered_via="outbox", message_id=None, article_count=0)
    forced = claim_digest(db, DAY, DESK, now=NOW, claimer="h:1", abandoned=_alive, force=True)
    assert forced.state == "forced"
    release_claim(db, DAY, DESK)
    record = digest_for(db, DAY, DESK)
    assert record is not None and record.status == "sent"


def test_a_refused_first_send_releases_its_claim(db: Store) -> None:
    claim_digest(db, DAY, DESK, now=NOW, claimer="h:1", abandoned=_alive)
    release_claim(db, DAY, DESK)
    assert digest_for(db, DAY, DESK) is None


def test_two_racing_claims_give_one_sender(db: Store) -> None:
    states: list[str] = []
    barrier = threading.Barrier(2)

    def claim(claimer: str) -> None:
        barrier.wait()
        states.append(claim_digest(db, DAY, DESK, now=NOW, claimer=claimer, abandoned=_alive).state)

    threads = [threading.Thread(target=claim, args=(f"h:{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(states) == ["busy", "new"]
