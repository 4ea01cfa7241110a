"""The real-page development set: references in git, texts outside it.

    .venv/bin/python bench/pages.py check [--lang fr|en]
    .venv/bin/python bench/pages.py save --lang fr --slug NAME [--url URL] [FILE]

References live in ``tests/gold/pages/<lang>.toml`` (one table per article: slug, lang, url,
title, outlet, published, query, split, sha256, chars, first_words, last_words); the texts they
describe are stored public pages that are not ours to copy, so they stay outside git in
``$VEILLE_PAGES_DIR/<lang>/<slug>.txt`` (default ``var/pages``, which git ignores).

``check`` verifies every reference against its text (present, sha256, first and last words) and
prints one line per problem; it exits 1 on any. ``save`` writes a text read from FILE or stdin,
byte for byte, under the pages dir and prints the reference fields to paste into the toml file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFERENCES_DIR = ROOT / "tests" / "gold" / "pages"
DEFAULT_PAGES_DIR = ROOT / "var" / "pages"
SPLITS = ("dev", "test")
EDGE_WORDS = 8


@dataclass(frozen=True, slots=True)
class PageRef:
    """One article of the set, as its reference table describes it."""

    slug: str
    lang: str
    url: str
    title: str
    outlet: str
    published: str
    query: str
    split: str
    sha256: str
    chars: int
    first_words: str
    last_words: str

    @property
    def key(self) -> str:
        return f"{self.lang}/{self.slug}"


def pages_dir() -> Path:
    """Where the texts are: ``$VEILLE_PAGES_DIR``, else ``var/pages`` under the repository."""
    value = os.environ.get("VEILLE_PAGES_DIR")
    return Path(value) if value else DEFAULT_PAGES_DIR


def text_path(lang: str, slug: str, base: Path | None = None) -> Path:
    return (base or pages_dir()) / lang / f"{slug}.txt"


def load_references(lang: str | None = None, directory: Path = REFERENCES_DIR) -> list[PageRef]:
    """Every reference of ``directory/*.toml`` (optionally one language), in key order.

    A file may hold ``[[article]]`` tables or one table per slug (``[<slug>]``); both read the
    same. A table missing a field raises ``ValueError`` naming the file and the slug."""
    refs: list[PageRef] = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        tables: list[dict[str, Any]] = list(data.get("article", []))
        tables += [dict(value, slug=value.get("slug", key)) for key, value in data.items()
                   if key != "article" and isinstance(value, dict)]
        for table in tables:
            refs.append(_ref(path, table))
    refs = [r for r in refs if lang is None or r.lang == lang]
    return sorted(refs, key=lambda r: r.key)


def _ref(path: Path, table: dict[str, Any]) -> PageRef:
    try:
        ref = PageRef(
            slug=str(table["slug"]), lang=str(table["lang"]), url=str(table["url"]),
            title=str(table["title"]), outlet=str(table["outlet"]),
            published=str(table.get("published", "")), query=str(table["query"]),
            split=str(table["split"]), sha256=str(table["sha256"]), chars=int(table["chars"]),
            first_words=str(table["first_words"]), last_words=str(table["last_words"]),
        )
    except KeyError as exc:
        raise ValueError(f"{path}: {table.get('slug', '?')}: missing field {exc.args[0]!r}") from exc
    if ref.split not in SPLITS:
        raise ValueError(f"{path}: {ref.slug}: split {ref.split!r} is not one of {SPLITS}")
    return ref


def read_text(ref: PageRef, base: Path | None = None) -> str:
    """The text of one reference; ``FileNotFoundError`` names the missing file."""
    path = text_path(ref.lang, ref.slug, base)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: text of {ref.key} is missing (rebuild it: README, "
                                "'Real-page development set')")
    return path.read_bytes().decode("utf-8")


def fingerprint(text: str) -> dict[str, Any]:
    """The reference fields computed from a text."""
    words = text.split()
    return {
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "chars": len(text),
        "first_words": " ".join(words[:EDGE_WORDS]),
        "last_words": " ".join(words[-EDGE_WORDS:]),
    }


def problems(ref: PageRef, base: Path | None = None) -> list[str]:
    """What is wrong with one reference's text, one line each (empty when all is well)."""
    try:
        text = read_text(ref, base)
    except FileNotFoundError as exc:
        return [str(exc)]
    except UnicodeDecodeError as exc:
        return [f"{text_path(ref.lang, ref.slug, base)}: not UTF-8 ({exc.reason})"]
    got = fingerprint(text)
    path = text_path(ref.lang, ref.slug, base)
    out = []
    if got["first_words"] != ref.first_words:
        out.append(f"{path}: first words {got['first_words']!r}, reference says {ref.first_words!r}")
    if got["last_words"] != ref.last_words:
        out.append(f"{path}: last words {got['last_words']!r}, reference says {ref.last_words!r}")
    if got["sha256"] != ref.sha256:
        hint = ""
        if not out and abs(got["chars"] - ref.chars) <= 8:
            hint = " (edges and length agree: likely spacing inside the text, e.g. non-breaking spaces)"
        out.append(f"{path}: sha256 {got['sha256'][:12]}…, reference says {ref.sha256[:12]}…, "
                   f"{got['chars']} chars vs {ref.chars}{hint}")
    return out


def check(lang: str | None, references: Path = REFERENCES_DIR) -> int:
    refs = load_references(lang, references)
    if not refs:
        print(f"error: {references}: no references{f' for {lang}' if lang else ''}", file=sys.stderr)
        return 1
    lines = [line for ref in refs for line in problems(ref)]
    for line in lines:
        print(line)
    print(f"{len(refs)} references checked against {pages_dir()}: {len(lines)} problem(s)",
          file=sys.stderr)
    return 1 if lines else 0


def save(lang: str, slug: str, source: str | None, url: str | None) -> int:
    try:
        raw = Path(source).read_bytes() if source else sys.stdin.buffer.read()
        text = raw.decode("utf-8")
    except OSError as exc:
        print(f"error: {source}: {exc.strerror}", file=sys.stderr)
        return 1
    except UnicodeDecodeError as exc:
        print(f"error: {source or 'stdin'}: not UTF-8 ({exc.reason})", file=sys.stderr)
        return 1
    if not text.strip():
        print(f"error: {source or 'stdin'}: empty text", file=sys.stderr)
        return 1
    path = text_path(lang, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    fields = {"slug": slug, "lang": lang, **({"url": url} if url else {}), **fingerprint(text)}
    print("[[article]]")
    for key, value in fields.items():
        print(f"{key} = {value}" if isinstance(value, int) else f"{key} = {_toml_str(value)}")
    print(f"# saved {path}; add title, outlet, published, query, split", file=sys.stderr)
    return 0


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Real-page development set: check or save texts.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="verify every reference's text in the pages dir")
    p_check.add_argument("--lang", choices=("fr", "en"))
    p_check.add_argument("--references", type=Path, default=REFERENCES_DIR,
                         help=f"directory of the reference files (default {REFERENCES_DIR.relative_to(ROOT)})")
    p_save = sub.add_parser("save", help="write a text under the pages dir, print its reference")
    p_save.add_argument("--lang", required=True, choices=("fr", "en"))
    p_save.add_argument("--slug", required=True)
    p_save.add_argument("--url")
    p_save.add_argument("file", nargs="?", help="the text (default: stdin)")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return check(args.lang, args.references)
        return save(args.lang, args.slug, args.file, args.url)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
