"""String normalisation, tolerant comparison and optimal one-to-one assignment.

Shared by the factRuEval scorer (``factru_score``) and the JSONL gold scorer (``gold``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "`": "'"})
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, ``ё`` -> ``е``, one kind of quote, single spaces, trimmed.

    >>> normalise("  «Ёлка»\\n Плюс ")
    '"елка" плюс'
    """
    text = text.lower().replace("ё", "е").translate(_QUOTES)
    return _SPACES.sub(" ", text).strip()


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), two-row dynamic programme.

    >>> levenshtein("мэра", "мэр")
    1
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(current[j - 1] + 1, previous[j] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def tolerance(length: int) -> int:
    """Edits allowed for a value of ``length`` characters: 0 below 2, 1 up to 8, then 2."""
    if length < 2:
        return 0
    return 1 if length <= 8 else 2


def close(a: str, b: str) -> bool:
    """True when two normalised strings are within the tolerance of the shorter one.

    >>> close("заместителя губернатора", "заместитель губернатора")
    True
    >>> close("мэр", "мэрия")
    False
    """
    if a == b:
        return True
    limit = tolerance(min(len(a), len(b)))
    if abs(len(a) - len(b)) > limit:
        return False
    return levenshtein(a, b) <= limit


def assign(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Optimal one-to-one pairing of rows and columns maximising the summed weight.

    Hungarian algorithm (Kuhn-Munkres with potentials, O(n^2 m)). Rows and columns
    may differ in number; pairs of weight <= 0 are dropped from the result, which is
    sorted by row.

    >>> assign([[1.0, 0.9], [0.8, 0.0]])
    [(0, 1), (1, 0)]
    """
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if rows == 0 or cols == 0:
        return []
    transposed = rows > cols
    if transposed:
        matrix = [[weights[i][j] for i in range(rows)] for j in range(cols)]
        rows, cols = cols, rows
    else:
        matrix = [list(row) for row in weights]
    inf = float("inf")
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    owner = [0] * (cols + 1)  # owner[j]: row (1-based) assigned to column j
    way = [0] * (cols + 1)
    for i in range(1, rows + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = inf
            j1 = 0
            row = matrix[i0 - 1]
            for j in range(1, cols + 1):
                if used[j]:
                    continue
                cur = -row[j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs: list[tuple[int, int]] = []
    for j in range(1, cols + 1):
        if owner[j] and matrix[owner[j] - 1][j - 1] > 0:
            i = owner[j] - 1
            pairs.append((j - 1, i) if transposed else (i, j - 1))
    return sorted(pairs)
