"""facts/ stays pure: no SQL, no network, no clock (DEVELOPERS.md)."""

from __future__ import annotations

import ast
from pathlib import Path

FACTS = Path(__file__).resolve().parents[2] / "facts"
FORBIDDEN_MODULES = ("sqlalchemy", "storage", "pipeline", "httpx", "time", "random")
CLOCK_CALLS = ("now", "today", "utcnow")


def test_facts_imports_no_storage_network_or_clock() -> None:
    files = sorted(FACTS.glob("*.py"))
    assert files
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN_MODULES, f"{path.name} imports {name}"
            if isinstance(node, ast.Attribute) and node.attr in CLOCK_CALLS:
                raise AssertionError(f"{path.name}:{node.lineno} reads the clock ({node.attr})")
