"""Migrations are atomic (a SIGKILL half-way leaves no half schema) and safe from several
``veille init`` at once; entity seeding too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from config.settings import load_settings
from extractors.entities import load_entities
from storage.db import Store
from storage.entities import get_entity

ROOT = Path(__file__).resolve().parents[2]

# Kills its own process (SIGKILL: no cleanup, no rollback by Python) right after the Nth
# CREATE TABLE of the first migration has been executed.
_KILL_MID_MIGRATION = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from storage.db import Store
seen = []
@event.listens_for(Engine, "after_cursor_execute")
def kill(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("CREATE TABLE"):
        seen.append(statement)
        if len(seen) == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
Store(sys.argv[1]).migrate()
"""


def _veille(*args: str, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT,
        env={**os.environ, "VEILLE_DATABASE_URL": url}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("after", [1, 4])
def test_sigkill_during_the_first_sqlite_migration_leaves_no_half_schema(tmp_path: Path, after: int) -> None:
    url = f"sqlite:///{tmp_path / 'veille.sqlite3'}"
    killed = subprocess.run([sys.executable, "-c", _KILL_MID_MIGRATION, url, str(after)], cwd=ROOT,
                            capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    store = Store(url)
    try:
        assert inspect(store.engine).get_table_names() == []
        assert store.current_revision() is None
    finally:
        store.dispose()
    init = _veille("init", url=url)
    _out, err = init.communicate(timeout=120)
    assert init.returncode == 0, err.decode()
    store = Store(url)
    try:
        store.ensure_at_head()
        assert {"articles", "claims", "claim_groups", "feeds"} <= set(inspect(store.engine).get_table_names())
    finally:
        store.dispose()


def test_concurrent_init_on_a_fresh_database(db_url: str) -> None:
    procs = [_veille("init", url=db_url) for _ in range(3)]
    errors = [p.communicate(timeout=180)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    store = Store(db_url)
    try:
        store.ensure_at_head()
        entities = load_entities(load_settings(None, {"VEILLE_DATABASE_URL": db_url}).entities_file)
        for entity in entities[:20]:
            found = get_entity(store, entity.name)
            assert found is not None and found.name == entity.name
    finally:
        store.dispose()
