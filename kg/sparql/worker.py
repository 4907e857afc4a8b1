"""Queries in child processes that can be stopped: time limits and crash isolation.

pyoxigraph cannot cancel a query, and a query it cannot handle may abort the whole
process. So a query with a time limit runs in a worker process (``python -m
kg.sparql.worker STORE_DIR``) that opens the store read-only; the parent waits
for the answer until the deadline and kills the worker after it. The CPU stops
with the kill. A worker that crashes takes nothing else with it.

Parent and worker talk over the worker's stdin/stdout in frames: 1 byte of kind,
4 bytes of length (big-endian), the payload. The parent sends one pickled ``Job``
at a time; the worker answers with:

- ``R`` once, when the store is open (``X`` instead when it cannot be opened);
- for a job with ``fmt``: ``M`` (the media type), ``D`` chunks of the serialised
  answer (at least 64 KiB each but the last), ``E``;
- for a job without ``fmt``: ``D`` chunks of the pickled Result, ``E``;
- ``X`` (a JSON ``{"kind", "message"}``) when the query fails.

A worker whose parent is gone exits when it next reads (end of input) or writes
(broken pipe); a CPU limit set before each job (the job's seconds plus
``CPU_MARGIN``) ends one still evaluating.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from kg.errors import KgError, QuerySyntaxError, QueryTimeout, StoreError
from kg.sparql.catalog import NamedQuery
from kg.sparql.guard import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pyoxigraph import Variable

    from kg.sparql.run import OxResult, OxTerm
from kg.sparql.terms import Term

HEADER = struct.Struct(">cI")
CHUNK = 64 * 1024
CPU_MARGIN = 5.0  # seconds of CPU a worker may use past its job's limit before the kernel stops it
START_SECONDS = 60.0  # how long a worker may take to open the store
# SPARQL results formats of SELECT and ASK answers: name -> media type (graphs are N-Triples)
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_MEDIA_TYPE = "text/turtle"  # N-Triples is Turtle


@dataclass(frozen=True, slots=True)
class Job:
    """One query for a worker: ``fmt`` None asks for the Result object, else serialised bytes."""

    query: NamedQuery
    terms: dict[str, Term] = field(default_factory=dict)
    fmt: str | None = None
    seconds: float | None = None
    limits: Limits = DEFAULT_LIMITS


class WorkerGone(StoreError):
    """A worker process ended in the middle of a job (a crash of the query engine)."""


# -- the parent's side -----------------------------------------------------------------


class Worker:
    """One worker process over the store in ``store_dir``."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.sparql.worker", str(store_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._in: IO[bytes] = self.process.stdin
        self._out = self.process.stdout.fileno()
        self._buffer = bytearray()
        self.ready = False

    def wait_ready(self, deadline: float) -> None:
        """Wait for the ``R`` frame; the store could not be opened: StoreError."""
        if self.ready:
            return
        kind, payload = self._frame(deadline)
        if kind == b"X":
            raise StoreError(json.loads(payload)["message"])
        if kind != b"R":
            raise StoreError(f"unexpected frame {kind!r} from a query worker")
        self.ready = True

    def send(self, job: Job) -> None:
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._in.write(struct.pack(">I", len(data)) + data)
            self._in.flush()
        except (BrokenPipeError, OSError) as exc:
            raise self._gone() from exc

    def frames(self, deadline: float) -> Iterator[tuple[bytes, bytes]]:
        """The frames of one answer, up to and including ``E`` (or an ``X``, raised)."""
        self.wait_ready(deadline)
        while True:
            kind, payload = self._frame(deadline)
            if kind == b"X":
                raise _error(json.loads(payload))
            yield kind, payload
            if kind == b"E":
                return

    def _frame(self, deadline: float) -> tuple[bytes, bytes]:
        while True:
            if len(self._buffer) >= HEADER.size:
                kind, length = HEADER.unpack_from(self._buffer)
                end = HEADER.size + length
                if len(self._buffer) >= end:
                    payload = bytes(self._buffer[HEADER.size:end])
                    del self._buffer[:end]
                    return kind, payload
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout("time limit reached")
            readable, _, _ = select.select([self._out], [], [], remaining)
            if not readable:
                continue
            data = os.read(self._out, max(CHUNK, HEADER.size + CHUNK))
            if not data:
                raise self._gone()
            self._buffer += data

    def _gone(self) -> WorkerGone:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        if code < 0:
            try:
                how = f"signal {signal.Signals(-code).name}"
            except ValueError:
                how = f"signal {-code}"
        else:
            how = f"status {code}"
        return WorkerGone(f"the query engine stopped ({how}) on this query")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """Stop the worker now (SIGKILL) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._close_pipes()

    def close(self) -> None:
        """Ask the worker to exit (end of its input), and kill it if it does not."""
        try:
            self._in.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


def _error(document: dict[str, str]) -> KgError:
    kind, message = document.get("kind"), document.get("message", "")
    if kind == "syntax":
        return QuerySyntaxError(message)
    if kind == "store":
        return StoreError(message)
    return KgError(message)


def run_isolated(store_dir: Path, job: Job, timeout: float) -> object:
    """Run ``job`` (``fmt`` None) in a fresh worker; its Result, or QueryTimeout after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    worker = Worker(store_dir)
    try:
        worker.send(job)
        data = bytearray()
        for kind, payload in worker.frames(deadline):
            if kind == b"D":
                data += payload
        return pickle.loads(data)
    except QueryTimeout:
        raise QueryTimeout(f"the query was stopped after {timeout:g} s (the time limit)") from None
    finally:
        worker.kill()


class WorkerPool:
    """``size`` workers over one store, shared by the threads of a server.

    A worker that timed out or crashed is killed and replaced; ``close`` stops them all.
    """

    def __init__(self, store_dir: Path, size: int) -> None:
        self.store_dir = store_dir
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        try:
            for _ in range(size):
                self._add()
            deadline = time.monotonic() + START_SECONDS
            for worker in list(self._all):
                worker.wait_ready(deadline)
        except BaseException:
            self.close()
            raise

    def _add(self) -> None:
        worker = Worker(self.store_dir)
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def acquire(self, deadline: float) -> Worker:
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout("every query worker stayed busy until the time limit") from None

    def release(self, worker: Worker, healthy: bool) -> None:
        """Give ``worker`` back, or (not ``healthy``: mid-answer, timed out, crashed) kill and replace it."""
        if healthy and worker.alive() and not self._closed:
            self._idle.put(worker)
            return
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            self._add()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.close()


# -- the worker's side -------------------------------------------------------------------


class _FrameWriter:
    """A binary file for pyoxigraph's serialisers: ``D`` frames of at least CHUNK bytes."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            _send(self.out, b"D", bytes(self.buffer))
            self.buffer.clear()


def _send(out: BinaryIO, kind: bytes, payload: bytes = b"") -> None:
    out.write(HEADER.pack(kind, len(payload)))
    out.write(payload)
    if kind != b"D":
        out.flush()


def _read_job(stream: BinaryIO) -> Job | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (length,) = struct.unpack(">I", head)
    data = stream.read(length)
    if len(data) < length:
        return None
    job = pickle.loads(data)
    assert isinstance(job, Job)
    return job


def _limit_cpu(seconds: float | None) -> None:
    """Let the kernel stop this process after ``seconds`` (+ CPU_MARGIN) more of CPU."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if seconds is None:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds + CPU_MARGIN)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


class _Store:
    """The read-only store as ``run_local`` wants it (no rdflib import in the worker)."""

    def __init__(self, store: object) -> None:
        self._store = store

    def query(self, sparql: str, *, substitutions: Mapping[Variable, OxTerm] | None = None,
              prefixes: Mapping[str, str] | None = None) -> OxResult:
        return self._store.query(sparql, substitutions=substitutions,  # type: ignore[attr-defined,no-any-return]
                                 prefixes=dict(prefixes) if prefixes else None)


def _answer(store: _Store, job: Job, out: BinaryIO) -> None:
    import pyoxigraph as ox

    from kg.sparql.run import check_prefixes, run_local, syntax_error, to_ox
    from kg.sparql.syntax import missing_prefixes

    if job.fmt is None:
        result = run_local(store, job.query, job.terms, limits=job.limits)
        writer = _FrameWriter(out)
        writer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        writer.flush()
        _send(out, b"E")
        return
    substitutions = {ox.Variable(name): to_ox(term) for name, term in job.terms.items()}
    check_prefixes(job.query)  # the project's prefixes need no PREFIX line (kg.sparql.syntax)
    try:
        answer = store.query(job.query.text, substitutions=substitutions, prefixes=missing_prefixes(job.query.text))
    except SyntaxError as exc:
        message = str(syntax_error(exc, job.query.origin or job.query.name, job.query.text))
        _send(out, b"X", json.dumps({"kind": "syntax", "message": message}).encode())
        return
    writer = _FrameWriter(out)
    output = cast(IO[bytes], writer)  # pyoxigraph only calls write()
    if isinstance(answer, ox.QueryTriples):
        _send(out, b"M", GRAPH_MEDIA_TYPE.encode())
        ox.serialize(answer, output, ox.RdfFormat.N_TRIPLES)
    else:
        assert isinstance(answer, ox.QuerySolutions | ox.QueryBoolean)
        _send(out, b"M", RESULT_FORMATS[job.fmt].encode())
        formats = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
        answer.serialize(output, formats[job.fmt])
    writer.flush()
    _send(out, b"E")


def main(argv: list[str]) -> int:
    """The worker: open the store, answer jobs until the end of input."""
    import resource

    import pyoxigraph as ox

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash or the CPU limit leaves no core file
    out = sys.stdout.buffer
    stdin = sys.stdin.buffer
    sys.stdout = sys.stderr  # nothing may print into the frames
    try:
        store = _Store(ox.Store.read_only(argv[1]))
    except (OSError, RuntimeError, IndexError) as exc:
        _send(out, b"X", json.dumps({"kind": "store", "message": f"cannot open the store: {exc}"}).encode())
        return 1
    _send(out, b"R")
    while True:
        job = _read_job(stdin)
        if job is None:
            return 0
        _limit_cpu(job.seconds)
        try:
            _answer(store, job, out)
        except QuerySyntaxError as exc:
            _send(out, b"X", json.dumps({"kind": "syntax", "message": str(exc)}).encode())
        except (KgError, RuntimeError, ValueError, OSError) as exc:
            _send(out, b"X", json.dumps({"kind": "query", "message": str(exc)}).encode())


if __name__ == "__main__":
    from kg.sparql import worker  # this module by its name: the Job class pickles refer to

    try:
        sys.exit(worker.main(sys.argv))
    except (BrokenPipeError, KeyboardInterrupt):
        os._exit(1)
