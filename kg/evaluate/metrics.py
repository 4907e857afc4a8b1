"""Precision, recall and F1 from (possibly fractional) true-positive sums.

Follows the factRuEval-2016 ``Metrics`` class: ``tp_std`` feeds recall,
``tp_test`` feeds precision, and an empty side scores 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Metrics:
    """Summed qualities and counts of one class; add documents with ``+``."""

    tp_std: float = 0.0  # summed quality of matched gold items (recall numerator)
    tp_test: float = 0.0  # summed quality of matched response items (precision numerator)
    n_std: int = 0  # gold items counted
    n_test: int = 0  # response items counted

    def __add__(self, other: Metrics) -> Metrics:
        return Metrics(
            self.tp_std + other.tp_std,
            self.tp_test + other.tp_test,
            self.n_std + other.n_std,
            self.n_test + other.n_test,
        )

    @property
    def precision(self) -> float:
        return self.tp_test / self.n_test if self.n_test else 1.0

    @property
    def recall(self) -> float:
        return self.tp_std / self.n_std if self.n_std else 1.0

    @property
    def f1(self) -> float:
        if self.n_std + self.n_test == 0:
            return 1.0
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def simple(tp: float, n_std: int, n_test: int) -> Metrics:
    """Metrics whose true positives count the same on both sides."""
    return Metrics(tp, tp, n_std, n_test)


def total(parts: list[Metrics]) -> Metrics:
    """Sum of several metrics (micro average)."""
    result = Metrics()
    for part in parts:
        result = result + part
    return result


def format_table(rows: list[tuple[str, Metrics]], title: str) -> str:
    """A compact fixed-width table: name, P, R, F1, matched, gold, response."""
    width = max([len(title)] + [len(name) for name, _ in rows])
    lines = [f"{title:<{width}}  {'P':>6} {'R':>6} {'F1':>6} {'TP':>8} {'gold':>5} {'resp':>5}"]
    for name, m in rows:
        lines.append(
            f"{name:<{width}}  {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} "
            f"{m.tp_std:8.2f} {m.n_std:5d} {m.n_test:5d}"
        )
    return "\n".join(lines)
