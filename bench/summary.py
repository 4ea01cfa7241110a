"""Summaries: the extractive default against the ``transformers`` backend on the fixture articles.

Run: ``.venv/bin/python bench/summary.py [--model-dir DIR] [--device cpu|cuda]``. Prints, per
article and in total, the words of each summary and the time it took (the model's load time
apart), the extractive run being the baseline in the same process. Without ``--model-dir`` only
the baseline runs (no model ships with veille: point it at a local copy of a multilingual
seq2seq summariser, see the README).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config.settings import SummarySettings  # noqa: E402
from extractors.summary import summarize  # noqa: E402

ARTICLES = sorted((ROOT / "tests" / "fixtures" / "articles").glob("[ef][nr]/*.txt"))


def _run(settings: SummarySettings, texts: list[tuple[str, str]]) -> list[tuple[str, int, float]]:
    out = []
    for name, text in texts:
        t0 = time.perf_counter()
        summary = summarize(text, [], settings)
        out.append((name, len(summary.split()), time.perf_counter() - t0))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", help="local seq2seq model directory (config.json, tokenizer)")
    parser.add_argument("--max-new-tokens", type=int, default=96)
    args = parser.parse_args(argv)
    texts = [(f"{p.parent.name}/{p.stem}", p.read_text(encoding="utf-8")) for p in ARTICLES]
    base = _run(SummarySettings(), texts)
    rows = {name: [words, secs] for name, words, secs in base}
    if args.model_dir:
        settings = SummarySettings(backend="transformers", model_dir=args.model_dir, max_new_tokens=args.max_new_tokens)
        t0 = time.perf_counter()
        summarize(texts[0][1], [], settings)  # load (and warm) the model once
        print(f"model {args.model_dir}: loaded and warmed in {time.perf_counter() - t0:.1f} s")
        for name, words, secs in _run(settings, texts):
            rows[name] += [words, secs]
    print(f"{'article':32} {'extr. words':>11} {'extr. ms':>9}" + (f" {'model words':>11} {'model ms':>9}" if args.model_dir else ""))
    for name, values in rows.items():
        line = f"{name:32} {values[0]:>11} {values[1] * 1000:>9.1f}"
        if len(values) == 4:
            line += f" {values[2]:>11} {values[3] * 1000:>9.1f}"
        print(line)
    total_extr = sum(v[1] for v in rows.values())
    print(f"extractive: {total_extr / len(rows) * 1000:.1f} ms per article")
    if args.model_dir:
        total_model = sum(v[3] for v in rows.values())
        print(f"transformers: {total_model / len(rows) * 1000:.1f} ms per article, "
              f"{total_model / total_extr:.0f}x the extractive time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
