"""Speaker and plan agreement of the modality post-pass with the hand-annotated gold sets.

Run: ``.venv/bin/python bench/modality_eval.py [--set gold|holdout|holdout2|all]``. Claims are
matched to gold as in ``bench/extract_eval.py`` (metric, subject, value within 2%); on the
matched pairs it prints how often the speaker is the annotated one (null included), how the
gold's plan flag (``is_plan``) agrees with ``modality == "plan"``, and the modality counts.
The gold sets were annotated before modality existed: they hold speakers and plans only.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.extract_eval import SETS, load_set, matches, pages_present  # noqa: E402
from config.settings import CONFIG_DIR, NlpSettings  # noqa: E402
from extractors.claims import MODALITIES, ClaimExtractor  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speaker and plan agreement with the gold sets.")
    parser.add_argument("--set", dest="which", choices=(*SETS, "all"), default="all")
    parser.add_argument("--show", action="store_true", help="print every speaker disagreement")
    args = parser.parse_args(argv)
    names = list(SETS if args.which == "all" else (args.which,))
    try:
        if args.which == "all" and not pages_present():
            print("(pages set left out: its texts are not in $VEILLE_PAGES_DIR; see bench/pages.py)")
            names.remove("pages")
        loaded = [(name, load_set(name)) for name in names]
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    extractor = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml")
    for name, articles in loaded:
        predicted = extractor.extract_many([(a.text, a.lang, a.published) for a in articles])
        pairs = []
        for article, claims in zip(articles, predicted, strict=True):
            left = list(claims)
            for g in article.claims:
                hit = next((c for c in left if matches(g, c)), None)
                if hit is not None:
                    left.remove(hit)
                    pairs.append((article.name, g, hit))
        spoken = [(n, g, c) for n, g, c in pairs if g.get("speaker")]
        speaker_ok = sum(g.get("speaker") == c.speaker for _, g, c in pairs)
        spoken_ok = sum(g["speaker"] == c.speaker for _, g, c in spoken)
        plan = Counter((bool(g.get("is_plan")), c.modality == "plan") for _, g, c in pairs)
        modalities = Counter(c.modality for _, _, c in pairs)
        print(f"=== {name}: {len(pairs)} matched claims ===")
        print(f"speaker right (null included): {speaker_ok}/{len(pairs)} = {speaker_ok / max(len(pairs), 1):.2f}")
        print(f"speaker right where gold names one: {spoken_ok}/{len(spoken)} = {spoken_ok / max(len(spoken), 1):.2f}")
        tp, fp, fn = plan[(True, True)], plan[(False, True)], plan[(True, False)]
        print(f"plan vs gold is_plan: precision {tp / max(tp + fp, 1):.2f}, recall {tp / max(tp + fn, 1):.2f} "
              f"({tp} agree, {fp} extra, {fn} missed)")
        print("modality: " + ", ".join(f"{m} {modalities[m]}" for m in MODALITIES))
        if args.show:
            for n, g, c in pairs:
                if g.get("speaker") != c.speaker:
                    print(f"  {n}: gold {g.get('speaker')!r} got {c.speaker!r}  «{c.sentence[:140]}»")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
