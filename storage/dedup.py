"""Near-duplicate articles: MinHash over word shingles, LSH bands persisted in SQL.

Each article's 128-value signature is cut into 16 bands of 8 rows; an article sharing any
band hash with an earlier one is a candidate, confirmed when the estimated Jaccard
similarity of the shingle sets reaches ``JACCARD_THRESHOLD``. Bands live in an indexed table,
so detection survives restarts and works across processes.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from storage.models import ArticleBandRow, ArticleRow, ArticleSignatureRow

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 5
# 16 bands x 8 rows puts the LSH S-curve midpoint near 0.7; 0.8 confirms "same story, lightly
# edited" (syndicated copies, tracking footers) without merging two articles on one topic.
JACCARD_THRESHOLD = 0.8
_SEED = 1
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature of ``text``'s word 5-shingles; ``None`` for texts too short."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS * 2:
        return None
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    mh.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return np.asarray(mh.hashvalues, dtype=np.uint32)


def band_hashes(sig: np.ndarray) -> list[tuple[int, int]]:
    """``(band, hash)`` pairs: a signed 64-bit digest of each band's rows."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little", signed=True)))
    return out


def find_near_duplicate(session: Session, sig: np.ndarray) -> int | None:
    """The earliest stored article whose signature matches ``sig`` (its original if it is
    itself a duplicate), or ``None``."""
    candidates = sorted(set(session.scalars(candidates_query(band_hashes(sig)))))
    if not candidates:
        return None
    rows = session.execute(
        select(ArticleSignatureRow.article_id, ArticleSignatureRow.signature, ArticleRow.duplicate_of)
        .join(ArticleRow, ArticleRow.id == ArticleSignatureRow.article_id)
        .where(ArticleSignatureRow.article_id.in_(candidates))
        .order_by(ArticleSignatureRow.article_id)
    )
    for article_id, blob, duplicate_of in rows:
        other = np.frombuffer(blob, dtype="<u4")
        if other.shape == sig.shape and float(np.mean(other == sig)) >= JACCARD_THRESHOLD:
            return duplicate_of or article_id
    return None


def candidates_query(bands: list[tuple[int, int]]) -> Select[int]:
    """Articles sharing at least one band (primary key ``(band, hash, article_id)``)."""
    return select(ArticleBandRow.article_id).where(
        or_(*(and_(ArticleBandRow.band == b, ArticleBandRow.hash == h) for b, h in bands))
    )


def store_signature(session: Session, article_id: int, sig: np.ndarray) -> None:
    """Persist ``sig`` and its band hashes for ``article_id``."""
    session.add(ArticleSignatureRow(article_id=article_id, signature=sig.astype("<u4").tobytes()))
    session.add_all(
        ArticleBandRow(band=band, hash=value, article_id=article_id) for band, value in band_hashes(sig)
    )
