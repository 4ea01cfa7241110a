"""Train the metric model: which metric a money figure measures.

Run: ``python -m train.metrics [--check] [--out PATH]`` (``make train``), fixed seed. The extractor
runs with the rules alone over the annotated sets the subject scorer learns from (gold, holdout,
holdout2 and the real pages' dev split, its texts or without them its gold sentences; the test
split is never read) and records every money figure the metric step sees, with the features of
:func:`extractors.metric.money_features`. A figure is labelled from the gold when the gold claims
of its article with the same value (a fall's mirrored value included) and a money unit all have
one metric. A multinomial logistic regression (scikit-learn, L2) learns the metric; the extractor
takes its pick over the rules' when it gives it at least :data:`extractors.metric.OVERRIDE`.

Before writing, it reports grouped cross-validated accuracy (articles never split across folds):
the rules' pick against the whole decision, rules as a feature plus the override. ``--check``
stops there.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.extract_eval import GoldArticle, close
from config.settings import CONFIG_DIR, NlpSettings
from extractors.claims import ClaimExtractor
from extractors.metric import METRIC_MODEL, MONEY, OVERRIDE, decide
from extractors.ranker import Multinomial
from train.subjects import training_articles

SEED = 0
C = 1.0
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Example:
    article: str
    rule: str
    features: dict[str, float]
    label: str


def examples(extractor: ClaimExtractor, articles: Sequence[GoldArticle]) -> list[Example]:
    """The labelled money figures of ``articles``."""
    traces = extractor.trace_metrics([(a.text, a.lang, a.published) for a in articles])
    out: list[Example] = []
    for article, seen in zip(articles, traces, strict=True):
        money = [g for g in article.claims if g.get("unit") in MONEY]
        for low, high, rule, feats in seen:
            labels = {g["metric"] for g in money if _same_value(g, low, high)}
            if len(labels) == 1:
                out.append(Example(article.name, rule, feats, labels.pop()))
    return out


def _same_value(g: dict[str, Any], low: float | None, high: float | None) -> bool:
    gl, gh = g["value_low"], g["value_high"]
    if close(gl, low) and close(gh, high):
        return True
    mirrored = (-high if high is not None else None, -low if low is not None else None)
    return close(gl, mirrored[0]) and close(gh, mirrored[1])


def fit(train: Sequence[Example]) -> Multinomial:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([ex.features for ex in train])
    clf = LogisticRegression(C=C, max_iter=5000, random_state=SEED)
    clf.fit(x, [ex.label for ex in train])
    labels = tuple(str(c) for c in clf.classes_)
    coef = clf.coef_ if len(labels) > 2 else [-clf.coef_[0] / 2, clf.coef_[0] / 2]
    intercept = clf.intercept_ if len(labels) > 2 else [-clf.intercept_[0] / 2, clf.intercept_[0] / 2]
    weights = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        row = tuple(round(float(coef[k][j]), 4) for k in range(len(labels)))
        if any(row):
            weights[str(name)] = row
    return Multinomial(labels, tuple(round(float(b), 4) for b in intercept), weights)


THRESHOLDS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8)


def cross_validate(data: Sequence[Example]) -> tuple[int, int, dict[float, int]]:
    """(figures, right by the rules, right by the decision trained on the other folds at each of
    :data:`THRESHOLDS`)."""
    from sklearn.model_selection import GroupKFold

    groups = [ex.article for ex in data]
    rules = 0
    model = dict.fromkeys(THRESHOLDS, 0)
    for train_idx, test_idx in GroupKFold(n_splits=FOLDS).split(data, groups=groups):
        m = fit([data[i] for i in train_idx])
        for i in test_idx:
            ex = data[i]
            rules += ex.rule == ex.label
            for t in THRESHOLDS:
                model[t] += decide(m, ex.features, ex.rule, t) == ex.label
    return len(data), rules, model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the metric model on the annotated gold.")
    parser.add_argument("--out", type=Path, default=METRIC_MODEL, help="where to write the JSON model")
    parser.add_argument("--check", action="store_true", help="report cross-validated accuracy only")
    args = parser.parse_args(argv)
    extractor = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml", metric_model=None)
    articles, used = training_articles()
    data = examples(extractor, articles)
    counts = Counter(ex.label for ex in data)
    print(f"{len(articles)} articles, {len(data)} money figures labelled from the gold: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    n, rules, by_threshold = cross_validate(data)
    model = by_threshold[OVERRIDE]
    print(f"{FOLDS}-fold grouped cross-validation: rules {rules}/{n} = {rules / n:.3f}, "
          f"model over rules (p >= {OVERRIDE}) {model}/{n} = {model / n:.3f}")
    print("  by override threshold: " + ", ".join(f"{t}: {k / n:.3f}" for t, k in by_threshold.items()))
    if args.check:
        return 0
    m = fit(data)
    payload: dict[str, Any] = {
        "about": "money metric classifier: multinomial logistic regression over "
                 "extractors.metric.money_features; written by `python -m train.metrics`",
        "trained_on": used, "figures": n, "seed": SEED, "C": C,
        "cv_rules": round(rules / n, 3), "cv_model": round(model / n, 3),
        "labels": list(m.labels), "intercept": list(m.intercept),
        "weights": {k: list(v) for k, v in sorted(m.weights.items())},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(m.weights)} features, {args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
