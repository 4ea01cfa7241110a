"""The ``db`` and ``db_url`` fixtures: every storage test runs on SQLite and on PostgreSQL.

``db_url`` is a fresh, empty database per test: a temporary SQLite file, or a PostgreSQL
schema with a unique name (``search_path`` set in the URL, so the URL alone reaches it, from
a subprocess too) that is dropped afterwards. Parallel runs by several developers never share
a schema. ``db`` is a :class:`storage.db.Store` on that URL, migrated to head.

PostgreSQL unreachable: the ``postgresql`` cases are skipped, or fail when
``VEILLE_REQUIRE_PG=1``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from storage.db import Store

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_RUN = f"{os.getpid()}_{secrets.token_hex(3)}"
_counter = itertools.count()


@pytest.fixture(scope="session")
def _pg_admin() -> Iterator[Engine | str]:
    """An engine on the PostgreSQL test database, or the reason it is unreachable."""
    engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "no PostgreSQL here"
        engine.dispose()
        yield f"PostgreSQL unreachable at {PG_ADMIN_URL}: {' '.join(str(exc).split())[:200]}"
        return
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database (not migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'veille.sqlite3'}"
        return
    with pg_schema(request, f"veille_test_{_RUN}_{next(_counter)}") as url:
        yield url


@contextlib.contextmanager
def pg_schema(request: pytest.FixtureRequest, schema: str) -> Iterator[str]:
    """The URL of a new PostgreSQL schema named ``schema``, dropped on exit; skips the test
    (fails it under ``VEILLE_REQUIRE_PG=1``) when PostgreSQL is unreachable."""
    admin = request.getfixturevalue("_pg_admin")
    if isinstance(admin, str):
        if os.environ.get("VEILLE_REQUIRE_PG") == "1":
            pytest.fail(admin + " (VEILLE_REQUIRE_PG=1)")
        pytest.skip(admin)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def db(db_url: str) -> Iterator[Store]:
    """A :class:`Store` on a fresh database migrated to head."""
    store = Store(db_url)
    store.migrate()
    try:
        yield store
    finally:
        store.dispose()


def snapshot(store: Store) -> tuple[list[tuple[object, ...]], list[str]]:
    """What the store says, independent of row ids: groups with their sources, contradictions."""
    import json

    from storage.contradictions import list_contradictions
    from storage.groups import list_claim_groups

    groups = sorted(
        (
            (g.subject, g.metric, g.is_plan, g.qualifier or "", g.value_low, g.value_high,
             g.mention_count, g.source_count, tuple(sorted(s.url for s in g.sources)))
            for g in list_claim_groups(store)
        ),
        key=repr,  # open bounds are None: order by the printed form
    )
    contradictions = sorted(
        json.dumps(c.as_json(), sort_keys=True, default=str) for c in list_contradictions(store)
    )
    return groups, contradictions


def empty(store: Store) -> None:
    """Delete every row (the schema and its Alembic revision stay), on either database."""
    from storage.models import Base

    with store.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
