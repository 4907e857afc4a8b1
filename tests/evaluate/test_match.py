from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.evaluate.match import assign, close, levenshtein, normalise, tolerance


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("мэр", "", 3), ("мэра", "мэр", 1), ("kitten", "sitting", 3), ("абв", "абв", 0)],
)
def test_match_levenshtein(a: str, b: str, distance: int) -> None:
    assert levenshtein(a, b) == distance
    assert levenshtein(b, a) == distance


@pytest.mark.parametrize(("length", "allowed"), [(1, 0), (2, 1), (8, 1), (9, 2), (40, 2)])
def test_match_tolerance_by_length(length: int, allowed: int) -> None:
    assert tolerance(length) == allowed


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("губернатор", "губернатора", True),  # 1 edit, 10 chars
        ("мэра", "мэр", True),  # 1 edit, short
        ("петров", "петрова", True),
        ("мэр", "мэрия", False),  # 2 edits on a 3-char value
        ("петров", "петренко", False),  # 3 edits
        ("заместитель министра", "заместителю министру", True),  # 2 edits, long
        ("заместитель министра", "заместителям министрам", False),  # 3 edits
        ("а", "б", False),
    ],
)
def test_match_close_levenshtein_tolerance(a: str, b: str, expected: bool) -> None:
    assert close(a, b) is expected


def test_match_normalise_case_yo_quotes() -> None:
    assert normalise("  «Сёмга»\n и “Ёж” ") == '"семга" и "еж"'


@pytest.mark.parametrize(
    ("weights", "pairs"),
    [
        ([[1.0, 0.9], [0.8, 0.0]], [(0, 1), (1, 0)]),  # greedy would take (0,0) and lose
        ([[0.5, 0.4, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0]], [(0, 1), (1, 0)]),
        ([[0.0, 0.0]], []),
        ([[0.3], [0.7]], [(1, 0)]),  # more rows than columns
        ([], []),
    ],
)
def test_match_assign_picks_best_assignment(weights: list[list[float]], pairs: list[tuple[int, int]]) -> None:
    assert assign(weights) == pairs


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.integers(1, 5).flatmap(
    lambda m: st.lists(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=m, max_size=m),
                       min_size=n, max_size=n))))
def test_match_assign_equals_brute_force(weights: list[list[float]]) -> None:
    rows, cols = len(weights), len(weights[0])
    best = 0.0
    if rows <= cols:
        for perm in itertools.permutations(range(cols), rows):
            best = max(best, sum(weights[i][perm[i]] for i in range(rows)))
    else:
        for perm in itertools.permutations(range(rows), cols):
            best = max(best, sum(weights[perm[j]][j] for j in range(cols)))
    pairs = assign(weights)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert sum(weights[i][j] for i, j in pairs) == pytest.approx(best)
