"""Shared fixtures live in tests/support/ as plugins, one module per real server or resource."""

pytest_plugins = [
    "tests.support.db",
    "tests.support.http",
    "tests.support.smtp",
    "tests.support.nlp",
    "tests.support.web",
]
