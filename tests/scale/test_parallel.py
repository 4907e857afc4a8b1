"""kg.parallel.ordered_map: ordered, one worker per process, errors propagate."""

from __future__ import annotations

import os
from functools import partial

import pytest

from kg.parallel import OrderedPool, ordered_map


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


def test_parallel_pool_keeps_its_processes_between_maps() -> None:
    """A build extracts, then maps the resolved documents on the same processes (models loaded once)."""
    with OrderedPool(partial(make_scale, 2), 2) as pool:
        assert not pool.started
        assert list(pool.map(iter([]))) == []
        assert not pool.started  # nothing to do starts nothing
        first = list(pool.map(range(40), chunksize=1, window=4))
        second = list(pool.map(range(40, 80), chunksize=2))
        assert [x for x, _ in first + second] == [2 * x for x in range(80)]
        pids = {pid for _, pid in first}
        assert {pid for _, pid in second} <= pids and os.getpid() not in pids
        with pytest.raises(ValueError, match="negative"):
            list(pool.map([1, -1, 2]))
        assert not pool.started  # a map cut short stops the processes
        assert [x for x, _ in pool.map(range(3))] == [0, 2, 4]  # and the next map starts new ones
    assert not pool.started
