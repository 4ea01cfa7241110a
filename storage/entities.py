"""Entities (companies, models, people) and the aliases that name them.

A claim's subject is resolved through ``entity_aliases.alias_norm`` (case- and accent-
insensitive); an unknown name becomes a new entity whose first alias is itself. An entity may
be part of another (``entities.part_of_id``: Colossus of xAI, DeepSeek R1 of DeepSeek); a query
by the whole reaches its parts through :func:`tree_ids`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from config.errors import StorageError
from facts.parts import Node
from storage.db import Store
from storage.models import ContradictionRow, EntityAliasRow, EntityRow


@dataclass(frozen=True, slots=True)
class EntityView:
    id: int
    name: str
    kind: str | None
    aliases: tuple[str, ...]
    part_of: str | None = None
    """The whole this entity belongs to, by name."""




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
    store: Store, name: str, *, kind: str | None = None, aliases: Sequence[str] = (),
    part_of: str | None = None, tolerance: float = 0.10,
) -> EntityView:
    """Declare an entity, its aliases and the whole it belongs to (``config/entities.toml``).

    An alias already pointing at another entity is moved to this one: the configuration wins
    over names learnt from articles. A whole not stored yet is created. When the whole changes,
    the facts of the entity's part tree are regrouped under their new whole, in the same
    transaction.
    """
    with store.session() as session:
        return _upsert(session, name, kind, aliases, part_of, tolerance)


def seed_entities(
    store: Store, entities: Iterable[tuple[str, str | None, Sequence[str], str | None]], *, tolerance: float = 0.10
) -> int:
    """Declare every ``(name, kind, aliases, part_of)`` in one transaction under a lock, so two
    processes starting at once on a fresh database do not both create one entity."""
    from storage.locks import SEED_LOCK, lock_named

    count = 0
    with store.session() as session:
        lock_named(session, SEED_LOCK)
        for name, kind, aliases, part_of in entities:
            _upsert(session, name, kind, aliases, part_of, tolerance)
            count += 1
    return count


def _upsert(
    session: Session, name: str, kind: str | None, aliases: Sequence[str], part_of: str | None, tolerance: float
) -> EntityView:
    row = session.scalar(select(EntityRow).where(EntityRow.name == name))
    if row is None:
        row = EntityRow(name=name, kind=kind)
        session.add(row)
        session.flush()
    elif kind is not None:
        row.kind = kind
    whole_id = resolve_entity_ids(session, [part_of])[part_of] if part_of else None
    if whole_id is not None and row.id in tree_ids(session, whole_id, up=True):
        raise StorageError(f"entity {name!r}: part of {part_of!r} would go round in a circle")
    if row.part_of_id != whole_id:
        _move(session, row, whole_id, tolerance)
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


def _move(session: Session, row: EntityRow, whole_id: int | None, tolerance: float) -> None:
    """Re-attach ``row`` to ``whole_id`` and regroup the buckets its facts left and joined."""
    from storage.groups import bucket_metrics, regroup

    members = tree_ids(session, row.id)
    before = root_id(session, row.id)
    row.part_of_id = whole_id
    session.flush()
    after = root_id(session, row.id)
    metrics = bucket_metrics(session, members)
    for root in sorted({before, after}):
        if root_id(session, root) != root:
            # the old root is now inside the new one, whose regroup takes in its claims
            session.execute(delete(ContradictionRow).where(ContradictionRow.subject_id == root))
            continue
        for metric in metrics:
            regroup(session, root, metric, tolerance)


def tree_ids(session: Session, entity_id: int, *, up: bool = False) -> list[int]:
    """``entity_id`` and every entity below it (its parts, their parts), or with ``up`` the
    entity and every whole above it, nearest first."""
    found = [entity_id]
    frontier = [entity_id]
    while frontier:
        if up:
            step = list(session.scalars(select(EntityRow.part_of_id).where(
                EntityRow.id.in_(frontier), EntityRow.part_of_id.is_not(None))))
        else:
            step = list(session.scalars(select(EntityRow.id).where(EntityRow.part_of_id.in_(frontier))))
        frontier = [i for i in step if i is not None and i not in found]
        found.extend(frontier)
    return found


def subject_ids(session: Session, subject: str) -> list[int] | None:
    """The entity ``subject`` names (any alias) first, then every part below it; ``None`` when
    no entity has that name: what every "by subject" listing filters on."""
    entity_id = find_entity_id(session, subject)
    return None if entity_id is None else tree_ids(session, entity_id)


def root_id(session: Session, entity_id: int) -> int:
    """The topmost whole above ``entity_id`` (itself when it is part of nothing)."""
    return tree_ids(session, entity_id, up=True)[-1]


def entity_nodes(session: Session, ids: Iterable[int]) -> dict[int, Node]:
    """The given entities and every whole above them, by id."""
    nodes: dict[int, Node] = {}
    wanted = set(ids)
    while wanted:
        rows = session.execute(
            select(EntityRow.id, EntityRow.name, EntityRow.kind, EntityRow.part_of_id)
            .where(EntityRow.id.in_(sorted(wanted)))
        ).all()
        for entity_id, name, kind, part_of_id in rows:
            nodes[entity_id] = Node(entity_id, name, kind, part_of_id)
        wanted = {n.part_of_id for n in nodes.values() if n.part_of_id is not None} - set(nodes)
    return nodes


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
    whole = session.get(EntityRow, row.part_of_id) if row.part_of_id is not None else None
    return EntityView(id=row.id, name=row.name, kind=row.kind, aliases=tuple(aliases),
                      part_of=whole.name if whole is not None else None)
