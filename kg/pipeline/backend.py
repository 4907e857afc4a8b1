"""Where a build's chunks run: this process, ``--jobs N`` worker processes or a Dask cluster.

``Backend(make_worker, jobs=2)`` (or ``dask="local:2"``) maps chunks through one
``DocWorker`` per process, in input order: the build's extraction pass (chunks of
``Job``), then, on the same processes, the mapping of the resolved documents to N-Quads
(``Writes`` chunks; ``kg.pipeline.build.write_resolved``). The processes start on the
first chunk (a build with nothing new starts none) and stay until ``close``, so a
build starts them and loads the models once.

``close_in_background`` lets the processes stop while this process goes on (``close``
waits for it): the build calls it once every document is mapped, while the last batch is
written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

from kg.errors import KgError
from kg.parallel import OrderedPool
from kg.pipeline.worker import DocResult, DocWorker, Job, Writes

Chunk = Sequence[Job] | Writes


class Backend:
    """The build's workers (see the module); ``with Backend(make_worker, jobs=2) as backend: backend.map(chunks)``."""

    def __init__(self, make_worker: Callable[[], DocWorker], *, jobs: int = 1, dask: str | None = None) -> None:
        self.make_worker = make_worker
        self.jobs = jobs
        self._pool: OrderedPool[Chunk, list[DocResult]] | None = None
        self._dask: Any = None  # kg.distributed.DaskBackend
        if dask is not None:
            self._dask = dask_backend(dask)
        elif jobs > 1:
            self._pool = OrderedPool(make_worker, jobs)

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def maps_writes(self) -> bool:
        """Whether the build's store pass maps its documents here: on ``--jobs N`` processes that
        run (they extracted). Not on a Dask cluster: measured (fake extractor, 2,000 and 10,000
        documents, one run each) the client's whole-build peak grew 1.16-1.18x with the N-Quads
        coming back through Dask, against 0.99x when this process maps them; the cause is not
        found. ``kg.distributed.DaskBackend.map`` takes ``Writes`` all the same."""
        return self._pool is not None and self._pool.started

    def note(self) -> str:
        """The progress bar's note (``workers N`` on a Dask cluster)."""
        return self._dask.note() if self._dask is not None else ""

    def map(self, chunks: Iterable[Chunk], *, window: int) -> Iterator[list[DocResult]]:
        """Each chunk's results, in input order; at most ``window`` chunks in flight."""
        if self._dask is not None:
            return self._dask.map(self.make_worker, chunks)  # type: ignore[no-any-return]
        if self._pool is not None:
            return self._pool.map(chunks, chunksize=1, window=window)
        return self._map_here(chunks)

    def _map_here(self, chunks: Iterable[Chunk]) -> Iterator[list[DocResult]]:
        # the worker (and its models) lives as long as the map: not through the next pass
        work: DocWorker | None = None
        for chunk in chunks:
            work = work or self.make_worker()
            yield work(chunk)

    def close_in_background(self) -> None:
        """Let the worker processes stop while this process goes on (``close`` waits): a Dask
        cluster closes in a thread; a pool's processes are terminated at once (that is quick)."""
        if self._dask is not None:
            self._dask.close_in_background()
        if self._pool is not None:
            self._pool.close()

    def close(self) -> None:
        """Stop the worker processes (or the Dask client and the cluster it started)."""
        if self._pool is not None:
            self._pool.close()
        if self._dask is not None:
            self._dask.close()


def dask_backend(address: str) -> Any:
    """``kg.distributed.DaskBackend`` for ``--dask ADDRESS``; says how to install Dask when it is missing."""
    try:
        from kg.distributed import DaskBackend, parse_target
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("dask", "distributed"):
            raise
        raise KgError("--dask needs Dask, an optional extra: pip install 'kg[dask]'") from exc
    return DaskBackend(parse_target(address))
