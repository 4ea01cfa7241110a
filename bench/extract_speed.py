"""Claims extraction throughput next to spaCy's own ``nlp.pipe`` on the same model and components.

Run: ``.venv/bin/python bench/extract_speed.py``. The French corpus articles are repeated to at
least 100k words; both sides parse the same texts with the same enabled components
(:data:`extractors.nlp.KEEP`) and batch size, in the same process, after one warm-up pass;
veille also reads a headline per text (its first line), as the daemon reads each feed entry's title.
The two sides alternate over ``--rounds`` rounds (default 3) and the median of the per-round
ratios is the figure: on a machine whose speed drifts (a shared host), one sequential pair can
be off by 20 % either way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config.settings import CONFIG_DIR, NlpSettings  # noqa: E402
from extractors.claims import ClaimExtractor  # noqa: E402
from extractors.nlp import load_model  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "articles" / "fr"
MIN_WORDS = 100_000


def main() -> int:
    parser = argparse.ArgumentParser(description="Claims extraction throughput next to spaCy's nlp.pipe.")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the median ratio is printed")
    args = parser.parse_args()
    base = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts: list[str] = []
    while sum(len(t.split()) for t in texts) < MIN_WORDS:
        texts.extend(base)
    words = sum(len(t.split()) for t in texts)
    titles = [t.strip().split("\n", 1)[0][:200] for t in texts]  # as the daemon reads each entry's title
    settings = NlpSettings()
    extractor = ClaimExtractor(settings, CONFIG_DIR / "entities.toml")
    nlp = load_model(settings.fr_model)
    extractor.extract_many([(t, "fr", None) for t in base])  # warm-up: model load, caches
    list(nlp.pipe(base, batch_size=settings.batch_size))

    ratios: list[float] = []
    for n in range(1, args.rounds + 1):
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.batch_size):
            pass
        spacy_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        claims = extractor.extract_many([(t, "fr", None) for t in texts], titles=titles)
        veille_s = time.perf_counter() - t0
        ratios.append(spacy_s / veille_s)
        if n == 1:
            print(f"model {settings.fr_model}, components {nlp.pipe_names}, batch_size {settings.batch_size}")
            print(f"{len(texts)} texts, {words} words, {sum(map(len, claims))} claims")
        print(f"round {n}: spaCy nlp.pipe {words / spacy_s:>6.0f} words/s, veille claims {words / veille_s:>6.0f} words/s"
              f" -> {ratios[-1]:.2f}x")
    print(f"ratio          : {statistics.median(ratios):.2f}x of spaCy's throughput (median of {len(ratios)} rounds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
