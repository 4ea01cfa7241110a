"""Entities (companies, models, people) and the aliases that name them.

A claim's subject is resolved through ``entity_aliases.alias_norm`` (case- and accent-
insensitive); an unknown name becomes a new entity whose first alias is itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

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
    existing = session.scalar(select(EntityRow).where(EntityRow.name == name))
    row = existing or EntityRow(name=name, kind=kind)
    if existing is None:
        session.add(row)
        session.flush()
    for alias in {normalize_alias(a): a for a in aliases if normalize_alias(a)}.items():
        session.add(EntityAliasRow(entity_id=row.id, alias=alias[1], alias_norm=alias[0]))
    session.flush()
    return row.id


def upsert_entity(
    store: Store, name: str, *, kind: str | None = None, aliases: Sequence[str] = ()
) -> EntityView:
    """Declare an entity and its aliases (from ``config/entities.toml``).

    An alias already pointing at another entity is moved to this one: the configuration wins
    over names learnt from articles.
    """
    with store.session() as session:
        return _upsert(session, name, kind, aliases)


def seed_entities(store: Store, entities: Iterable[tuple[str, str | None, Sequence[str]]]) -> int:
    """Declare every ``(name, kind, aliases)`` in one transaction under a lock, so two
    processes starting at once on a fresh database do not both create one entity."""
    from storage.locks import SEED_LOCK, lock_named

    count = 0
    with store.session() as session:
        lock_named(session, SEED_LOCK)
        for name, kind, aliases in entities:
            _upsert(session, name, kind, aliases)
            count += 1
    return count


def _upsert(session: Session, name: str, kind: str | None, aliases: Sequence[str]) -> EntityView:
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
