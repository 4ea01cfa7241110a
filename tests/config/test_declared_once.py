"""Each setting is declared once, in ``config/settings.py`` (its type, default, help and check);
the shipped ``config/default.toml`` and the README's settings table are generated from that
declaration (``config.reference``) and must hold exactly the generated text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from config import reference
from config.settings import _SECTIONS, DEFAULT_CONFIG, _coerce, read_toml

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
_FIX = "run `python -m config.reference --write`"


def test_every_setting_is_declared_with_help() -> None:
    for section, cls in _SECTIONS.items():
        for field in dataclasses.fields(cls):
            assert str(field.metadata.get("help", "")).strip(), f"{section}.{field.name} has no help"
            assert "|" not in field.metadata["help"], f"{section}.{field.name}: '|' breaks the README table"


def test_a_setting_without_help_cannot_be_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclasses.dataclass(frozen=True)
    class Undocumented:
        knob: int = 3

    monkeypatch.setitem(_SECTIONS, "extra", Undocumented)
    with pytest.raises(ValueError, match="extra.knob"):
        reference.settings_table()


def test_default_toml_is_the_generated_text() -> None:
    assert DEFAULT_CONFIG.read_text(encoding="utf-8") == reference.default_toml(), _FIX


def test_the_readme_table_is_the_generated_table() -> None:
    assert reference.readme_table(README).splitlines() == reference.settings_table().splitlines(), _FIX


def test_default_toml_ships_every_setting_with_its_declared_default() -> None:
    shipped = read_toml(DEFAULT_CONFIG)
    declared = {d.key: d for d in reference.declared()}
    flat = {
        f"{section}.{key}": value
        for section, values in shipped.items() if isinstance(values, dict)
        for key, value in values.items()
    }
    assert set(flat) == set(declared), set(flat) ^ set(declared)
    for key, d in declared.items():
        assert _coerce(key, d.hint, flat[key]) == d.default, key
