"""The metric registry and the lexicons are data the extractor cannot run without: every
contract metric has one registry entry, and the two languages list the same cue keys."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.settings import CONFIG_DIR
from extractors import lexicon
from extractors.contract import METRICS
from extractors.metric import REGISTRY, load_registry, money_metric


def test_every_contract_metric_has_one_registry_entry() -> None:
    names = [m.name for m in REGISTRY]
    assert sorted(names) == sorted(METRICS)
    assert all(m.units and m.label for m in REGISTRY)


def test_both_lexicons_name_the_same_keys() -> None:
    keys = {lang: set(tomllib.loads((CONFIG_DIR / f"lexicon_{lang}.toml").read_text("utf-8"))) for lang in lexicon.LANGS}
    assert keys["fr"] == keys["en"]


def test_registry_cues_type_money() -> None:
    assert money_metric("La start-up a levé 2 milliards", 22, 32) == "funding"
    assert money_metric("Elle a essuyé une perte nette de 2 milliards", 33, 43) == "other"


def _metric(sentence: str, figure: str) -> str | None:
    start = sentence.index(figure)
    return money_metric(sentence, start, start + len(figure))


def test_an_investment_its_subject_receives_is_its_funding() -> None:
    assert _metric("Anthropic secured a $4 billion investment from Amazon.", "$4 billion") == "funding"
    assert _metric("Mistral AI received $640 million in new investment.", "$640 million") == "funding"
    assert _metric("Figure AI's $675 million investment round values it at $2.6 billion.", "$675 million") == "funding"
    assert _metric("Mistral AI a obtenu un investissement de 600 millions d'euros.", "600 millions") == "funding"
    assert _metric("Amazon invests $4 billion in Anthropic.", "$4 billion") == "investment"
    assert _metric("Microsoft secured a $10 billion investment in OpenAI.", "$10 billion") == "investment"


def test_a_bad_registry_entry_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "metrics.toml"
    path.write_text('[[metric]]\nname = "x"\nlabel = "x"\nunits = ["GPU"]\ngroup = "nope"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"metric\[0\]"):
        load_registry(path)


def test_an_unknown_lexicon_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no_such_key"):
        lexicon.pattern("no_such_key")


def test_every_lexicon_entry_compiles_with_both_apostrophes() -> None:
    """An entry spells the apostrophe ’ and the lexicon makes it match ' too; an entry that spells
    the class itself (``n['’]t``) would be expanded inside its own brackets and match neither."""
    for lang in lexicon.LANGS:
        raw = tomllib.loads((CONFIG_DIR / f"lexicon_{lang}.toml").read_text("utf-8"))
        for key in raw:
            for entry in lexicon.entries(key, (lang,)):
                assert "['['’]" not in entry, (lang, key, entry)
                re.compile(entry)
    assert lexicon.pattern(r"<<source_before>>").search("d'après les chiffres de PitchBook")
    assert lexicon.pattern(r"<<horizon_negation>>").search("it doesn't happen")
    assert lexicon.pattern(r"<<horizon_negation>>").search("it doesn’t happen")
