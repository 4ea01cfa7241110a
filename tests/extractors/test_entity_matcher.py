"""The entity table's aliases as the matcher finds them in raw text."""

from __future__ import annotations

from config.settings import CONFIG_DIR
from extractors.entities import EntityMatcher, load_entities, load_patterns


def _names(text: str) -> list[tuple[str, str]]:
    matcher = EntityMatcher(load_entities(CONFIG_DIR / "entities.toml"), load_patterns())
    return [(m.name, text[m.start:m.end]) for m in matcher.find(text)]


def test_an_alias_in_capitals_is_the_same_entity() -> None:
    """Headlines and some outlets shout names ("GROK-2", "JUPITER"): the table's entity, as long
    as no other alias is spelt that way."""
    assert _names("xAI launched GROK-2 on Tuesday") == [("xAI", "xAI"), ("Grok 2", "GROK-2")]
    assert _names("META LIFTS CAPEX") == [("Meta", "META")]


def test_an_alias_stays_case_sensitive_otherwise() -> None:
    """"meta" in lower case is a word, not the company; mixed case is not a shouted name either."""
    assert _names("a meta analysis of grok-2 results") == []


def test_a_camel_case_company_with_only_its_first_capital_is_the_same_company() -> None:
    """« OpenAI et Softbank », "Deepseek claims …": outlets often write a camel-case company name
    with one capital. A model's name is left alone ("Palm" is not PaLM)."""
    assert _names("OpenAI et Softbank, puis Deepseek") == [("OpenAI", "OpenAI"), ("SoftBank", "Softbank"),
                                                          ("DeepSeek", "Deepseek")]
    assert _names("Palm oil prices rose") == []


def test_the_memphis_supercluster_is_colossus() -> None:
    """Early reports called xAI's Colossus "the Memphis Supercluster": the same site."""
    assert _names("X kicked off AI training on the Memphis Supercluster.") == [("Colossus", "Memphis Supercluster")]
