"""Canonical URLs: one article, one address."""

from __future__ import annotations

import pytest

from extractors.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM/Article/42", "https://example.com/Article/42"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?fbclid=xyz&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ],
)
def test_normalisation(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_declared_canonical_wins_on_the_same_site() -> None:
    assert canonical_url("https://www.example.com/amp/a?x=1", "/articles/a/") == "https://www.example.com/articles/a"
    assert canonical_url("https://example.com/amp/a", "https://www.example.com/a") == "https://www.example.com/a"


@pytest.mark.parametrize("declared", ["https://other.org/a", "javascript:alert(1)", "mailto:x@example.com", ""])
def test_declared_canonical_elsewhere_or_odd_is_ignored(declared: str) -> None:
    assert canonical_url("https://example.com/a?utm_campaign=x", declared) == "https://example.com/a"
