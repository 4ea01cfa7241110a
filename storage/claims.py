"""Claims as stored: one row per figure, with the article it came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from extractors.contract import Claim
from storage.db import Store
from storage.entities import subject_ids
from storage.models import ArticleRow, ClaimRow, EntityRow


@dataclass(frozen=True, slots=True)
class ClaimView(Claim):
    """A stored claim: the extractor's :class:`Claim` (subject and speaker as the entity table
    names them now) with where it was stored and read from."""

    id: int = 0
    article_url: str = ""
    article_title: str | None = None
    site_name: str | None = None
    published_at: datetime | None = None
    article_id: int = 0
    group_id: int | None = None
    duplicate: bool = False
    """The claim's article is a (near-)duplicate: not an independent source."""
    version_id: int | None = None
    """Set when read from an older text of its article (``article_versions``)."""
    part_of: str | None = None
    """The whole the subject belongs to (``xAI`` for a claim about Colossus)."""

    @property
    def label(self) -> str:
        """``xAI › Colossus`` for a part, else the subject."""
        return f"{self.part_of} › {self.subject}" if self.part_of and self.subject else self.subject or "—"


_Subject = aliased(EntityRow)
_Speaker = aliased(EntityRow)
_Whole = aliased(EntityRow)


def _claims_query() -> Select[ClaimRow, ArticleRow, str | None, str | None, str | None]:
    return (
        select(ClaimRow, ArticleRow, _Subject.name, _Speaker.name, _Whole.name)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(_Subject, _Subject.id == ClaimRow.subject_id)
        .outerjoin(_Speaker, _Speaker.id == ClaimRow.speaker_id)
        .outerjoin(_Whole, _Whole.id == _Subject.part_of_id)
    )


def _view(
    claim: ClaimRow, article: ArticleRow, subject: str | None, speaker: str | None, whole: str | None
) -> ClaimView:
    return ClaimView(
        id=claim.id,
        subject=subject,
        metric=claim.metric,
        value_low=claim.value_low,
        value_high=claim.value_high,
        unit=claim.unit,
        qualifier=claim.qualifier,
        hedge=claim.hedge,
        time=claim.time,
        speaker=speaker,
        probability=claim.probability,
        sentence=claim.sentence,
        start=claim.start,
        end=claim.end,
        lang=claim.lang,
        article_url=article.url,
        article_title=article.title,
        site_name=article.site_name,
        published_at=article.published_at,
        article_id=article.id,
        currency_implied=claim.currency_implied,
        group_id=claim.group_id,
        modality=claim.modality,
        duplicate=article.duplicate_of is not None,
        version_id=claim.version_id,
        part_of=whole,
    )


def list_claims(
    store: Store,
    *,
    subject: str | None = None,
    metric: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[ClaimView]:
    """Stored claims of the articles' current texts, newest first (article publication date,
    else fetch date).

    ``subject`` is matched through entity aliases, case- and accent-insensitively, and takes
    in the subject's parts (``xAI`` lists Colossus's claims too); an unknown subject gives an
    empty list. ``since`` keeps claims observed on or after that day (UTC).
    """
    with store.session() as session:
        entity_ids: list[int] | None = None
        if subject is not None:
            entity_ids = subject_ids(session, subject)
            if entity_ids is None:
                return []
        query = claims_query(entity_ids, metric, since, limit)
        return [_view(*row) for row in session.execute(query)]


def claims_query(
    subject_ids: int | Sequence[int] | None, metric: str | None, since: date | None, limit: int | None
) -> Select[ClaimRow, ArticleRow, str | None, str | None, str | None]:
    """The statement behind :func:`list_claims` (also explained by ``storage.explain``)."""
    query = _claims_query().where(ClaimRow.version_id.is_(None))
    if isinstance(subject_ids, int):
        subject_ids = [subject_ids]
    if subject_ids is not None:
        query = query.where(
            ClaimRow.subject_id == subject_ids[0] if len(subject_ids) == 1 else ClaimRow.subject_id.in_(subject_ids)
        )
    if metric is not None:
        query = query.where(ClaimRow.metric == metric)
    if since is not None:
        start = since if isinstance(since, datetime) else datetime.combine(since, time.min, tzinfo=UTC)
        query = query.where(ClaimRow.observed_at >= start)
    query = query.order_by(ClaimRow.observed_at.desc(), ClaimRow.id.desc())
    return query.limit(limit) if limit is not None else query


def claims_of_articles(
    session: Session, article_ids: Sequence[int], *, all_versions: bool = False
) -> dict[int, list[ClaimView]]:
    """Claims per article, in text order (index ``ix_claims_article_id``): of the current text,
    or with ``all_versions`` of every text the article had."""
    out: dict[int, list[ClaimView]] = {i: [] for i in article_ids}
    if not article_ids:
        return out
    query = _claims_query().where(ClaimRow.article_id.in_(list(article_ids)))
    if not all_versions:
        query = query.where(ClaimRow.version_id.is_(None))
    query = query.order_by(ClaimRow.article_id, ClaimRow.start, ClaimRow.id)
    for row in session.execute(query):
        out[row[0].article_id].append(_view(*row))
    return out
