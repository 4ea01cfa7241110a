"""Train the subject scorer: which candidate entity a figure belongs to.

Run: ``python -m train.subjects [--check] [--out PATH]``. The extractor runs with the rules alone
over the annotated sets it may learn from (gold, holdout, holdout2 and the dev split of the real
pages: their texts, or without them their gold sentences, see :func:`dev_pages`), and records each ambiguous subject choice with its candidates. A choice
is labelled from the gold when a gold claim of the same article has the figure's metric and value;
its candidates naming a gold subject are positives (a gold line with no subject makes
``NO_ONE``, the "no one" candidate, the positive). A logistic regression (scikit-learn, fixed
seed, L2) on pairs of candidates learns to rank them; the extractor picks the best-scored one.

Before writing, it reports leave-one-article-out accuracy: on every article, the scorer trained on
the others against the rules' own pick, on the labelled choices. ``--check`` stops there. The
pages test split is never read here.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.extract_eval import GoldArticle, close, load_page_sentences, load_pages, load_set
from config.settings import CONFIG_DIR, NlpSettings
from extractors.claims import ClaimExtractor
from extractors.ranker import SUBJECTS_MODEL, Candidate, Choice, Scorer
from extractors.subject import NO_ONE

SEED = 0
C = 1.0
"""L2 strength of the pairwise fit. Leave-one-article-out on 475 choices: 411 right at 1.0, 413 at
0.3, 410 at 3.0, a spread of noise, so scikit-learn's default stays (the pointwise fit it replaced:
401 at 1.0)."""
TRAIN_SETS = ("gold", "holdout", "holdout2")


@dataclass(frozen=True, slots=True)
class Example:
    article: str
    candidates: tuple[Candidate, ...]
    positive: frozenset[str]


def training_articles() -> tuple[list[GoldArticle], list[str]]:
    """Every article the scorer may learn from: the three hand-made sets and the pages dev split
    (:func:`dev_pages`); with the names of the sets used."""
    articles = [a for name in TRAIN_SETS for a in load_set(name)]
    used = list(TRAIN_SETS)
    pages, name = dev_pages()
    articles += pages
    used.append(name)
    return articles, used


def dev_pages() -> tuple[list[GoldArticle], str]:
    """The real pages' dev split as the models learn from it, with the name of the source:
    ``VEILLE_TRAIN_PAGES=texts`` the page texts in ``$VEILLE_PAGES_DIR`` (the committed models),
    ``sentences`` their gold sentences alone (in git, so any machine can train; measured a little
    worse on held-back text, see the README), ``auto`` (the default) the texts when every dev text
    is there, else the sentences, saying so. The test split is never read."""
    source = os.environ.get("VEILLE_TRAIN_PAGES", "auto")
    if source not in ("auto", "texts", "sentences"):
        raise SystemExit(f"error: VEILLE_TRAIN_PAGES={source!r}: expected 'auto', 'texts' or 'sentences'")
    if source != "sentences":
        try:
            return load_pages("dev"), "pages:dev"
        except FileNotFoundError as exc:
            if source == "texts":
                raise SystemExit(f"error: VEILLE_TRAIN_PAGES=texts: {exc}") from exc
            print(f"pages dev texts not in $VEILLE_PAGES_DIR ({exc}); training on their gold sentences "
                  "(VEILLE_TRAIN_PAGES=sentences); the committed models were trained on the texts", file=sys.stderr)
    return load_page_sentences("dev"), "sentences:dev"


def examples(extractor: ClaimExtractor, articles: Sequence[GoldArticle]) -> list[Example]:
    """The labelled ambiguous choices of ``articles``."""
    traces = extractor.trace_subjects([(a.text, a.lang, a.published) for a in articles])
    out: list[Example] = []
    for article, choices in zip(articles, traces, strict=True):
        for choice in choices:
            positive = _gold_subjects(article, choice)
            names = {c.name for c in choice.candidates}
            if len(names) < 2 or not positive & names:
                continue
            out.append(Example(article.name, choice.candidates, frozenset(positive & names)))
    return out


def _gold_subjects(article: GoldArticle, choice: Choice) -> set[str]:
    """The gold subjects of the choice's figure; a gold line with no subject names :data:`NO_ONE`."""
    return {g["subject"] or NO_ONE for g in article.claims
            if g["metric"] == choice.metric and close(g["value_low"], choice.low, g.get("unit"))
            and close(g["value_high"], choice.high, g.get("unit"))}


def fit(train: Sequence[Example]) -> Scorer:
    """A ranking model: a logistic regression on pairs of one choice's candidates (RankSVM's
    pairwise transform). For every gold subject ``p`` and other candidate ``n`` of a choice, the
    difference ``x(p) - x(n)`` is a positive example and ``x(n) - x(p)`` a negative one, with no
    intercept, so the weights rank the candidates of one choice against each other, which is
    the decision the extractor makes (a pointwise fit, each candidate scored alone, got 401 of
    475 choices right leave-one-article-out against 411 for this one)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=False)
    vec.fit([c.features for ex in train for c in ex.candidates])
    diffs: list[np.ndarray] = []
    labels: list[int] = []
    for ex in train:
        pos = [c.features for c in ex.candidates if c.name in ex.positive]
        neg = [c.features for c in ex.candidates if c.name not in ex.positive]
        if not pos or not neg:
            continue
        for p in vec.transform(pos):
            for n in vec.transform(neg):
                diffs += [p - n, n - p]
                labels += [1, 0]
    model = LogisticRegression(C=C, max_iter=5000, fit_intercept=False, random_state=SEED)
    model.fit(np.array(diffs), labels)
    weights = {name: round(float(w), 6) for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
               if abs(w) >= 1e-6}
    return Scorer(weights, 0.0)


def rule_pick(ex: Example) -> str:
    return min(ex.candidates, key=lambda c: (c.rule, c.name)).name


def leave_one_article_out(data: Sequence[Example]) -> tuple[int, int, int]:
    """(choices, right by the rules, right by the scorer trained without that article)."""
    rules = model = 0
    for article in sorted({ex.article for ex in data}):
        held = [ex for ex in data if ex.article == article]
        scorer = fit([ex for ex in data if ex.article != article])
        rules += sum(rule_pick(ex) in ex.positive for ex in held)
        model += sum(scorer.pick(list(ex.candidates)) in ex.positive for ex in held)
    return len(data), rules, model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the subject scorer on the annotated gold.")
    parser.add_argument("--out", type=Path, default=SUBJECTS_MODEL, help="where to write the JSON scorer")
    parser.add_argument("--check", action="store_true", help="report leave-one-article-out accuracy only")
    args = parser.parse_args(argv)
    random.seed(SEED)
    extractor = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml", subject_model=None)
    articles, used = training_articles()
    data = examples(extractor, articles)
    n, rules, model = leave_one_article_out(data)
    print(f"{len(articles)} articles, {n} ambiguous subject choices labelled from the gold")
    print(f"leave-one-article-out: rules {rules}/{n} = {rules / n:.2f}, scorer {model}/{n} = {model / n:.2f}")
    if args.check:
        return 0
    scorer = fit(data)
    meta = {"trained_on": used, "articles": len(articles),
            "choices": n, "seed": SEED, "C": C, "loao_rules": round(rules / n, 3), "loao_scorer": round(model / n, 3)}
    out = Scorer(scorer.weights, scorer.intercept, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(scorer.weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
