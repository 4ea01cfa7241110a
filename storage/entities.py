"""Entities (companies, models, people) and the aliases that name them.

A claim's subject is resolved through ``entity_aliases.alias_norm`` (case- and accent-
insensitive); an unknown name becomes a new entity whose first alias is itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from config.errors import StorageError
from storage.db import Store
from storage.models import EntityAliasRow, EntityRow


@dataclass(frozen=True, slots=True)
class EntityView:
    id: int
    name: str
    kind: str | None
    aliases: tuple[str, ...]


def normalize_alias(name: str) -> str:
    """The lookup key of a name: accents removed, case-folded, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def find_entity_id(session: Session, name: str) -> int | None:
    """The entity a name refers to, or ``None``."""
    key = normalize_alias(name)
    if not key:
        return None
    return session.scalar(alias_query(key))


def alias_query(key: str) -> Select[int]:
    """The entity a normalised alias names (unique index on ``alias_norm``)."""
    return select(EntityAliasRow.entity_id).where(EntityAliasRow.alias_norm == key)


def resolve_entity_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Entity ids for ``names``, creating an entity for every name no alias knows."""
    resolved: dict[str, int] = {}
    wanted = {n: normalize_alias(n) for n in names if n and normalize_alias(n)}
    keys = sorted(set(wanted.values()))
    known: dict[str, int] = {
        k: v for k, v in session.execute(
            select(EntityAliasRow.alias_norm, EntityAliasRow.entity_id).where(
                EntityAliasRow.alias_norm.in_(keys)
            )
        )
    } if keys else {}
    for name, key in wanted.items():
        if key not in known:
            known[key] = _create(session, name, None, (name,))
        resolved[name] = known[key]
    return resolved


def _create(session: Session, name: str, kind: str | None, aliases: Sequence[str]) -> int:
    """The entity ``name`` and its aliases, inserted unless another writer just did (two workers
    meeting one new name on PostgreSQL: ``ON CONFLICT DO NOTHING`` waits for the other's commit,
    then the row is read back). Returns the entity the name's alias points to."""
    insert = _insert_for(session)
    session.flush()
    session.execute(insert(EntityRow).values(name=name, kind=kind).on_conflict_do_nothing(index_elements=["name"]))
    entity_id = session.scalar(select(EntityRow.id).where(EntityRow.name == name))
    for norm, alias in {normalize_alias(a): a for a in aliases if normalize_alias(a)}.items():
        session.execute(
            insert(EntityAliasRow).values(entity_id=entity_id, alias=alias, alias_norm=norm)
            .on_conflict_do_nothing(index_elements=["alias_norm"])
        )
    owner = session.scalar(alias_query(normalize_alias(name))) if normalize_alias(name) else None
    if owner is not None:
        return owner
    if entity_id is None:
        raise StorageError(f"entity {name!r}: neither inserted nor found")
    return entity_id


def _insert_for(session: Session) -> Any:
    """The dialect's INSERT (both have ``on_conflict_do_nothing``)."""
    dialect = session.get_bind().dialect.name
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


def upsert_entity(
    store: Store, name: str, *, kind: str | None = None, aliases: Sequence[str] = ()
) -> EntityView:
    """Declare an entity and its aliases (from ``config/entities.toml``).

    An alias already pointing at another entity is moved to this one: the configuration wins
    over names learnt from articles.
    """
    with store.session() as session:
        row = session.scalar(select(EntityRow).where(EntityRow.name == name))
        if row is None:
            row = EntityRow(name=name, kind=kind)
            session.add(row)
            session.flush()
        elif kind is not None:
            row.kind = kind
        seen: set[str] = set()
        for alias in (name, *aliases):
            key = normalize_alias(alias)
            if not key or key in seen:  # "DeepSeek-R1" and "DeepSeek R1" share one key
                continue
            seen.add(key)
            found = session.scalar(select(EntityAliasRow).where(EntityAliasRow.alias_norm == key))
            if found is None:
                session.add(EntityAliasRow(entity_id=row.id, alias=alias, alias_norm=key))
            else:
                found.entity_id = row.id
        session.flush()
        return _view(session, row)


def get_entity(store: Store, name: str) -> EntityView | None:
    """The entity ``name`` (or one of its aliases) refers to."""
    with store.session() as session:
        entity_id = find_entity_id(session, name)
        if entity_id is None:
            return None
        row = session.get(EntityRow, entity_id)
        return _view(session, row) if row is not None else None


def _view(session: Session, row: EntityRow) -> EntityView:
    aliases = session.scalars(
        select(EntityAliasRow.alias).where(EntityAliasRow.entity_id == row.id).order_by(EntityAliasRow.alias)
    )
    return EntityView(id=row.id, name=row.name, kind=row.kind, aliases=tuple(aliases))
