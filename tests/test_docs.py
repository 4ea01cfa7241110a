"""The README documents every setting and every command (datasette's habit)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer.main

from config.settings import Settings
from pipeline.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = []
    for section in dataclasses.fields(Settings):
        if section.name in ("feeds", "entities_file"):
            if section.name not in README:
                missing.append(section.name)
            continue
        for field in dataclasses.fields(getattr(Settings(), section.name)):
            if f"`{section.name}.{field.name}`" not in README:
                missing.append(f"{section.name}.{field.name}")
    assert not missing, f"settings missing from README.md: {missing}"


def test_every_command_is_documented() -> None:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            names.extend(f"{name} {sub}" for sub in command.commands)
        else:
            names.append(name)
    missing = [name for name in names if f"veille {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"
