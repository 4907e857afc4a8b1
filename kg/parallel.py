"""Ordered parallel map over worker processes, each building its worker once.

``ordered_map(make_worker, items, jobs=N)`` calls ``make_worker()`` once per
process (so NLP models are loaded once per worker, not per item), then applies
the worker to every item and yields the results **in input order**, so the
output is the same for any ``jobs``. ``jobs=1`` runs in this process without
multiprocessing at all.

Input is fed to the pool through a bounded window: at most ``window`` items are
in flight at a time, so a stream of 100,000 documents never sits in a queue
(``Pool.imap`` alone would read its whole input ahead).

``OrderedPool(make_worker, jobs)`` keeps its processes between maps (a build extracts,
then maps the resolved documents on the same workers): ``pool.map(items)`` as often as
needed, ``pool.close()`` (or ``with``) at the end; it starts its processes on the first
item of the first map.

``make_worker`` must be picklable (a module-level function or a
``functools.partial`` of one): processes are started with ``spawn``, which
shares nothing with the parent but what is pickled.

Worker processes ignore SIGINT: a Ctrl-C in a terminal reaches the whole process
group, and only the parent should stop (it raises KeyboardInterrupt, terminates
the pool and cleans up), so no worker prints a traceback.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

START_METHOD = "spawn"
WINDOW_PER_CHUNK = 4

# The worker built by ``_initialize`` in this process (one per pool process).
_worker: Callable[[Any], Any] | None = None


def _initialize(make_worker: Callable[[], Callable[[Any], Any]]) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops us
    _worker = make_worker()


def _start_pool(context: Any, jobs: int, make_worker: Callable[[], Callable[[Any], Any]]) -> Any:
    """A pool whose processes ignore SIGINT from their first instruction.

    A signal ignored at exec stays ignored in the new interpreter, so the parent
    ignores SIGINT while it spawns them (from the main thread only, where
    signal handlers live) and restores its handler at once.
    """
    if threading.current_thread() is not threading.main_thread():
        return context.Pool(jobs, initializer=_initialize, initargs=(make_worker,))
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return context.Pool(jobs, initializer=_initialize, initargs=(make_worker,))
    finally:
        signal.signal(signal.SIGINT, previous)


def _call(item: Any) -> Any:
    assert _worker is not None, "pool process was not initialized"
    return _worker(item)


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def ordered_map(
    make_worker: Callable[[], Callable[[T], R]],
    items: Iterable[T],
    *,
    jobs: int = 1,
    chunksize: int = 8,
    window: int | None = None,
) -> Iterator[R]:
    """Yield ``worker(item)`` for each item, in order, using ``jobs`` processes.

    The worker is built lazily: an empty input builds nothing (and starts no
    process). An exception raised by the worker propagates to the caller.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    iterator = iter(items)
    try:
        first = next(iterator)
    except StopIteration:
        return
    if jobs == 1:
        worker = make_worker()
        yield worker(first)
        for item in iterator:
            yield worker(item)
        return
    with OrderedPool(make_worker, jobs) as pool:
        yield from pool.map(_prepend(first, iterator), chunksize=chunksize, window=window)


class OrderedPool(Generic[T, R]):
    """``jobs`` worker processes, each building ``make_worker()`` once, kept for several ordered
    maps; started on the first item, stopped by ``close``."""

    def __init__(self, make_worker: Callable[[], Callable[[T], R]], jobs: int) -> None:
        if jobs < 2:
            raise ValueError(f"a pool needs at least 2 processes, not {jobs}")
        self.make_worker = make_worker
        self.jobs = jobs
        self._pool: Any = None

    @property
    def started(self) -> bool:
        """Whether its processes run (a map had an item)."""
        return self._pool is not None

    def __enter__(self) -> OrderedPool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the processes (a map still running is cut short)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    def map(self, items: Iterable[T], *, chunksize: int = 8, window: int | None = None) -> Iterator[R]:
        """``worker(item)`` for each item, in order; at most ``window`` items in flight."""
        iterator = iter(items)
        try:
            first = next(iterator)
        except StopIteration:
            return
        if self._pool is None:
            self._pool = _start_pool(mp.get_context(START_METHOD), self.jobs, self.make_worker)
        finished = False
        try:
            yield from _pool_map(self._pool, _prepend(first, iterator), chunksize,
                                 window or self.jobs * chunksize * WINDOW_PER_CHUNK)
            finished = True
        finally:
            if not finished:  # a map left early leaves tasks in the pool: it cannot be reused
                self.close()


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter), read lazily.

    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prepend(first: T, rest: Iterator[T]) -> Iterator[T]:
    yield first
    yield from rest


def _pool_map(pool: Any, items: Iterator[T], chunksize: int, window: int) -> Iterator[R]:
    slots = threading.Semaphore(window)
    stopping = threading.Event()

    def feed() -> Iterator[T]:
        # Runs in the pool's task-handler thread: blocks while `window` items are in flight.
        for item in items:
            slots.acquire()
            if stopping.is_set():
                return
            yield item

    try:
        for result in pool.imap(_call, feed(), chunksize):
            slots.release()
            yield result
    finally:
        stopping.set()
        for _ in range(window + 1):  # wake the feeder if it waits, so it can stop
            slots.release()
