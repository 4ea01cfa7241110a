"""The gold set: overall precision and recall of claims must stay at or above 0.9."""

from __future__ import annotations

from bench.extract_eval import evaluate, load_gold
from extractors.claims import ClaimExtractor


def test_gold_precision_and_recall(extractor: ClaimExtractor) -> None:
    articles = load_gold()
    assert sum(len(a.claims) for a in articles if a.lang == "en") >= 60
    report = evaluate(extractor, articles)
    detail = "\n".join(["misses:", *report.misses, "false positives:", *report.false_positives])
    assert report.precision >= 0.9, detail
    assert report.recall >= 0.9, detail
