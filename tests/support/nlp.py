"""One claims extractor per test session: spaCy models load once (the French one takes ~9 s)."""

from __future__ import annotations

import pytest

from config.settings import load_settings
from extractors.claims import ClaimExtractor


@pytest.fixture(scope="session")
def extractor() -> ClaimExtractor:
    settings = load_settings()
    return ClaimExtractor(settings.nlp, settings.entities_file)
