"""The settings reference, printed from the declarations of :mod:`config.settings`.

:func:`settings_table` is the README's settings table, :func:`default_toml` the shipped
``config/default.toml``; ``tests/config/test_declared_once.py`` checks that both files hold
exactly this text. After changing a setting, ``python -m config.reference --write`` rewrites
them (``python -m config.reference`` prints them).
"""

from __future__ import annotations

import dataclasses
import json
import sys
import textwrap
import typing
from typing import Any, NamedTuple

from config.settings import _SECTIONS, CONFIG_DIR, DEFAULT_CONFIG

README = CONFIG_DIR.parent / "README.md"
TABLE_HEADER = "| setting | default | meaning |\n|---|---|---|\n"
_TOML_HEADER = """\
# veille's shipped defaults. Every key can be overridden by a user file (--config, VEILLE_CONFIG)
# and by the environment: VEILLE_<SECTION>_<KEY>, e.g. VEILLE_DATABASE_URL.
# Generated from config/settings.py by `python -m config.reference --write`; edit it there.
feeds_file = "feeds.toml"
entities_file = "entities.toml"
"""


class Declared(NamedTuple):
    key: str  # section.name
    hint: Any
    default: Any
    help: str


def declared() -> list[Declared]:
    """Every section setting in declaration order; a setting without help is a ``ValueError``."""
    out = []
    for section, cls in _SECTIONS.items():
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            key = f"{section}.{f.name}"
            help_text = str(f.metadata.get("help", "")).strip()
            if not help_text:
                raise ValueError(f"{key}: declared without help (use config.settings.setting)")
            out.append(Declared(key, hints[f.name], f.default, help_text))
    return out


def toml_value(value: Any) -> str:
    """``value`` as a TOML literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML literal for {value!r}")


def _table_default(value: Any) -> str:
    if value in ("", ()):
        return "empty"
    if isinstance(value, bool):
        return f"`{toml_value(value)}`"
    return f"`{', '.join(value) if isinstance(value, tuple) else value}`"


def settings_table() -> str:
    """The README's settings table (markdown): setting, default, meaning."""
    rows = [f"| `{d.key}` | {_table_default(d.default)} | {d.help} |\n" for d in declared()]
    return TABLE_HEADER + "".join(rows)


def default_toml() -> str:
    """``config/default.toml``: every setting at its default, its help as the comment above it."""
    lines = [_TOML_HEADER]
    section = ""
    for d in declared():
        name, key = d.key.split(".", 1)
        if name != section:
            section = name
            lines.append(f"\n[{section}]\n")
        for comment in textwrap.wrap(d.help, 97):
            lines.append(f"# {comment}\n")
        lines.append(f"{key} = {toml_value(d.default)}\n")
    return "".join(lines)


def readme_table(readme: str) -> str:
    """The settings table as it stands in ``readme`` (header to first blank line)."""
    start = readme.index(TABLE_HEADER)
    end = readme.find("\n\n", start)
    return readme[start : end + 1 if end >= 0 else len(readme)]


def write() -> None:
    """Rewrite ``config/default.toml`` and the README's settings table from the declarations."""
    DEFAULT_CONFIG.write_text(default_toml(), encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    README.write_text(text.replace(readme_table(text), settings_table(), 1), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        write()
        return 0
    if argv:
        print("usage: python -m config.reference [--write]", file=sys.stderr)
        return 2
    sys.stdout.write(settings_table() + "\n" + default_toml())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
