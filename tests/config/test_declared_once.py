"""Each setting is declared once, in ``config/settings.py`` (its type and default); the shipped
``config/default.toml`` and the README's settings table are checked against that declaration."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path
from typing import Any

from config.settings import DEFAULT_CONFIG, Settings, _coerce, read_toml

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
_ROW = re.compile(r"^\| `([a-z_]+\.[a-z_]+)` \| ([^|]*) \|", re.MULTILINE)


def _declared() -> dict[str, tuple[Any, Any]]:
    """``section.key`` -> (type, default), from the dataclasses."""
    out = {}
    for section in dataclasses.fields(Settings):
        if section.default_factory is dataclasses.MISSING:  # feeds, entities_file
            continue
        cls = section.default_factory
        hints = typing.get_type_hints(cls)
        instance = cls()  # type: ignore[misc]
        for field in dataclasses.fields(instance):
            out[f"{section.name}.{field.name}"] = (hints[field.name], getattr(instance, field.name))
    return out


def test_default_toml_ships_every_setting_with_its_declared_default() -> None:
    shipped = read_toml(DEFAULT_CONFIG)
    declared = _declared()
    flat = {
        f"{section}.{key}": value
        for section, values in shipped.items() if isinstance(values, dict)
        for key, value in values.items()
    }
    assert set(flat) == set(declared), set(flat) ^ set(declared)
    for key, (hint, default) in declared.items():
        assert _coerce(key, hint, flat[key]) == default, key


def test_the_readme_table_lists_every_setting_with_its_declared_default() -> None:
    rows = dict(_ROW.findall(README))
    declared = _declared()
    assert set(declared) <= set(rows), set(declared) - set(rows)
    for key, (hint, default) in declared.items():
        cell = rows[key].strip()
        if cell == "empty":
            assert default in ("", ()), key
        elif cell.startswith("`"):
            assert _coerce(key, hint, cell.strip("`")) == default, (key, cell, default)
