"""Our own articles that reproduce what the real pages do (tests/gold/pages_like/).

The real-page development set (tests/gold/pages/) is not in git, so CI cannot score it; these
articles, written in our own sentences with real figures, carry its phenomena into CI: denials,
the journalistic conditional, hypothetical computations and conditional tranches, "selon"
attributions, falls (negative values), dotted thousands, number words, figures in headlines and
lists. Each language has its floor, set at the extractor's measured figure when its articles
were written minus 0.05 (French, before issue #10's rework: precision 0.45, recall 0.38), raised
to the measured figure minus 0.03 when the extractor improves (French 0.67 / 0.63, English
0.69 / 0.66 once the metric model and the sector, source and AGI-horizon rules are in; French
0.71 / 0.67 with the group-total, "each" and bare-billions rules; English, 0.67 / 0.64 then, keeps its floor).
Lowered once, to the measured figures minus 0.03: the pairwise subject ranker, chosen by
leave-one-article-out on the dev pages (411 of 475 choices right against 401 for the pointwise
fit), finds 10 more claims on the pages test split (442 -> 452 of 894) and lost four here (one
French, three English: xAI, Colossus and Grok 2 in one paragraph of GPU counts); with the "no one"
candidate two come back (French 0.67 / 0.64, English 0.67 / 0.64: floors 0.64 / 0.60, 0.63 / 0.61).
Raised in stop 27 (market-value levels, a person's wealth, paid-to investees, "in total" of one
company, participles of money: French 0.80 / 0.79, English 0.83 / 0.80) to 0.77 / 0.76 and 0.80 / 0.77.
"""

from __future__ import annotations

import pytest

from bench.extract_eval import evaluate, load_pages_like
from extractors.claims import MODALITIES, ClaimExtractor

FLOORS = {"fr": (0.77, 0.76), "en": (0.80, 0.77)}
"""Per language: (precision floor, recall floor)."""


def test_every_gold_line_has_modality_speaker_and_sentence() -> None:
    articles = load_pages_like()
    assert {"fr"} <= {a.lang for a in articles}
    for article in articles:
        for g in article.claims:
            assert g["modality"] in MODALITIES, (article.name, g)
            assert "speaker" in g, (article.name, g)
            assert g["sentence"] and g["sentence"] in article.text, (article.name, g["sentence"])


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_pages_like_precision_and_recall(extractor: ClaimExtractor, lang: str) -> None:
    articles = [a for a in load_pages_like() if a.lang == lang]
    assert len(articles) >= 4
    assert sum(len(a.claims) for a in articles) >= 50
    kinds = {g["modality"] for a in articles for g in a.claims}
    assert {"denied", "hypothetical", "plan", "reported", "stated"} <= kinds
    report = evaluate(extractor, articles)
    detail = "\n".join(["misses:", *report.misses, "false positives:", *report.false_positives])
    precision_floor, recall_floor = FLOORS[lang]
    assert report.precision >= precision_floor, detail
    assert report.recall >= recall_floor, detail
