"""The build pipeline: stream documents through extraction into the store.

    read_documents -> plan (content-hash check) -> ordered_map(DocWorker, jobs)
        -> batches of N-Quads -> OxigraphStore.replace_documents_nquads

- Streaming: documents are read lazily, at most a bounded window of them is in
  flight (``kg.parallel``), and results are written to the store every
  ``BATCH`` documents, so memory does not grow with the size of the input.
- Parallel: ``DocWorker`` (extract + map to N-Quads, ``kg.mapping.nquads``) runs
  in ``jobs`` processes, each building one Extractor, on chunks of ``CHUNK``
  documents (natasha's NER reads a chunk in one batch, ``Extractor.extract_many``);
  results come back in input order, so ``jobs=2`` writes exactly what ``jobs=1`` writes. Only this process
  writes: a batch's new documents in one bulk load, replaced ones in one update.
- Incremental: a document whose content hash is in the store is not extracted
  again; a changed one has its named graph replaced.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kg.errors import KgError
from kg.io import read_documents
from kg.mapping.iri import DEFAULT_BASE, IriMinter
from kg.model import Document, Problem
from kg.parallel import chunked, ordered_map
from kg.pipeline.stats import Stats, store_stats
from kg.pipeline.worker import (
    ADDED,
    BLAS_THREADS,
    UNCHANGED,
    UPDATED,
    DocResult,
    DocWorker,
    ExtractorFactory,
    Job,
    Status,
    default_extractor,
    graph_nquads,
    make_doc_worker,
    safe_extract,
    safe_extract_many,
    single_threaded_blas,
)
from kg.pipeline.views import write_views
from kg.progress import Progress
from kg.store.base import Store
from kg.store.oxigraph import open_store
from kg.workspace import Workspace
from kg.writer import BackgroundWriter

if TYPE_CHECKING:
    from kg.store.remote import Endpoint, PushReport

__all__ = ["ADDED", "BATCH", "BLAS_THREADS", "CHUNK", "FLUSH_EVERY", "UNCHANGED", "UPDATED", "Batch", "BuildSummary",
           "Counts", "DocResult", "DocWorker", "ExtractorFactory", "Job", "Status", "default_extractor", "graph_nquads",
           "load_store", "make_doc_worker", "plan", "run_build", "safe_extract", "safe_extract_many",
           "single_threaded_blas"]

BATCH = 256  # documents per store write (new ones: one bulk load; see OxigraphStore)
FLUSH_EVERY = 512  # documents between store flushes: bounds RocksDB's memtables (RSS)
CHUNK = 8  # documents per worker task, and per batch of natasha's NER (its default batch size)


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What one `build` did."""

    read: int
    added: int
    updated: int
    unchanged: int
    problems: tuple[Problem, ...]
    stats: Stats
    seconds: float
    outputs: tuple[Path, ...] = field(default_factory=tuple)
    pushed: PushReport | None = None  # with ``push``: what went to the server

    @property
    def skipped(self) -> int:
        """Records or files that were reported and not read (warnings excluded)."""
        return sum(1 for p in self.problems if p.severity == "error")


@dataclass(slots=True)
class Counts:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    def count(self, status: Status) -> None:
        """One more document read, stored as ``status`` says."""
        self.read += 1
        if status is ADDED:
            self.added += 1
        elif status is UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1


def plan(docs: Iterable[Document], known: dict[str, str], minter: IriMinter) -> Iterator[Job]:
    """A Job per document: unchanged when the stored content hash matches."""
    from kg.mapping.to_rdf import content_hash

    for doc in docs:
        previous = known.get(minter.document(doc.id))
        if previous is None:
            yield Job(doc, ADDED)
        elif previous == content_hash(doc):
            yield Job(doc, UNCHANGED)
        else:
            yield Job(doc, UPDATED)


def count_documents(inputs: Sequence[str | Path], *, per_file: bool, encoding: str | None) -> int | None:
    """How many documents ``inputs`` hold (a cheap first pass), or None for stdin."""
    if any(str(source) == "-" for source in inputs):
        return None
    return sum(1 for _ in read_documents(inputs, per_file=per_file, encoding=encoding,
                                         report=lambda problem: None))


def load_store(
    store: Store,
    inputs: Sequence[str | Path],
    *,
    per_file: bool = False,
    encoding: str | None = None,
    base: str = DEFAULT_BASE,
    report: Callable[[Problem], None] | None = None,
    jobs: int = 1,
    progress: bool = False,
    progress_stream: TextIO | None = None,
    make_extractor: ExtractorFactory | None = None,
    dask: str | None = None,
) -> Counts:
    """Stream ``inputs`` into ``store`` (an OxigraphStore); the counts of what was done.

    ``dask`` (``local:N`` or a scheduler address) extracts on a Dask cluster
    (``kg.distributed``) instead of ``jobs`` processes. ``make_extractor`` (default
    ``kg.extract.Extractor``) must be picklable when ``jobs > 1`` or with ``dask``.
    """
    make_extractor = make_extractor or default_extractor
    minter = IriMinter(base)
    counts = Counts()

    def collect(problem: Problem) -> None:
        counts.problems.append(problem)
        if report:
            report(problem)

    stream = progress_stream if progress_stream is not None else sys.stderr
    bar = Progress.for_stream(stream, enabled=progress)
    if bar.active:
        bar.total = count_documents(inputs, per_file=per_file, encoding=encoding)

    docs = read_documents(inputs, per_file=per_file, encoding=encoding, report=collect)
    jobs_iter = plan(docs, store.content_hashes(), minter)
    make_worker = partial(make_doc_worker, base, make_extractor)
    with ExitStack() as stack:
        if dask is None:
            # chunks of CHUNK documents are the workers' tasks, the same for any --jobs (so the same
            # NER batches); the window lets workers run a whole batch ahead while this process writes one
            chunks = ordered_map(make_worker, chunked(jobs_iter, CHUNK),
                                 jobs=jobs, chunksize=1, window=BATCH // CHUNK + 4 * jobs)
        else:
            backend = stack.enter_context(dask_backend(dask))
            bar.note = backend.note
            chunks = backend.map(make_worker, chunked(jobs_iter, CHUNK))
            stack.callback(chunks.close)  # before the client closes
        _store_results(store, (result for chunk in chunks for result in chunk), counts, collect, bar)
    return counts


def dask_backend(address: str) -> Any:
    """``kg.distributed.DaskBackend`` for ``--dask ADDRESS``; says how to install Dask when it is missing."""
    try:
        from kg.distributed import DaskBackend, parse_target
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("dask", "distributed"):
            raise
        raise KgError("--dask needs Dask, an optional extra: pip install 'kg[dask]'") from exc
    return DaskBackend(parse_target(address))


def _store_results(store: Store, results: Iterable[DocResult], counts: Counts,
                   collect: Callable[[Problem], None], bar: Progress) -> None:
    """Count each result and write the changed documents' graphs in batches, in order."""
    pending: list[DocResult] = []
    try:
        # the next batch is extracted while this one is written (kg.writer)
        with BackgroundWriter(partial(_write, store)) as writer:
            for result in results:
                counts.count(result.status)
                for problem in result.problems:
                    collect(problem)
                if result.status != UNCHANGED:
                    pending.append(result)
                    if len(pending) >= BATCH:
                        # without the flush RSS grows ~45 MB per 1,000 documents
                        writer.submit(Batch(pending, (counts.added + counts.updated) % FLUSH_EVERY < BATCH))
                        pending = []
                bar.advance()
            writer.submit(Batch(pending, False))
    finally:
        bar.close()


@dataclass(frozen=True, slots=True)
class Batch:
    """Documents to write together, and whether to flush the store after them."""

    results: list[DocResult]
    flush: bool


def _write(store: Store, batch: Batch) -> None:
    """Write a batch of documents (``OxigraphStore.replace_documents_nquads``): each whole or not at all."""
    if batch.results:
        store.replace_documents_nquads([(r.graph, r.nquads) for r in batch.results])
    if batch.flush:
        store.flush()


def run_build(
    inputs: Sequence[str | Path],
    workspace: Path,
    *,
    per_file: bool = False,
    encoding: str | None = None,
    base: str = DEFAULT_BASE,
    report: Callable[[Problem], None] | None = None,
    views: bool = True,
    jobs: int = 1,
    progress: bool = False,
    progress_stream: TextIO | None = None,
    make_extractor: ExtractorFactory | None = None,
    dask: str | None = None,
    push: Endpoint | None = None,
) -> BuildSummary:
    """``kg.build``: hold the workspace lock, stream into the store, write views and stats,
    and push the changed graphs to ``push`` (a ``kg.store.remote.Endpoint``) if given."""
    if jobs < 1:
        raise KgError(f"--jobs must be at least 1, not {jobs}")
    if dask is not None and jobs != 1:
        raise KgError("--jobs and --dask do not go together: --dask local:N starts N worker processes")
    if dask is not None:
        dask_backend(dask)  # a bad address or a missing extra is said before the workspace is touched
    started = time.perf_counter()
    with Workspace(workspace).lock():
        store = open_store(workspace)
        store.remove_incomplete()  # graphs left by an interrupted write
        try:
            counts = load_store(store, inputs, per_file=per_file, encoding=encoding, base=base,
                                report=report, jobs=jobs, progress=progress,
                                progress_stream=progress_stream, make_extractor=make_extractor, dask=dask)
        except BaseException as exc:
            # the traceback's frames hold the store, and RocksDB lets one handle open it: a
            # caller that keeps the error (a notebook, CliRunner) could not build again to resume
            traceback.clear_frames(exc.__traceback__)
            del store
            raise
        store.flush()
        outputs = write_views(store, workspace) if views else ()
        stats = store_stats(store)
        pushed = None
        if push is not None:
            from kg.store.remote import push as push_graphs

            pushed = push_graphs(workspace, push, store=store)
    return BuildSummary(
        counts.read, counts.added, counts.updated, counts.unchanged, tuple(counts.problems),
        stats, time.perf_counter() - started, outputs, pushed,
    )
