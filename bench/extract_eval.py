"""Precision and recall of veille's claims extractor on the hand-annotated gold set.

Run: ``.venv/bin/python bench/extract_eval.py [--set gold|holdout|holdout2|pages|pages_like|sentences|all]
[--split dev|test|all] [--lang fr|en]`` (default all: each set's table printed separately). ``gold`` is the set the rules were tuned on; ``holdout`` was
written and annotated before the second tuning pass and measures how the rules generalise;
``holdout2`` was written, in other outlets' styles, before the third pass read any rule. A predicted claim matches a gold claim when
metric and subject are equal and each bound of the value interval is within 2% (a year exactly; an open bound
must be open in both). ``pages`` is the real-page development set (references in
tests/gold/pages/*.toml, texts outside git in ``$VEILLE_PAGES_DIR``, see bench/pages.py), scored
on its ``--split``; ``all`` includes it only when every text is there. ``pages_like`` holds our
own articles written to reproduce what the real pages do; ``sentences`` scores the real pages'
gold sentences alone (in git: no page text needed), on the same ``--split``. Prints per-metric precision/recall,
then, over matched claims whose gold has the keys, modality and speaker accuracy (overall and per
gold modality), every miss and false positive, then,
when installed, the recall of quantulum3 (English) and Microsoft Recognizers-Text (French and
English) on the same gold figures, judged on value and unit only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config.settings import CONFIG_DIR, NlpSettings  # noqa: E402
from bench.pages import PageRef, load_references, read_text  # noqa: E402
from extractors.claims import MODALITIES, Claim, ClaimExtractor  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold"
ARTICLES_DIR = ROOT / "tests" / "fixtures" / "articles"
HOLDOUT_DIR = GOLD_DIR / "holdout"
HOLDOUT_ARTICLES_DIR = ARTICLES_DIR / "holdout"
HOLDOUT2_DIR = GOLD_DIR / "holdout2"
HOLDOUT2_ARTICLES_DIR = ARTICLES_DIR / "holdout2"
PAGES_LIKE_DIR = GOLD_DIR / "pages_like"
PAGES_LIKE_ARTICLES_DIR = ARTICLES_DIR / "pages_like"
PAGES_GOLD_DIR = GOLD_DIR / "pages"
SETS = ("gold", "holdout", "holdout2", "pages", "pages_like", "sentences")
SPLITS = ("dev", "test", "all")
TOLERANCE = 0.02


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    lang: str
    text: str
    published: datetime.date | None
    claims: tuple[dict[str, Any], ...]
    split: str | None = None
    """``dev`` or ``test`` for the real pages; ``None`` for the sets written in-house."""
    title: str | None = None
    """The page's headline as its reference gives it (None where the reference had to describe it)."""


@dataclass(slots=True)
class Report:
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fn: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    modality_pairs: list[tuple[str, str]] = field(default_factory=list)
    """(gold, predicted) modality of every matched claim whose gold has one."""
    speaker_pairs: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    """(gold modality or "?", gold speaker, predicted speaker) of every matched claim whose gold
    has a speaker key."""

    @property
    def precision(self) -> float:
        tp, fp = sum(self.tp.values()), sum(self.fp.values())
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = sum(self.tp.values()), sum(self.fn.values())
        return tp / (tp + fn) if tp + fn else 1.0

    def modality_accuracy(self, kind: str | None = None) -> tuple[int, int]:
        """(right, scored) modalities over matched claims, optionally of one gold modality."""
        pairs = [p for p in self.modality_pairs if kind is None or p[0] == kind]
        return sum(g == c for g, c in pairs), len(pairs)

    def speaker_accuracy(self, kind: str | None = None) -> tuple[int, int]:
        """(right, scored) speakers over matched claims, optionally of one gold modality."""
        triples = [t for t in self.speaker_pairs if kind is None or t[0] == kind]
        return sum(_same_speaker(g, c) for _, g, c in triples), len(triples)


def load_gold() -> list[GoldArticle]:
    """Every annotated article of the tuning set, in name order."""
    return _load(GOLD_DIR, ARTICLES_DIR)


def load_holdout() -> list[GoldArticle]:
    """Every annotated article of the held-out set, in name order."""
    return _load(HOLDOUT_DIR, HOLDOUT_ARTICLES_DIR)


def load_holdout2() -> list[GoldArticle]:
    """Every annotated article of the second held-out set, in name order."""
    return _load(HOLDOUT2_DIR, HOLDOUT2_ARTICLES_DIR)


def load_pages_like() -> list[GoldArticle]:
    """Our own articles reproducing what the real pages do (runs in CI, no texts needed)."""
    return _load(PAGES_LIKE_DIR, PAGES_LIKE_ARTICLES_DIR)


def load_pages(split: str = "all", lang: str | None = None, pages: Path | None = None) -> list[GoldArticle]:
    """The real-page development set: references and gold from git, texts from the pages dir.

    ``FileNotFoundError`` (naming the file) when a text is missing."""
    return _load_pages(split, lang, lambda ref, claims: read_text(ref, pages))


def load_page_sentences(split: str = "all", lang: str | None = None) -> list[GoldArticle]:
    """The real pages reduced to what git holds: per article, its gold sentences in gold order,
    each its own paragraph, scored against that article's gold, with the reference's headline as
    the title (as a feed gives its entry's; none where the reference had to describe the page).
    No page text is read, so this runs anywhere (CI included); it measures reading a figure, its
    metric, modality and speaker in real sentences, and a subject only where those sentences or
    the headline name it (the rest of the page, with its earlier mentions, is not there)."""
    return _load_pages(split, lang, lambda ref, claims: "\n\n".join(
        dict.fromkeys(c["sentence"].strip() for c in claims)))


def _load_pages(split: str, lang: str | None,
                text_of: Callable[[PageRef, tuple[dict[str, Any], ...]], str]) -> list[GoldArticle]:
    """Each reference of ``split`` with its gold claims and the text ``text_of`` gives it."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    out = []
    for ref in load_references(lang, PAGES_GOLD_DIR):
        if split != "all" and ref.split != split:
            continue
        lines = (PAGES_GOLD_DIR / f"{ref.lang}__{ref.slug}.claims.jsonl").read_text(encoding="utf-8").splitlines()
        claims = tuple(json.loads(line) for line in lines if line.strip())
        out.append(GoldArticle(ref.key, ref.lang, text_of(ref, claims), _published(ref.published), claims, ref.split,
                               headline(ref.title)))
    return out


_TITLE_NOTE = re.compile(r"\s*\((?:title from|descriptive)[^()]*\)\s*$")


def headline(title: str) -> str | None:
    """A reference's title without its note on where it came from ("(title from URL slug)");
    None for a title the annotator wrote ("(descriptive: neither the text nor the URL …)"),
    which no feed would give."""
    note = _TITLE_NOTE.search(title)
    if note is not None and note.group().strip().startswith("(descriptive"):
        return None
    return title[:note.start()] if note is not None else title


def pages_present(pages: Path | None = None) -> bool:
    """Whether every real-page text is in the pages dir (``--set all`` scores them only then)."""
    try:
        load_pages("all", None, pages)
    except FileNotFoundError:
        return False
    return True


def _published(value: str) -> datetime.date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` (its first day) or empty."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


def load_set(name: str, split: str = "all", lang: str | None = None) -> list[GoldArticle]:
    """One named set of :data:`SETS` (``split`` applies to ``pages``; ``lang`` to every set)."""
    if name == "pages":
        return load_pages(split, lang)
    if name == "sentences":
        return load_page_sentences(split, lang)
    loaders = {"gold": load_gold, "holdout": load_holdout, "holdout2": load_holdout2,
               "pages_like": load_pages_like}
    if name not in loaders:
        raise ValueError(f"unknown gold set {name!r}; expected one of {SETS}")
    return [a for a in loaders[name]() if lang is None or a.lang == lang]


def _load(gold_dir: Path, articles_dir: Path) -> list[GoldArticle]:
    with (gold_dir / "articles.toml").open("rb") as fh:
        published = tomllib.load(fh)["published"]
    out = []
    for key in sorted(published):
        lang, name = key.split("/")
        text = (articles_dir / lang / f"{name}.txt").read_text(encoding="utf-8")
        lines = (gold_dir / f"{lang}__{name}.claims.jsonl").read_text(encoding="utf-8").splitlines()
        claims = tuple(json.loads(line) for line in lines if line.strip())
        out.append(GoldArticle(key, lang, text, published[key], claims))
    return out


def close(a: float | None, b: float | None, unit: str | None = None) -> bool:
    """Bounds that agree: both open, or within 2 % (years exactly: 2 % of 2025 is 40 years)."""
    if a is None or b is None:
        return a is None and b is None
    if unit == "year":
        return abs(a - b) < 0.5
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-9)


def matches(gold: dict[str, Any], claim: Claim) -> bool:
    unit = gold.get("unit")
    return (gold["metric"] == claim.metric and gold["subject"] == claim.subject
            and close(gold["value_low"], claim.value_low, unit) and close(gold["value_high"], claim.value_high, unit))


def match_claims(
    gold: Sequence[dict[str, Any]], claims: Sequence[Claim]
) -> tuple[list[tuple[dict[str, Any], Claim | None]], list[Claim]]:
    """Each gold claim with the first predicted claim that :func:`matches` it and no earlier gold
    took (or None), in gold order; and the predicted claims no gold took."""
    left = list(claims)
    paired: list[tuple[dict[str, Any], Claim | None]] = []
    for g in gold:
        hit = next((c for c in left if matches(g, c)), None)
        if hit is not None:
            left.remove(hit)
        paired.append((g, hit))
    return paired, left


def evaluate(extractor: ClaimExtractor, articles: Sequence[GoldArticle]) -> Report:
    """Match predictions against gold, one-to-one, per article."""
    report = Report()
    predicted = extractor.extract_many([(a.text, a.lang, a.published) for a in articles],
                                       titles=[a.title for a in articles])
    for article, claims in zip(articles, predicted, strict=True):
        paired, left = match_claims(article.claims, claims)
        for g, hit in paired:
            if hit is not None:
                report.tp[g["metric"]] += 1
                if "modality" in g:
                    report.modality_pairs.append((g["modality"], hit.modality))
                if "speaker" in g:
                    report.speaker_pairs.append((g.get("modality", "?"), g["speaker"], hit.speaker))
            else:
                report.fn[g["metric"]] += 1
                report.misses.append(f"{article.name}: {_fmt_gold(g)}")
        for c in left:
            report.fp[c.metric] += 1
            report.false_positives.append(f"{article.name}: {_fmt_claim(c)}  «{article.text[c.start:c.end]}»")
    return report


def _same_speaker(gold: str | None, got: str | None) -> bool:
    if gold is None or got is None:
        return gold is got
    return gold.casefold() == got.casefold()


def _fmt_gold(g: dict[str, Any]) -> str:
    return f"{g['metric']} {g['subject']} [{g['value_low']}, {g['value_high']}] {g['unit']}"


def _fmt_claim(c: Claim) -> str:
    return f"{c.metric} {c.subject} [{c.value_low}, {c.value_high}] {c.unit}"


def print_report(report: Report) -> None:
    metrics = sorted(set(report.tp) | set(report.fp) | set(report.fn))
    print(f"{'metric':<22}{'gold':>6}{'found':>7}{'ok':>5}{'precision':>11}{'recall':>8}")
    for m in metrics:
        tp, fp, fn = report.tp[m], report.fp[m], report.fn[m]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        print(f"{m:<22}{tp + fn:>6}{tp + fp:>7}{tp:>5}{p:>11.2f}{r:>8.2f}")
    print(f"{'ALL':<22}{sum(report.tp.values()) + sum(report.fn.values()):>6}"
          f"{sum(report.tp.values()) + sum(report.fp.values()):>7}{sum(report.tp.values()):>5}"
          f"{report.precision:>11.2f}{report.recall:>8.2f}")
    _print_modality_speaker(report)
    print("\nmisses:")
    for line in report.misses:
        print("  -", line)
    print("\nfalse positives:")
    for line in report.false_positives:
        print("  +", line)


def _print_modality_speaker(report: Report) -> None:
    """Modality and speaker accuracy over matched claims, overall and per gold modality."""
    if not report.modality_pairs and not report.speaker_pairs:
        return
    print(f"\n{'over matched claims':<22}{'modality':>16}{'speaker':>16}")
    for kind in (None, *MODALITIES):
        m_ok, m_n = report.modality_accuracy(kind)
        s_ok, s_n = report.speaker_accuracy(kind)
        if not m_n and not s_n:
            continue
        print(f"{kind or 'ALL':<22}{_ratio(m_ok, m_n):>16}{_ratio(s_ok, s_n):>16}")


def _ratio(ok: int, n: int) -> str:
    return f"{ok / n:.2f} ({ok}/{n})" if n else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of the claims extractor.")
    parser.add_argument("--set", dest="which", choices=(*SETS, "all"), default="all",
                        help="which annotated set to score (default: all, each printed separately)")
    parser.add_argument("--split", choices=SPLITS, default="all",
                        help="real pages only: the dev split, the test split (never tuned on) or all")
    parser.add_argument("--lang", choices=("fr", "en"), help="score only the articles in this language")
    parser.add_argument("--no-peers", action="store_true", help="skip the peer-extractor comparison")
    args = parser.parse_args(argv)
    names = list(SETS if args.which == "all" else (args.which,))
    try:
        if args.which == "all" and not pages_present():
            print("(pages set left out: its texts are not in $VEILLE_PAGES_DIR; see bench/pages.py)")
            names.remove("pages")
        loaded = [(name, load_set(name, args.split, args.lang)) for name in names]
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    extractor = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml")
    for name, articles in loaded:
        if not articles:
            print(f"=== {name} set: no articles{f' in {args.lang}' if args.lang else ''} ===\n")
            continue
        split = f", {args.split} split" if name in ("pages", "sentences") else ""
        print(f"=== {name} set{split}: {len(articles)} articles, {sum(len(a.claims) for a in articles)} claims ===")
        print_report(evaluate(extractor, articles))
        if name in ("pages", "sentences") and args.split == "all":
            for part in ("dev", "test"):
                sub = [a for a in articles if a.split == part]
                if sub:
                    r = evaluate(extractor, sub)
                    print(f"{part} split: {len(sub)} articles, {sum(len(a.claims) for a in sub)} claims: "
                          f"precision {r.precision:.2f}, recall {r.recall:.2f}")
        print()
        if not args.no_peers:
            _peers(articles)
            print()
    return 0


def _peers(articles: Sequence[GoldArticle]) -> None:
    """Recall of other quantity extractors on the gold figures, judged on value and unit only."""
    figures = [(a, g) for a in articles for g in a.claims if g["metric"] != "agi_date"]
    if not figures:
        return
    print(f"peer recall on {len(figures)} gold figures (value within 2% and unit; AGI dates left out):")
    veille = ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml")
    found = {a.name: veille.extract(a.text, a.lang, published=a.published) for a in articles}
    hits = sum(any(_value_unit_match(g, c.value_low, c.value_high, c.unit) for c in found[a.name]) for a, g in figures)
    print(f"  veille                      {hits / len(figures):.2f}")
    try:
        from quantulum3 import parser as q3  # type: ignore[import-not-found]
    except ImportError as exc:
        print(f"  quantulum3 (en)             not installed here ({exc.name}); "
              "pip install quantulum3 to compare")
    else:
        en = [(a, g) for a, g in figures if a.lang == "en"]
        if not en:
            print("  quantulum3 (en only)        no English figures here")
        else:
            parsed = {a.name: q3.parse(a.text) for a in articles if a.lang == "en"}
            hits = sum(any(_value_unit_match(g, q.value, q.value, _q3_unit(q)) for q in parsed[a.name])
                       for a, g in en)
            print(f"  quantulum3 (en only)        {hits / len(en):.2f}")
    try:
        from recognizers_number_with_unit import (  # type: ignore[import-not-found]
            NumberWithUnitRecognizer,
        )
        from recognizers_text import Culture  # type: ignore[import-not-found]
    except ImportError as exc:
        print(f"  Recognizers-Text (fr, en)   not installed here ({exc.name}); "
              "pip install recognizers-text-suite to compare")
    else:
        from recognizers_number import NumberRecognizer  # type: ignore[import-not-found]

        # Money through the currency model (value and currency must match); other figures
        # through the number model, judged on the value alone since it has no unit to give.
        money = NumberWithUnitRecognizer(Culture.English)
        numbers = NumberRecognizer(Culture.English)
        hits = 0
        for a, g in figures:
            culture = Culture.French if a.lang == "fr" else Culture.English
            if g["unit"] in ("USD", "EUR"):
                results = money.get_currency_model(culture).parse(a.text)
                hits += any(_value_unit_match(g, _num(r), _num(r), _rt_unit(r)) for r in results)
            else:
                results = numbers.get_number_model(culture).parse(a.text)
                hits += any(_value_unit_match(g, _num(r), _num(r), g["unit"]) for r in results)
        print(f"  Recognizers-Text (fr, en)   {hits / len(figures):.2f}")


def _value_unit_match(g: dict[str, Any], low: float | None, high: float | None, unit: str | None) -> bool:
    want_low = g["value_low"] if g["value_low"] is not None else g["value_high"]
    want_high = g["value_high"] if g["value_high"] is not None else g["value_low"]
    got_low = low if low is not None else high
    got_high = high if high is not None else low
    return unit == g["unit"] and close(want_low, got_low, unit) and close(want_high, got_high, unit)


def _q3_unit(q: Any) -> str | None:
    name = getattr(q.unit, "name", "") or ""
    entity = getattr(getattr(q.unit, "entity", None), "name", "") or ""
    if "dollar" in name:
        return "USD"
    if "euro" in name:
        return "EUR"
    if entity == "time" or name in ("day", "month", "year"):
        return name.rstrip("s")
    if "GPU" in str(getattr(q, "surface", "")) or "chip" in str(getattr(q, "surface", "")):
        return "GPU"
    return name or None


def _num(r: Any) -> float | None:
    value = (r.resolution or {}).get("value") if isinstance(r.resolution, dict) else None
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _rt_unit(r: Any) -> str | None:
    res = r.resolution if isinstance(r.resolution, dict) else {}
    iso = res.get("isoCurrency") or ""
    unit = str(res.get("unit") or "").casefold()
    return iso or {"dollar": "USD", "euro": "EUR"}.get(unit) or None


if __name__ == "__main__":
    raise SystemExit(main())
