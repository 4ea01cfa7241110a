from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from config.errors import StorageError
from storage.db import Store
from storage.models import FeedRow


def test_migrate_is_idempotent_and_at_head(db: Store) -> None:
    db.migrate()
    db.ensure_at_head()
    assert db.current_revision() == db.head_revision() is not None


def test_unmigrated_database_is_reported_in_one_line(db_url: str) -> None:
    store = Store(db_url)
    try:
        with pytest.raises(StorageError) as info:
            store.ensure_at_head()
    finally:
        store.dispose()
    message = str(info.value)
    assert "\n" not in message
    assert "is at revision none, expected" in message
    assert message.endswith("run `veille init`")


def test_password_is_masked_in_errors() -> None:
    store = Store("postgresql+psycopg://bob:s3cret@127.0.0.1:1/nowhere?connect_timeout=1")
    try:
        with pytest.raises(StorageError) as info:
            store.ensure_at_head()
    finally:
        store.dispose()
    assert "s3cret" not in str(info.value)
    assert "bob:***@127.0.0.1" in str(info.value)


def test_sqlite_creates_parent_directory_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "v.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    store.dispose()
    assert path.exists()


def test_session_rolls_back_and_wraps_errors(db: Store) -> None:
    with db.session() as session:
        session.add(FeedRow(url="https://a.example/feed", consecutive_errors=0, disabled=False,
                            ignore_cache_headers=False))
    with pytest.raises(StorageError) as info:
        with db.session() as session:
            session.add(FeedRow(url="https://b.example/feed", consecutive_errors=0, disabled=False,
                                ignore_cache_headers=False))
            session.flush()
            session.add(FeedRow(url="https://a.example/feed", consecutive_errors=0, disabled=False,
                                ignore_cache_headers=False))
    assert "\n" not in str(info.value)
    with db.session() as session:
        urls = session.scalars(select(FeedRow.url)).all()
    assert urls == ["https://a.example/feed"]


def test_datetimes_come_back_aware_utc(db: Store) -> None:
    paris = timezone(timedelta(hours=1))
    with db.session() as session:
        session.add(FeedRow(url="https://a.example/feed", consecutive_errors=0, disabled=False,
                            ignore_cache_headers=False,
                            next_poll_at=datetime(2025, 3, 1, 12, 30, tzinfo=paris)))
    with db.session() as session:
        value = session.scalar(select(FeedRow.next_poll_at))
    assert value is not None
    assert value.utcoffset() == timedelta(0)
    assert value == datetime(2025, 3, 1, 11, 30, tzinfo=timezone.utc)


def test_migrations_run_from_any_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store("sqlite:///rel/db.sqlite3")
    store.migrate()
    store.ensure_at_head()
    store.dispose()
    assert (tmp_path / "rel" / "db.sqlite3").exists()


def test_migrations_match_the_models(db: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base, in_models

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": in_models})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
