"""One ClaimExtractor per test session: spaCy models load once (the French one takes seconds)."""

from __future__ import annotations

import pytest

from config.settings import CONFIG_DIR, NlpSettings
from extractors.claims import ClaimExtractor


@pytest.fixture(scope="session")
def extractor() -> ClaimExtractor:
    return ClaimExtractor(NlpSettings(), CONFIG_DIR / "entities.toml")
