"""veille's one exception hierarchy.

    VeilleError
    ├── ConfigError       a setting is missing or wrong (the user must fix the config)
    │   └── InputError    a command-line input (a URL, a file) is wrong
    ├── FetchError        a feed or page could not be fetched (carries url and status)
    ├── ExtractionError   an input could not be read as an article
    └── StorageError      the database refused or is not at the expected schema

Third-party errors are wrapped at the edge that calls the library, so the CLI
catches ``VeilleError`` in one place and prints one line.
"""

from __future__ import annotations


class VeilleError(Exception):
    """Base of every error veille raises on purpose."""


class ConfigError(VeilleError):
    """A setting is missing or invalid; the message names the key."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"config {key}: {reason}")


class InputError(ConfigError):
    """A URL or file given on the command line is wrong: ``<input>: <reason>``."""

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


class FetchError(VeilleError):
    """A feed or page could not be fetched."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        where = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{url}: {reason}{where}")


class ExtractionError(VeilleError):
    """An input could not be turned into an article."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class StorageError(VeilleError):
    """The database is unreachable, refused a write, or is not at the schema head."""
