"""ORM rows. Nothing outside ``storage/`` imports this module: repositories map rows to
frozen dataclasses. Datetimes are stored as naive UTC and always read back as aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Naive UTC in the column (same on SQLite and PostgreSQL), aware UTC in Python.

    A naive value handed in is taken to be UTC already.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        return stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


class FeedRow(Base):
    __tablename__ = "feeds"
    __table_args__ = (Index("ix_feeds_disabled_next_poll_at", "disabled", "next_poll_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str | None] = mapped_column(String(512))
    lang: Mapped[str | None] = mapped_column(String(8))
    etag: Mapped[str | None] = mapped_column(String(1024))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    body_hash: Mapped[str | None] = mapped_column(String(128))
    ignore_cache_headers: Mapped[bool] = mapped_column(Boolean, default=False)
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_errors: Mapped[int] = mapped_column(Integer, default=0)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    mean_interval_s: Mapped[float | None] = mapped_column(Float)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    guid: Mapped[str | None] = mapped_column(String(2048), unique=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(512))
    site_name: Mapped[str | None] = mapped_column(String(512))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lang: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(128), index=True)
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="ok")
    skip_reason: Mapped[str | None] = mapped_column(Text)
    entry_fingerprint: Mapped[str | None] = mapped_column(String(128))
    """What the feed said about the entry (updated date, title, summary): a change refetches the page."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ArticleVersionRow(Base):
    """A text an article had before its page changed at the same URL (a correction, an update)."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(128))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingEntryRow(Base):
    """A feed entry whose page failed to fetch, extract or store: retried at the feed's next poll."""

    __tablename__ = "pending_entries"
    __table_args__ = (UniqueConstraint("feed_id", "url", name="uq_pending_entries_feed_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    guid: Mapped[str | None] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lang: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleEntityRow(Base):
    """An entity an article names, with how many times (alias table, name rules and NER)."""

    __tablename__ = "article_entities"
    __table_args__ = (Index("ix_article_entities_entity_article", "entity_id", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True
    )
    mentions: Mapped[int] = mapped_column(Integer, default=1)


SEARCH_OBJECTS = frozenset({
    "articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize",
    "articles_fts_config", "articles_fts_content", "search_vector", "ix_articles_search_vector",
})
"""Full-text search lives outside the ORM (migration 0005): SQLite's FTS5 table and its shadow
tables, PostgreSQL's generated ``tsvector`` column and its GIN index; only raw SQL in
``storage/search.py`` reads them."""


def in_models(name: str | None, type_: str, parent_names: Any) -> bool:
    """``include_name`` hook for Alembic's model comparison: skip the full-text objects."""
    return name not in SEARCH_OBJECTS


class ArticleSignatureRow(Base):
    """MinHash signature of an article's word shingles (near-duplicate detection)."""

    __tablename__ = "article_signatures"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class ArticleBandRow(Base):
    """One LSH band hash of an article's signature; equal (band, hash) pairs are candidates."""

    __tablename__ = "article_bands"

    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(512), unique=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    part_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    """The whole this entity belongs to (Colossus -> xAI, DeepSeek R1 -> DeepSeek)."""


class EntityAliasRow(Base):
    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(512))
    alias_norm: Mapped[str] = mapped_column(String(512), unique=True)


class ClaimGroupRow(Base):
    """Mentions of one fact (same subject, metric, qualifier, compatible value and time)."""

    __tablename__ = "claim_groups"
    __table_args__ = (
        Index("ix_claim_groups_subject_metric_last_seen", "subject_id", "metric", "last_seen_at"),
        Index("ix_claim_groups_metric_last_seen", "metric", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(32))
    qualifier: Mapped[str | None] = mapped_column(String(256))
    is_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    modality: Mapped[str] = mapped_column(String(16), default="stated", server_default="stated")
    unit: Mapped[str | None] = mapped_column(String(64))
    time: Mapped[str | None] = mapped_column(String(64))
    value_low: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    hedge: Mapped[str | None] = mapped_column(String(16))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    mention_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)


class ClaimRow(Base):
    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_subject_metric_observed", "subject_id", "metric", "observed_at"),
        Index("ix_claims_metric_observed", "metric", "observed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id", ondelete="SET NULL"))
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    metric: Mapped[str] = mapped_column(String(32))
    qualifier: Mapped[str | None] = mapped_column(String(256))
    value_low: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(64))
    hedge: Mapped[str | None] = mapped_column(String(16))
    time: Mapped[str | None] = mapped_column(String(64))
    probability: Mapped[float | None] = mapped_column(Float)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("char_start", Integer)
    end: Mapped[int] = mapped_column("char_end", Integer)
    lang: Mapped[str] = mapped_column(String(8))
    is_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    modality: Mapped[str] = mapped_column(String(16), default="stated", server_default="stated")
    currency_implied: Mapped[bool] = mapped_column(Boolean, default=False)
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    """The article's publication date, else its fetch date: what "newest first" sorts on."""
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("claim_groups.id", ondelete="SET NULL"), index=True
    )
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_versions.id", ondelete="SET NULL"), index=True
    )
    """Set when the article's text changed: the claim belongs to that older version."""


class ContradictionRow(Base):
    __tablename__ = "contradictions"
    __table_args__ = (
        UniqueConstraint("group_a_id", "group_b_id", name="uq_contradictions_pair"),
        Index("ix_contradictions_subject_metric", "subject_id", "metric"),
        Index("ix_contradictions_kind_detected", "kind", "detected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_a_id: Mapped[int] = mapped_column(ForeignKey("claim_groups.id", ondelete="CASCADE"))
    group_b_id: Mapped[int] = mapped_column(
        ForeignKey("claim_groups.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(32))
    qualifier: Mapped[str | None] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(16))
    gap: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DigestRow(Base):
    """One digest per day and recipient list, claimed before it is sent and marked after."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("day", "recipients_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    recipients_key: Mapped[str] = mapped_column(String(64))
    """A hash of the sorted recipient list: the digest's identity together with ``day``."""
    status: Mapped[str] = mapped_column(String(16), default="sent", server_default="sent")
    """``sending`` from the claim until the send is confirmed, then ``sent``."""
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(256))
    """``host:pid`` of the process that claimed it, to tell a crashed sender from a busy one."""
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recipients: Mapped[str] = mapped_column(Text)
    delivered_via: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str | None] = mapped_column(String(512))
    article_count: Mapped[int] = mapped_column(Integer, default=0)
