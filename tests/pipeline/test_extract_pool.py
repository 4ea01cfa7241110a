"""Claims extracted by a pool of processes are exactly those of one process, in input order,
and a cycle run with the pool stores what a cycle with one process stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.errors import ExtractionError
from config.settings import NlpSettings, load_settings
from extractors.claims import ClaimExtractor
from pipeline.extract_pool import ExtractorPool, _shares, make_extractor, processes_for

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted((ROOT / "tests" / "fixtures" / "english").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "ingest").glob("*.txt")
)


def test_the_pool_gives_the_claims_of_one_process(extractor: ClaimExtractor) -> None:
    settings = load_settings()
    items = [
        (path.read_text(encoding="utf-8"), "fr" if path.name.startswith("fr_") else "en", dt.date(2025, 1, 28))
        for path in TEXTS
    ] * 2
    assert len(items) >= 4
    expected = extractor.extract_many(items)
    titled = [("La start-up a déclaré un chiffre d'affaires de 30 millions d'euros.", "fr", None),
              *items[:2], ("The full-year revenue reached $1.92 billion in 2024.", "en", None)]
    heads = ["Mistral AI lève 600 millions d'euros", None, None, "CoreWeave files for IPO"]
    with_heads = extractor.extract_many(titled, titles=heads)
    assert with_heads[0][0].subject == "Mistral AI" and with_heads[-1][0].subject == "CoreWeave"
    with ExtractorPool(settings.nlp, settings.entities_file, processes=2) as pool:
        pids = {future.result(timeout=300) for future in pool._warm}
        got = pool.extract_many(items)
        # what a cycle sends ahead (one batch per feed, from the polling thread) gives the same
        ahead = [pool.submit(items[i : i + 2]) for i in range(0, len(items), 2)]
        assert [c for pending in ahead for a in pending.result() for c in [a.claims]] == expected
        assert pool.extract_many([]) == [] and pool.extract_many(items[:1]) == expected[:1]
        # the headlines go with their texts to the processes, shared out as the texts are
        assert pool.extract_many(titled, titles=heads) == with_heads
        assert [a.claims for a in pool.submit(titled, heads).result()] == with_heads
        with pytest.raises(ExtractionError, match="unsupported language 'de'"):
            pool.extract_many([("Hallo Welt, 10 GPU.", "de", None)])
    assert got == expected and sum(map(len, got)) > 10
    assert len(pids) == 2  # two processes did load the pipelines


def test_shares_are_contiguous_and_balanced_by_length() -> None:
    items = [("x" * n, "fr", None) for n in (100, 100, 100, 100, 400)]
    shares = _shares(items, 2)
    assert [len(s) for s in shares] == [4, 1] and [i for s in shares for i in s] == items
    assert _shares(items[:1], 4) == [items[:1]] and _shares([], 2) == []


def test_process_count_follows_the_setting() -> None:
    assert processes_for(NlpSettings(processes=3)) == 3
    assert processes_for(NlpSettings(processes=0)) >= 1
    settings = load_settings()
    assert type(make_extractor(NlpSettings(processes=1), settings.entities_file)) is ClaimExtractor


def test_the_pool_gives_the_names_too_and_its_processes_die_with_their_parent() -> None:
    """What the cycle calls (``analyse_many``: claims and named mentions) goes through the
    pool; a SIGKILLed parent leaves no extraction process behind."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    settings = load_settings()
    items = [("Selon Reuters, xAI a levé 6 milliards de dollars en décembre 2024.", "fr", None)]
    with ExtractorPool(settings.nlp, settings.entities_file, processes=2) as pool:
        [analysis] = pool.analyse_many(items)
    [alone] = ClaimExtractor(settings.nlp, settings.entities_file).analyse_many(items)
    assert analysis == alone and any(m.name == "xAI" for m in analysis.mentions)

    script = (
        "import os, time\n"
        "from config.settings import load_settings\n"
        "from pipeline.extract_pool import ExtractorPool\n"
        "s = load_settings()\n"
        "pool = ExtractorPool(s.nlp, s.entities_file, processes=2)\n"
        "print(' '.join(str(f.result()) for f in pool._warm), flush=True)\n"
        "time.sleep(120)\n"
    )
    root = Path(__file__).resolve().parents[2]
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        children = [int(p) for p in parent.stdout.readline().split()]
        assert len(children) >= 1
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        alive = children
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            alive = [p for p in children if _alive(p)]
        assert not alive, f"extraction processes {alive} outlived their SIGKILLed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.wait(timeout=30)
        if parent.stdout is not None:
            parent.stdout.close()


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its reaper counts as gone
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
