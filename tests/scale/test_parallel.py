"""kg.parallel.ordered_map: ordered, one worker per process, errors propagate."""

from __future__ import annotations

import os
from functools import partial

import pytest

from kg.parallel import ordered_map


class Scale:
    def __init__(self, factor: int) -> None:
        self.factor = factor
        self.pid = os.getpid()

    def __call__(self, x: int) -> tuple[int, int]:
        if x < 0:
            raise ValueError(f"negative: {x}")
        return x * self.factor, self.pid


def make_scale(factor: int) -> Scale:
    return Scale(factor)


@pytest.mark.parametrize(("jobs", "chunksize", "window"), [(1, 1, None), (2, 1, None), (2, 3, 6), (2, 8, None)])
def test_parallel_ordered_map_keeps_input_order(jobs: int, chunksize: int, window: int | None) -> None:
    items = list(range(101))
    results = list(ordered_map(partial(make_scale, 3), iter(items), jobs=jobs, chunksize=chunksize, window=window))
    assert [value for value, _ in results] == [3 * x for x in items]
    pids = {pid for _, pid in results}
    if jobs == 1:
        assert pids == {os.getpid()}
    else:
        assert os.getpid() not in pids and 1 <= len(pids) <= jobs


@pytest.mark.parametrize("jobs", [1, 2])
def test_parallel_ordered_map_empty_input_builds_no_worker(jobs: int) -> None:
    def explode() -> Scale:
        raise AssertionError("worker built for empty input")

    assert list(ordered_map(explode, iter([]), jobs=jobs)) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_parallel_ordered_map_worker_error_propagates(jobs: int) -> None:
    with pytest.raises(ValueError, match="negative: -1"):
        list(ordered_map(partial(make_scale, 2), [1, 2, -1, 4] + list(range(50)), jobs=jobs, chunksize=2))


def test_parallel_ordered_map_reads_input_lazily() -> None:
    consumed: list[int] = []

    def source():  # type: ignore[no-untyped-def]
        for i in range(10_000):
            consumed.append(i)
            yield i

    results = ordered_map(partial(make_scale, 1), source(), jobs=2, chunksize=2, window=8)
    first = [next(results) for _ in range(5)]
    assert [v for v, _ in first] == [0, 1, 2, 3, 4]
    assert len(consumed) < 100  # a bounded window ahead, not the whole input
    results.close()  # type: ignore[attr-defined]


def test_parallel_ordered_map_rejects_zero_jobs() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(ordered_map(partial(make_scale, 1), [1], jobs=0))
