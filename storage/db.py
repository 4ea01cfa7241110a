"""The database handle: engine, sessions, migrations.

``Store(url)`` is built once at startup and passed down; every repository function in
``storage/`` takes it as its first argument. Schema changes go through Alembic only
(``Store.migrate()`` is what ``veille init`` runs); the configuration is built in code so
migrations work from an installed package and from any working directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from config.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_SQLITE_BUSY_TIMEOUT_MS = 30_000


class Store:
    """One database: an engine plus short transactional sessions."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.safe_url = parsed.render_as_string(hide_password=True)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine: Engine = create_engine(url, **kwargs)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StorageError(f"database {self.safe_url}: cannot create engine: {exc}") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def __repr__(self) -> str:
        return f"Store({self.safe_url!r})"

    def _alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        return cfg

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (``alembic upgrade head``), in one
        transaction: a process killed half-way leaves the schema as it was.

        PostgreSQL: DDL is transactional; an advisory lock makes a second ``veille init`` wait
        and then find the schema at head. SQLite: the driver's own transaction handling commits
        each DDL statement by itself, so migrations run on a connection where veille issues
        ``BEGIN IMMEDIATE`` (which also takes the write lock: one migrator at a time).
        """
        from storage.locks import MIGRATION_LOCK, lock_key

        cfg = self._alembic_config()
        in_memory = (make_url(self.url).database or ":memory:") == ":memory:"
        engine = self._migration_engine() if self.is_sqlite and not in_memory else self.engine
        try:
            with engine.begin() as conn:
                if not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(MIGRATION_LOCK)})
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except SQLAlchemyError as exc:
            raise StorageError(f"database {self.safe_url}: migration failed: {_one_line(exc)}") from exc
        finally:
            if engine is not self.engine:
                engine.dispose()

    def _migration_engine(self) -> Engine:
        engine = create_engine(
            self.url, future=True, poolclass=NullPool,
            connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine

    def head_revision(self) -> str | None:
        """The newest revision shipped with this code."""
        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        """The revision the database is at (``None``: never migrated)."""
        try:
            with self.engine.connect() as conn:
                return MigrationContext.configure(conn).get_current_revision()
        except SQLAlchemyError as exc:
            raise StorageError(f"database {self.safe_url}: unreachable: {_one_line(exc)}") from exc

    def ensure_at_head(self) -> None:
        """Raise a one-line :class:`StorageError` unless the schema is at the newest revision."""
        current, head = self.current_revision(), self.head_revision()
        if current != head:
            raise StorageError(
                f"database {self.safe_url} is at revision {current or 'none'}, "
                f"expected {head}: run `veille init`"
            )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        session = Session(self.engine, expire_on_commit=False, autoflush=False)
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StorageError(f"database {self.safe_url}: {_one_line(exc)}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # WAL lets the CLI read while the daemon writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return " ".join(text.split())[:500]
