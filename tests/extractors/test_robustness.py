"""Arbitrary input returns claims or nothing, never an exception, in bounded time."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.settings import CONFIG_DIR, NlpSettings
from extractors.claims import ClaimExtractor

_SMALL = ClaimExtractor(NlpSettings(max_chars=5_000), CONFIG_DIR / "entities.toml")
_PIECES = st.sampled_from([
    "100 000", "1,5 milliard", "$", "€", " de dollars", " GPU H100", "(", ")", "((", "plus de ", "jusqu’à ",
    "des centaines de", " ou ", "Musk", "xAI ", "Grok 3", "AGI d'ici 2035", "\u202f", "١٢٣", "９９", "10" * 30,
    "…", ". ", "\n", "environ ", "cinq ou six", "billion", "2028", "%", "x", "-", "e308",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=20), max_size=30).map("".join), st.sampled_from(["fr", "en"]))
def test_random_text_never_raises(text: str, lang: str) -> None:
    claims = _SMALL.extract(text, lang)
    for c in claims:
        assert 0 <= c.start <= c.end <= len(text)


def test_pathological_inputs_are_bounded() -> None:
    inputs = ["", "9" * 1_000_000, "(" * 10_000 + "100 GPU" + ")" * 10_000, "Musk veut 5 GPU. " * 300_000]
    for text in inputs:
        t0 = time.monotonic()
        _SMALL.extract(text, "fr")
        assert time.monotonic() - t0 < 30
