"""``kg build --dask``: extraction on a Dask cluster, the store written by this process.

    kg build news.jsonl --dask local:2               # starts a LocalCluster of 2 worker processes
    kg build news.jsonl --dask tcp://10.0.0.5:8786   # an existing scheduler and its workers

The same seam as ``--jobs`` (``kg.parallel.ordered_map``): a map over the build's
chunks of ``Job`` that yields each chunk's ``DocResult`` list in input order, so the
build writes exactly what ``--jobs 1`` writes, through the same writer.

- Workers: ``DocWorkerPlugin`` (a Dask ``WorkerPlugin``) builds one ``DocWorker``
  (natasha's models) on every worker when it joins, in a thread so the worker keeps
  answering the scheduler; a worker started later (a replacement for a dead one)
  sets it up before it runs a task. Tasks only call it, under a lock (extraction holds
  the GIL: more threads per worker would gain nothing, so start workers with
  ``--nthreads 1`` and as many processes as cores).
- Client: the input is read as a stream; a task carries ``TASK_CHUNKS`` chunks (each
  still one NER batch, as with ``--jobs``), and at most ``window`` tasks are in flight,
  so memory does not grow with the corpus. Dask keeps the last messages of every comm
  for debugging (``distributed.admin.low-level-log-length``, 1,000 by default): those are
  the tasks themselves, documents included, so the scheduler of ``local:N`` (in this
  process) and the client's own comm would hold 1,000 tasks of 32 documents each;
  ``MESSAGE_LOG`` keeps a few (and local workers run without Dask's statistical profiler,
  ``DASK_CONFIG``). Documents whose extraction the identity index
  holds already are never sent: their results are made here.
- Failures: a worker that dies costs a rerun of its tasks (the scheduler reassigns
  them, and recomputes results it held); a task that kills workers again and again
  (``distributed.scheduler.allowed-failures``) stops the build with one line. The
  scheduler going away ends the build with one line too; the batches already written
  stay, and the same command resumes (stored documents come back ``UNCHANGED``).

A remote cluster's workers need kg installed (the same version) and
``OPENBLAS_NUM_THREADS=1`` in their environment, as ``local:N`` sets for its own
(and better no ``MALLOC_TRIM_THRESHOLD_``: see ``DASK_CONFIG``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import dask.config
from distributed import Client, Future, KilledWorker, LocalCluster, WorkerPlugin, get_worker

from kg.pipeline.worker import DocResult, DocWorker, Job, WriteJob, Writes, single_threaded_blas
from kg.errors import KgError
from kg.parallel import chunked

LOCAL = "local:"
TASK_CHUNKS = 4  # chunks (of kg.pipeline.build.CHUNK documents) per Dask task
WINDOW_PER_THREAD = 4  # tasks in flight per worker thread (at least MIN_WINDOW)
MIN_WINDOW = 8
RETRIES = 2  # reruns of a task that raised (e.g. on a worker whose setup failed)
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler
WORKERS_EVERY = 1.0  # seconds between two asks for the number of workers
MESSAGE_LOG = 8  # messages a Dask comm keeps for debugging (tasks and their documents included)
# The workers' statistical profiler samples the running thread's stack every 10 ms: measured
# (600 documents, local:2, loaded machine, one round) the worker processes spent 17% more CPU
# than their extraction thread with it, 9-10% without it. Set for local:N's workers (a remote
# cluster's workers read their own configuration).
# Dask's nanny also starts each worker with MALLOC_TRIM_THRESHOLD_=65536, so glibc gives freed
# memory back to the system at once and asks for it again: measured (300 documents extracted in
# one process, quiet machine, two rounds) 27.5-27.8 ms CPU per document with it, 21.1-21.7 without.
# None unsets it for local:N's workers (kg's workers hold a bounded number of batches).
# local:N's scheduler and nannies run on this process's event loop, beside the client: measured
# (2,000 documents, local:2, load 1-2, one run each, CPU of that loop's thread) 1.46 s with Dask's
# defaults, 0.87 s with a 1 s tick (20 ms: each server's check for a blocked loop), 1.17 s without
# work stealing (a scan every 100 ms; kg's tasks are alike and queued on the scheduler), 1.30 s with
# the system monitor every 5 s (500 ms), 1.36 s with the nannies' memory check every 1 s (100 ms);
# 0.65 s with all four.
DASK_CONFIG = {"distributed.admin.low-level-log-length": MESSAGE_LOG, "distributed.worker.profile.enabled": False,
               "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
               "distributed.admin.tick.interval": "1s", "distributed.scheduler.work-stealing": False,
               "distributed.admin.system-monitor.interval": "5s", "distributed.worker.memory.monitor-interval": "1s"}
ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?[^\s/:]+:\d{1,5}$|^(?:tcp|tls|ws|wss|ucx)://[^\s/:]+$")


@dataclass(frozen=True, slots=True)
class Target:
    """Where to run: ``workers`` local processes (``local:N``), or a scheduler's ``address``."""

    address: str | None = None
    workers: int = 0


def parse_target(text: str) -> Target:
    """``local:N`` or a scheduler address (``tcp://host:port``, ``host:port``).

    >>> parse_target("local:2")
    Target(address=None, workers=2)
    >>> parse_target("tcp://10.0.0.5:8786")
    Target(address='tcp://10.0.0.5:8786', workers=0)
    """
    if text.startswith(LOCAL):
        count = text[len(LOCAL):]
        if not count.isdigit() or int(count) < 1:
            raise KgError(f"--dask {text}: local:N needs a number of worker processes N >= 1, e.g. local:2")
        return Target(workers=int(count))
    if not ADDRESS.match(text):
        raise KgError(f"--dask {text}: not a scheduler address (tcp://HOST:PORT) nor local:N")
    return Target(address=text)


class DocWorkerPlugin(WorkerPlugin):
    """Builds one DocWorker per Dask worker, when the worker joins; tasks run it."""

    def __init__(self, name: str, make_worker: Callable[[], DocWorker]) -> None:
        self.name = name
        self.make_worker = make_worker
        self._work: DocWorker | None = None
        self._lock: threading.Lock | None = None

    async def setup(self, worker: Any) -> None:
        self._lock = threading.Lock()
        # natasha takes seconds to load: in a thread, so the worker's event loop runs meanwhile
        self._work = await asyncio.to_thread(self._build)

    def _build(self) -> DocWorker:
        work = self.make_worker()
        work.load()
        return work

    def run(self, chunks: list[list[Job]]) -> list[list[DocResult]]:
        if self._work is None or self._lock is None:
            raise RuntimeError(f"kg's worker plugin {self.name} is not set up on this worker")
        with self._lock:
            return [self._work(chunk) for chunk in chunks]


def run_task(plugin: str, chunks: list[list[Job]]) -> list[list[DocResult]]:
    """A Dask task: the chunks' results, from this worker's DocWorker (module-level, so it pickles)."""
    found = get_worker().plugins.get(plugin)
    if not isinstance(found, DocWorkerPlugin):
        raise RuntimeError(f"kg's worker plugin {plugin} is not on this worker")
    return found.run(chunks)


def run_writes(make_worker: Callable[[], DocWorker], chunks: list[Writes]) -> list[list[DocResult]]:
    """A Dask task: the N-Quads of resolved documents (no models needed: no plugin)."""
    work = make_worker()
    return [work(chunk) for chunk in chunks]


@dataclass(slots=True)
class _Slot:
    """Chunks on their way, in input order: their task (None when nothing was sent)."""

    chunks: list[list[Job] | Writes]
    future: Future[list[list[DocResult]]] | None


class DaskBackend:
    """A Dask client (and, for ``local:N``, the cluster it starts) for one build.

    ``with DaskBackend(parse_target("local:2")) as backend: backend.map(make_worker, chunks)``
    """

    def __init__(self, target: Target) -> None:
        self.target = target
        self.where = target.address or f"{LOCAL}{target.workers}"
        self.client: Client | None = None
        self.cluster: LocalCluster | None = None
        self._workers = (0, -WORKERS_EVERY)  # (count, when asked)
        self._logging: list[tuple[logging.Logger, int]] = []
        self._config: Any = None  # dask.config.set(DASK_CONFIG) while the client is open
        self._closing: threading.Thread | None = None  # close_in_background's thread
        self._close_error: BaseException | None = None

    def __enter__(self) -> DaskBackend:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _quiet_logs(self) -> None:
        # Dask logs reconnect attempts, lost workers and restarts on stderr; kg reports
        # what matters to the user itself, in one line. Dask's config gives some of its
        # loggers their own level (distributed.client: warning), so each is set.
        names = ["distributed", "dask", "tornado",
                 *(name for name in logging.root.manager.loggerDict if name.startswith(("distributed.", "dask.")))]
        for name in names:
            logger = logging.getLogger(name)
            if "." not in name or logger.level != logging.NOTSET:
                self._logging.append((logger, logger.level))
                logger.setLevel(logging.CRITICAL)

    def _connect(self) -> Client:
        """The client, connected on first use: a build with nothing to extract starts nothing."""
        if self.client is not None:
            return self.client
        self._quiet_logs()
        # before the client, the cluster and its workers start: their comms read it then (and a
        # worker that joins later, a replacement, reads it when it joins)
        self._config = dask.config.set(DASK_CONFIG)
        if self.target.address is None:
            single_threaded_blas()  # inherited by the worker processes, before they import numpy
            try:
                # no dashboard; the scheduler's HTTP server (health checks) on a free port: its
                # default, 8787, taken by another cluster, printed a warning on stderr
                self.cluster = LocalCluster(
                    n_workers=self.target.workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=":0", scheduler_kwargs={"dashboard": False},
                    silence_logs=logging.CRITICAL,
                )
            except (OSError, RuntimeError) as exc:
                raise KgError(f"--dask {self.where}: the local Dask cluster did not start ({_reason(exc)})") from exc
            self.client = Client(self.cluster, set_as_default=False)
            return self.client
        try:
            self.client = Client(self.target.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise KgError(f"--dask {self.where}: cannot reach the Dask scheduler ({_reason(exc)})") from exc
        return self.client

    def close(self) -> None:
        """Close the client, and the cluster when this backend started it (or wait for
        ``close_in_background`` to have done it)."""
        if self._closing is None:
            self._close()
            return
        self._closing.join()
        self._closing, error, self._close_error = None, self._close_error, None
        if error is not None:
            raise error

    def close_in_background(self) -> None:
        """Start closing, in a thread: the workers and the cluster stop (measured: 0.6 s at load 3
        for local:2) while this process goes on, e.g. resolves and writes the store; ``close`` waits."""
        if self._closing is None and self.client is not None:
            self._closing = threading.Thread(target=self._close_noting_error, name="kg-dask-close", daemon=True)
            self._closing.start()

    def _close_noting_error(self) -> None:
        try:
            self._close()
        except BaseException as exc:  # noqa: BLE001 - raised by close(), in the caller's thread
            self._close_error = exc

    def _close(self) -> None:
        try:
            if self.client is not None:
                self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        finally:
            self.client = self.cluster = None
            if self._config is not None:
                self._config.__exit__(None, None, None)
                self._config = None
            for logger, level in reversed(self._logging):
                logger.setLevel(level)
            self._logging = []

    def workers(self) -> int:
        """How many workers the scheduler has (asked at most once every WORKERS_EVERY seconds)."""
        count, asked = self._workers
        now = time.monotonic()
        if self.client is not None and now - asked >= WORKERS_EVERY:
            try:
                count = len(self.client.nthreads())
            except Exception:  # noqa: BLE001 - only for the progress bar; the map reports failures
                pass
            self._workers = (count, now)
        return count

    def note(self) -> str:
        """The progress bar's note: ``workers N``."""
        return f"workers {self.workers()}"

    def map(self, make_worker: Callable[[], DocWorker],
            chunks: Iterable[list[Job] | Writes]) -> Generator[list[DocResult], None, None]:
        """Each chunk's results, in input order; extraction (chunks of ``Job``), or the mapping of
        resolved documents (``Writes``), on the cluster's workers.

        The cluster is reached, and its workers load their models, when the first
        document that needs extracting comes: never for a build with nothing new.
        """
        run = f"kg-build-{uuid.uuid4().hex}"
        here = make_worker()  # results of unchanged documents (no extractor: they are not extracted)
        pending: deque[_Slot] = deque()
        in_flight = 0
        registered = False
        try:
            for n, group in enumerate(chunked(chunks, TASK_CHUNKS)):
                writes = [chunk for chunk in group if isinstance(chunk, Writes) and chunk.jobs]
                sent = [changed for changed in ([job for job in chunk if job.extract]
                                                for chunk in group if not isinstance(chunk, Writes)) if changed]
                future = None
                if writes:
                    client = self.client or self._connect()
                    future = client.submit(run_writes, make_worker, writes, key=f"{run}-{n}", retries=RETRIES)
                elif sent:
                    client = self.client if registered and self.client else self._register(run, make_worker)
                    registered = True
                    future = client.submit(run_task, run, sent, key=f"{run}-{n}", retries=RETRIES)
                pending.append(_Slot(group, future))
                in_flight += future is not None
                while pending and (pending[0].future is None or in_flight >= self._window()):
                    slot = pending.popleft()
                    in_flight -= slot.future is not None
                    yield from self._finish(slot, here)
            while pending:
                yield from self._finish(pending.popleft(), here)
        finally:
            for slot in pending:
                if slot.future is not None:
                    slot.future.release()
            if registered and self.client is not None and self.client.status == "running":
                try:
                    self.client.unregister_worker_plugin(run)
                except Exception:  # noqa: BLE001 - the workers forget it when they close anyway
                    pass

    def _register(self, run: str, make_worker: Callable[[], DocWorker]) -> Client:
        """Connect, and set up a DocWorker on every worker (and on each that joins later)."""
        client = self._connect()
        try:
            client.register_plugin(DocWorkerPlugin(run, make_worker), name=run)
        except (CancelledError, OSError) as exc:
            raise self._lost() from exc
        except Exception as exc:  # noqa: BLE001 - raised on a worker: report it in one line
            raise KgError(f"--dask {self.where}: the workers could not set up kg's extractor "
                          f"({_reason(exc)}); is kg installed on every worker?") from exc
        return client

    def _window(self) -> int:
        """Tasks in flight: enough for every worker thread to have the next ones queued."""
        return max(MIN_WINDOW, WINDOW_PER_THREAD * self.workers())

    def _finish(self, slot: _Slot, here: DocWorker) -> Iterator[list[DocResult]]:
        remote: Iterator[DocResult] = iter(())
        if slot.future is not None:
            try:
                remote = (result for chunk in slot.future.result() for result in chunk)
            except KilledWorker as exc:
                raise KgError(f"--dask {self.where}: workers died again and again on the documents "
                              f"{_first_and_last(slot.chunks)}; the documents before them are stored") from exc
            except (CancelledError, OSError) as exc:
                raise self._lost() from exc
            finally:
                slot.future.release()
        for chunk in slot.chunks:
            if isinstance(chunk, Writes):
                yield [next(remote) for _ in chunk.jobs]
                continue
            unchanged = iter(here([job for job in chunk if not job.extract]))
            yield [next(unchanged) if not job.extract else next(remote) for job in chunk]

    def _lost(self) -> KgError:
        return KgError(f"--dask {self.where}: the Dask scheduler went away; the documents already "
                       "extracted are kept: run the same build again to resume")


def _first_and_last(chunks: list[list[Job] | Writes]) -> str:
    """``first .. last`` of the chunks' documents: where they were read (or their graphs, once resolved)."""
    names = [job.graph if isinstance(job, WriteJob) else job.doc.origin or job.doc.id
             for chunk in (chunks[0], chunks[-1]) for job in (chunk.jobs if isinstance(chunk, Writes) else chunk)]
    return f"{names[0]} .. {names[-1]}"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
