"""Store writes in a background thread, in order, while the caller goes on extracting.

``kg build`` alternates two kinds of work: extracting documents (Python, holding
the GIL) and writing each batch of their N-Quads to the store (Oxigraph's
``bulk_load`` and ``update``, Rust code that releases the GIL). Done one after the
other, a single extraction process leaves the second core idle while it writes.
``BackgroundWriter`` hands each batch to one writer thread, so the next batch is
extracted while the previous one is written.

- Order: batches are written one at a time, in the order they were submitted, so
  the store ends exactly as with synchronous writes.
- Memory stays bounded: at most one batch waits while another is written;
  ``submit`` blocks until there is room.
- Errors: a failed write is raised in the caller, by the next ``submit`` or by
  ``close``; batches after a failed one are not written (as a synchronous loop
  would stop at the first failure).
- Leaving the ``with`` block on an exception (a failure elsewhere, Ctrl-C) drops
  the waiting batch and waits for the write in progress to end, so the store is
  never closed in the middle of a write; each write is atomic anyway.

>>> written = []
>>> with BackgroundWriter(written.append) as writer:
...     for batch in (["a", "b"], ["c"]):
...         writer.submit(batch)
>>> written
[['a', 'b'], ['c']]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

_STOP = object()  # tells the thread to end after the batches before it


class BackgroundWriter(Generic[T]):
    """Call ``write(batch)`` for every submitted batch, in order, in one background thread."""

    def __init__(self, write: Callable[[T], object], *, name: str = "kg-store-writer") -> None:
        self._write = write
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is _STOP:
                return
            if self._error is None:  # after a failure nothing more is written
                try:
                    self._write(batch)  # type: ignore[arg-type]
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, batch: T) -> None:
        """Queue ``batch`` for writing (waits while another batch is waiting); raises an
        earlier write's failure instead."""
        self._raise()
        self._queue.put(batch)

    def close(self) -> None:
        """Wait until every submitted batch is written; raise a write's failure."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()
        self._raise()

    def abort(self) -> None:
        """Drop the waiting batch and wait for the write in progress (if any) to end."""
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    def __enter__(self) -> BackgroundWriter[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


class InlineWriter(Generic[T]):
    """``BackgroundWriter``'s interface, writing each batch at once in the caller's thread:
    the reference it must match (tests), and a build whose every stage runs in one thread
    (``benchmarks/profile_build.py``).

    >>> written = []
    >>> with InlineWriter(written.append) as writer:
    ...     writer.submit(["a"])
    ...     written
    [['a']]
    """

    def __init__(self, write: Callable[[T], object], *, name: str = "") -> None:
        self._write = write

    def submit(self, batch: T) -> None:
        self._write(batch)

    def __enter__(self) -> InlineWriter[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        pass
