"""Train the modality model: ``python -m train.modality`` (``make train``), fixed seed.

Reads the annotated sentences of ``train/data/modality.jsonl`` (one figure per line: language,
text, the figure as written, its modality) and the figures of the real pages' dev split (its
texts in ``$VEILLE_PAGES_DIR``, or without them its gold sentences: ``train.subjects.dev_pages``;
the gold modality of each gold claim the extractor finds,
with the sentence and the figure as the extractor read them; the test split is never read),
parses each with the pipeline veille runs, turns
the figure into the features of :func:`extractors.modality.features`, fits a multinomial
logistic regression and writes it as plain JSON (labels, intercepts, one weight row per
feature) to ``extractors/models/modality.json``, which the claims stage loads once. Prints the
5-fold cross-validated accuracy of the model alone and of the whole decision (model plus the
rules' hard constraints), per label.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from config.settings import NlpSettings
from extractors.cues import load_cues
from extractors.modality import LABELS, MODEL_FILE, decide, features, locate
from extractors.ranker import Multinomial as Model
from extractors.nlp import load_model

DATA = Path(__file__).resolve().parent / "data" / "modality.jsonl"
SEED = 0
C = 1.0
FOLDS = 5


def load_examples(path: Path = DATA, pages: bool = True) -> list[tuple[dict[str, float], str]]:
    """(features, label) for every annotated figure, the pages dev split's included when
    ``pages`` (:func:`page_rows`)."""
    settings = NlpSettings()
    cues = load_cues()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if pages:
        rows += page_rows()
    out: list[tuple[dict[str, float], str]] = []
    for n, row in enumerate(rows, 1):
        text, figure, lang, label = row["text"], row["figure"], row["lang"], row["label"]
        if label not in LABELS or figure not in text:
            raise SystemExit(f"error: {path}:{n}: bad label {label!r} or figure {figure!r} not in text")
        nlp = load_model(settings.fr_model if lang == "fr" else settings.en_model)
        start = text.index(figure)
        fig = locate(nlp(text), start, start + len(figure), cues[lang])
        if fig is None:
            raise SystemExit(f"error: {path}:{n}: figure {figure!r} not on token boundaries")
        out.append((features(fig, cues[lang], row.get("metric")), label))
    return out


def page_rows() -> list[dict[str, str]]:
    """The pages dev split as rows of ``modality.jsonl``: for each gold claim the extractor finds
    (same metric, subject and value), the gold modality, the extractor's sentence and figure."""
    from bench.extract_eval import match_claims
    from config.settings import CONFIG_DIR
    from extractors.claims import ClaimExtractor
    from train.subjects import dev_pages

    articles = dev_pages()[0]
    extractor = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml")
    found = extractor.extract_many([(a.text, a.lang, a.published) for a in articles])
    rows: list[dict[str, str]] = []
    for article, claims in zip(articles, found, strict=True):
        for gold, claim in match_claims(article.claims, claims)[0]:
            if claim is None or gold.get("modality") not in LABELS:
                continue
            figure = article.text[claim.start:claim.end]
            if figure and figure in claim.sentence:
                rows.append({"lang": article.lang, "label": gold["modality"], "figure": figure, "text": claim.sentence,
                             "metric": claim.metric})
    return rows


def fit(examples: Sequence[tuple[dict[str, float], str]]) -> Model:
    vec = DictVectorizer(sparse=False)
    x = vec.fit_transform([f for f, _ in examples])
    y = [label for _, label in examples]
    clf = LogisticRegression(C=C, max_iter=5000, random_state=SEED)
    clf.fit(x, y)
    labels = tuple(str(c) for c in clf.classes_)
    weights = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        row = tuple(round(float(clf.coef_[k][j]), 4) for k in range(len(labels)))
        if any(row):
            weights[str(name)] = row
    return Model(labels, tuple(round(float(b), 4) for b in clf.intercept_), weights)


def cross_validate(examples: Sequence[tuple[dict[str, float], str]]) -> tuple[float, float, dict[str, float]]:
    """Accuracy of the model alone, of model plus constraints, and the latter per label."""
    y = [label for _, label in examples]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    plain = full = 0
    per: Counter[str] = Counter()
    for train_idx, test_idx in folds.split([0] * len(y), y):
        model = fit([examples[i] for i in train_idx])
        for i in test_idx:
            feats, label = examples[i]
            scores = model.scores(feats)
            plain += max(scores, key=lambda k: scores[k]) == label
            ok = decide(feats, "stated", model) == label
            full += ok
            per[label] += ok
    total = Counter(y)
    return plain / len(y), full / len(y), {k: per[k] / total[k] for k in LABELS}


def write(model: Model, path: Path = MODEL_FILE) -> None:
    payload: dict[str, Any] = {
        "about": "modality classifier: multinomial logistic regression over extractors.modality.features; "
                 "written by `python -m train.modality`",
        "seed": SEED,
        "C": C,
        "labels": list(model.labels),
        "intercept": list(model.intercept),
        "weights": {k: list(v) for k, v in sorted(model.weights.items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the modality model.")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--no-pages", action="store_true", help="leave the real pages' dev split out")
    args = parser.parse_args(argv)
    examples = load_examples(args.data, pages=not args.no_pages)
    counts = Counter(label for _, label in examples)
    print(f"{len(examples)} annotated figures: " + ", ".join(f"{k} {counts[k]}" for k in LABELS))
    plain, full, per = cross_validate(examples)
    print(f"{FOLDS}-fold cross-validated accuracy: model alone {plain:.3f}, model + rule constraints {full:.3f}")
    print("  per label (model + constraints): " + ", ".join(f"{k} {per[k]:.2f}" for k in LABELS))
    model = fit(examples)
    write(model, args.out)
    print(f"wrote {args.out} ({len(model.weights)} features, {args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
