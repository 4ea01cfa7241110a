"""Cross-process locks: one (subject, metric) bucket regrouped by one writer at a time, one
``veille init`` migrating at a time.

PostgreSQL: transaction-scoped advisory locks (``pg_advisory_xact_lock``) on a stable 64-bit
hash of the lock's name, released by the commit or rollback that ends the transaction. Taken
in a consistent order (buckets sorted by the caller) they cannot deadlock each other.
SQLite has one writer per database: taking its write lock (a no-op write, which makes the
driver open the transaction and SQLite take RESERVED) before reading the bucket serialises
regrouping just the same.

A transient failure (deadlock detected, serialization failure, "database is locked") is retried
by :func:`retrying`, a bounded number of times, each attempt logged.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from config.errors import StorageError

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATION_LOCK = "veille:migrate"
SEED_LOCK = "veille:seed-entities"
ATTEMPTS = 5
_BACKOFF_S = 0.05
_TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure
_UNIQUE_VIOLATION = "23505"  # two writers creating one entity: the second finds it on retry


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (the same in every process and release)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def lock_named(session: Session, name: str) -> None:
    """Hold the lock ``name`` until the session's transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
    else:
        # any write makes SQLite take the database's write lock for the rest of the transaction
        session.execute(text("UPDATE claim_groups SET id = id WHERE 0 = 1"))


def lock_bucket(session: Session, subject_id: int, metric: str) -> None:
    """Serialise regrouping of one ``(subject, metric)`` bucket across processes."""
    lock_named(session, f"veille:bucket:{subject_id}:{metric}")


def is_transient(exc: BaseException, *, unique: bool = False) -> bool:
    """A deadlock, a serialization failure or a busy SQLite database (with ``unique``, also a
    unique violation: a race another writer won): worth one more try."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DBAPIError):
            orig = seen.orig
            state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
            if state in _TRANSIENT_SQLSTATES or (unique and state == _UNIQUE_VIOLATION):
                return True
            if "database is locked" in str(orig):
                return True
        seen = seen.__cause__
    return False


def retrying(what: str, attempt: Callable[[], T], *, attempts: int = ATTEMPTS, unique: bool = False) -> T:
    """``attempt()``, again after a transient database failure (bounded, each retry logged)."""
    for number in range(1, attempts + 1):
        try:
            return attempt()
        except StorageError as exc:
            if number == attempts or not is_transient(exc, unique=unique):
                raise
            log.warning("%s: transient database failure (attempt %d of %d), retrying: %s", what, number, attempts, exc)
            time.sleep(_BACKOFF_S * number)
    raise AssertionError("unreachable")
