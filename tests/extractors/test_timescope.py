"""Time scopes resolved against the publication date, never the clock."""

from __future__ import annotations

import datetime

import pytest

from extractors.timescope import find_times

PUBLISHED = datetime.date(2025, 1, 28)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a levé 6 milliards de dollars en décembre", "2024-12"),
        ("raised $6 billion in December", "2024-12"),
        ("valorisée 60 milliards en mars dernier", "2024-03"),
        ("la sortie est prévue en mars prochain", "2025-03"),
        ("it closed a round last March", "2024-03"),
        ("écrivait-il le 26 janvier", "2025-01-26"),
        ("Le 4 octobre 1957, l’URSS lance Spoutnik", "1957-10-04"),
        ("announced on January 20", "2025-01-20"),
        ("announced on January 20, 2024", "2024-01-20"),
        ("les ventes du mois dernier", "2024-12"),
        ("annoncé en juillet 2024", "2024-07"),
        ("in Q3", "2025-Q3"),
        ("sur cinq ans", "2025-01-28/P5Y"),
        ("next year", "2026"),
        # a time ago, counted back from the publication
        ("the launch 26 months ago", "2022-11"),
        ("a platform that launched just over two years ago", "2023"),
        ("only a few weeks ago", "2025-01-07"),
        ("lancé il y a tout juste un an", "2024"),
        ("annoncé il y a trois mois", "2024-10"),
        # a season is a time of its year
        ("slated for a public release sometime this summer", "2025"),
        ("a release in the summer", "2025"),
        ("it closed a round last fall", "2024"),
        ("in the summer of 2023", "2023"),
        ("la sortie est prévue cet été", "2025"),
        ("attendu à l'automne prochain", "2026"),
    ],
)
def test_relative_and_partial_dates(text: str, value: str) -> None:
    assert [t.value for t in find_times(text, PUBLISHED)] == [value]


@pytest.mark.parametrize("text", ["Mars est la planète rouge", "Prices may march higher", "le modèle o1"])
def test_words_that_only_look_like_months_are_not_times(text: str) -> None:
    assert find_times(text, PUBLISHED) == []


def test_without_publication_date_relative_months_are_left_out() -> None:
    assert find_times("raised $6 billion in December", None) == []

