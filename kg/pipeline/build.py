"""The build pipeline: stream documents through extraction into the identity index, resolve,
write the store.

    read_documents -> plan (content-hash check) -> Backend: DocWorker in jobs processes | Dask
        -> IdentityIndex (extraction + entity records per document)
    resolve (kg.resolve) -> the documents whose graph is new, changed or resolves differently
        -> Writes on the same --jobs workers: to_nquads(resolved extraction) -> OxigraphStore.replace_documents_nquads

- Streaming: documents are read lazily, at most a bounded window of them is in
  flight (``kg.parallel``), and results are written every ``BATCH`` documents, so
  memory does not grow with the size of the input.
- Parallel: ``DocWorker`` (extract + entity records) runs in ``jobs`` processes (or on
  a Dask cluster, ``kg.distributed``; ``kg.pipeline.backend``), each building one Extractor, on
  chunks of ``CHUNK`` documents (natasha's NER reads a chunk in one batch,
  ``Extractor.extract_many``); results come back in input order, so ``jobs=2`` writes
  exactly what ``jobs=1`` writes. Once resolved, the documents to write are mapped to
  N-Quads on the same ``--jobs`` processes (``Writes``; with ``--dask`` in this process, while the
  cluster closes), and this process writes them.
- One graph: once every document is extracted, the records of the whole workspace are
  resolved (``kg.resolve``: which nodes are one real entity) and each document is
  mapped with that resolution. Only documents whose graph differs from what the store
  holds are written (new, changed, or whose entities now resolve differently: a new
  document may merge nodes, a removed one split them), so the store always equals a
  fresh build of the same documents. Only this process writes: a batch's new documents
  in one bulk load, replaced ones in one update.
- Incremental: a document whose content hash is in the index is not extracted again.
"""

from __future__ import annotations

import hashlib
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kg.errors import KgError
from kg.io import read_documents
from kg.mapping.iri import DEFAULT_BASE, IriMinter
from kg.model import Document, Problem
from kg.parallel import chunked
from kg.pipeline.backend import Backend, dask_backend
from kg.pipeline.stats import Stats, store_stats
from kg.pipeline.worker import (
    ADDED,
    BLAS_THREADS,
    UNCHANGED,
    UPDATED,
    DocResult,
    WriteJob,
    Writes,
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
from kg.resolve import Curation, IdentityIndex, load_curation
from kg.resolve.identity import Canonical, Resolution, resolve_stream
from kg.resolve.reference import load_reference
from kg.resolve.stored import stored_documents
from kg.store.base import Store
from kg.store.oxigraph import open_store
from kg.workspace import Workspace
from kg.writer import BackgroundWriter

if TYPE_CHECKING:
    from kg.store.remote import Endpoint, PushReport

__all__ = ["ADDED", "BATCH", "BLAS_THREADS", "CHUNK", "FLUSH_EVERY", "UNCHANGED", "UPDATED", "Batch", "BuildSummary",
           "Counts", "DocResult", "DocWorker", "ExtractorFactory", "Job", "Status", "default_extractor", "graph_nquads",
           "extract_into", "load_store", "make_doc_worker", "plan", "run_build", "safe_extract", "safe_extract_many",
           "single_threaded_blas", "write_resolved"]

BATCH = 256  # documents per store write (new ones: one bulk load; see OxigraphStore)
FLUSH_EVERY = 512  # documents between store flushes: bounds RocksDB's memtables (RSS)
CHUNK = 8  # documents per worker task, and per batch of natasha's NER (its default batch size)
PLAN = 256  # documents whose stored and indexed content hashes are asked at once


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
    written: int = 0  # documents whose graph was written to the store (new, changed or resolved anew)
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


Hashes = Callable[[list[str]], Mapping[str, str]]  # graphs -> the content hashes held of them


def plan(docs: Iterable[Document], known: Hashes, minter: IriMinter, extracted: Hashes | None = None) -> Iterator[Job]:
    """A Job per document: its status against the stored content hashes ``known`` gives; it is
    extracted unless the hash ``extracted`` gives (the identity index's; default ``known``) is its own.

    The hashes are asked ``PLAN`` documents at a time (``OxigraphStore.content_hashes_of``,
    ``IdentityIndex.hashes_of``): never every stored document's at once.
    """
    from kg.mapping.to_rdf import content_hash

    extracted = known if extracted is None else extracted
    for part in chunked(docs, PLAN):
        graphs = [minter.document(doc.id) for doc in part]
        stored, indexed = known(graphs), extracted(graphs)
        for doc, graph in zip(part, graphs):
            digest = content_hash(doc)
            previous = stored.get(graph)
            status = ADDED if previous is None else UNCHANGED if previous == digest else UPDATED
            yield Job(doc, status, indexed.get(graph) != digest)


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
    index: IdentityIndex | None = None,
) -> Counts:
    """Stream ``inputs`` into ``store`` through ``index`` (default: one in memory); the counts of
    what was done.

    ``dask`` (``local:N`` or a scheduler address) extracts on a Dask cluster
    (``kg.distributed``) instead of ``jobs`` processes. ``make_extractor`` (default
    ``kg.extract.Extractor``) must be picklable when ``jobs > 1`` or with ``dask``.
    """
    index = index if index is not None else IdentityIndex(None)
    if index.outdated():  # records of an older kg: read every stored document again (below)
        index.renew()
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
    # the same worker processes extract, then map the resolved documents to N-Quads
    with Backend(partial(make_doc_worker, base, make_extractor or default_extractor), jobs=jobs,
                 dask=dask) as backend:
        try:
            extract_into(index, plan(docs, store.content_hashes_of, minter, index.hashes_of), counts, collect, bar,
                         base=base, jobs=jobs, make_extractor=make_extractor, backend=backend)
        finally:
            bar.close()
        # documents stored by a build that kept no index (or whose rows were lost): read them back
        unindexed = sorted(_not_indexed(store, index))
        if unindexed:
            extract_into(index, (Job(doc, UPDATED) for doc in stored_documents(store, unindexed)), Counts(),
                         collect, Progress.for_stream(stream, enabled=False), base=base, jobs=jobs,
                         make_extractor=make_extractor, backend=backend)
        if not backend.maps_writes:  # a Dask cluster stops while this process maps and writes
            backend.close_in_background()
        counts.written = write_resolved(store, index, minter, backend=backend)
    return counts


def extract_into(index: IdentityIndex, jobs_iter: Iterable[Job], counts: Counts, collect: Callable[[Problem], None],
                 bar: Progress, *, base: str, jobs: int, make_extractor: ExtractorFactory | None,
                 dask: str | None = None, backend: Backend | None = None) -> None:
    """Extract the documents of ``jobs_iter`` (those the index does not hold) into ``index``,
    on ``backend`` (default: ``jobs`` processes or the Dask cluster ``dask``, for this call)."""
    with ExitStack() as stack:
        if backend is None:
            make_worker = partial(make_doc_worker, base, make_extractor or default_extractor)
            backend = stack.enter_context(Backend(make_worker, jobs=jobs, dask=dask))
        bar.note = backend.note
        # chunks of CHUNK documents are the workers' tasks, the same for any --jobs (so the same
        # NER batches); the window lets workers run a whole batch ahead while this process writes one
        chunks = backend.map(chunked(jobs_iter, CHUNK), window=_window(backend))
        stack.callback(getattr(chunks, "close", lambda: None))  # before the workers close
        _index_results(index, (result for chunk in chunks for result in chunk), counts, collect, bar)


def _window(backend: Backend) -> int:
    """Chunks in flight for ``--jobs N``: a whole batch ahead of the one being written."""
    return BATCH // CHUNK + 4 * backend.jobs


def _index_results(index: IdentityIndex, results: Iterable[DocResult], counts: Counts,
                   collect: Callable[[Problem], None], bar: Progress) -> None:
    """Count each result and put the extracted documents into the index in batches, in order."""
    pending: list[DocResult] = []
    # the next batch is extracted while this one is written (kg.writer)
    with BackgroundWriter(partial(_put, index)) as writer:
        for result in results:
            counts.count(result.status)
            for problem in result.problems:
                collect(problem)
            if result.extraction:
                pending.append(result)
                if len(pending) >= BATCH:
                    writer.submit(Batch(pending, False))
                    pending = []
            bar.advance()
        writer.submit(Batch(pending, False))


def _put(index: IdentityIndex, batch: Batch) -> None:
    index.put((r.graph, r.content_hash, r.extraction, r.records) for r in batch.results)


def write_resolved(store: Store, index: IdentityIndex, minter: IriMinter, curation: Curation | None = None,
                   *, backend: Backend | None = None) -> int:
    """Resolve the whole index and write every document whose stored graph differs from what it
    now maps to (new, changed, resolving differently, or touched by a curation ``reject``); the
    number of documents written. Documents the index no longer holds are dropped from the store.

    The documents are mapped to N-Quads on ``backend``'s worker processes when it maps writes
    (``Backend.maps_writes``: the build's ``--jobs N``, after its extraction pass), else in this
    process; only this process writes.
    """
    for graph in _not_indexed(store, index):
        store.remove_document(graph)
    curation = curation if curation is not None else _curation_of(store)
    # the records are read from the index as a stream, twice: never all of them in memory at once
    resolution = resolve_stream(index.records(), minter, curation, load_reference(str.lower))
    rejects = frozenset(curation.reject)
    touched = _rejected_graphs(store, rejects)

    def todo() -> Iterator[tuple[str, str, tuple[str, ...]]]:
        # the stored content hashes are asked page by page (each before its documents are written)
        for page in chunked(index.states(), PLAN):
            stored = store.content_hashes_of([row.graph for row in page])
            for row in page:
                now = resolution.digest(row.iris)
                rejected = {r for r in rejects if row.graph in touched[r]} | (row.rejected & rejects)
                if stored.get(row.graph) != row.content_hash or row.applied != now or rejected != row.rejected:
                    yield row.graph, now, row.iris

    ordered_rejects = tuple(sorted(rejects))

    def writes() -> Iterator[Writes]:
        """The documents to write, in chunks of CHUNK: what a worker needs to map each one."""
        for part in chunked(todo(), CHUNK):
            nodes = {graph: (digest, iris) for graph, digest, iris in part}
            yield Writes(tuple(
                WriteJob(graph, extraction, _canonical(resolution, nodes[graph][1]), nodes[graph][0], ordered_rejects)
                for graph, extraction in index.stored_extractions(nodes)))

    workers = backend if backend is not None and backend.maps_writes else Backend(
        partial(make_doc_worker, minter.base, default_extractor))
    written = 0
    with BackgroundWriter(partial(_write, store, index)) as writer:
        results = (result for chunk in workers.map(writes(), window=_window(workers)) for result in chunk)
        for batch in chunked(results, BATCH):
            written += len(batch)
            # without the flush RSS grows ~45 MB per 1,000 documents
            writer.submit(Batch(batch, written % FLUSH_EVERY < BATCH))
        # every document is mapped: the workers may stop while the last batch is written
        workers.close_in_background()
    return written


def _not_indexed(store: Store, index: IdentityIndex) -> list[str]:
    """The stored documents the index does not hold (read as a stream, asked of the index page by page)."""
    missing: list[str] = []
    for part in chunked(store.iter_content_hashes(), PLAN):
        held = index.hashes_of([graph for graph, _ in part])
        missing.extend(graph for graph, _ in part if graph not in held)
    return missing


def _canonical(resolution: Resolution, iris: Iterable[str]) -> tuple[tuple[str, Canonical], ...]:
    """The canonical form of each of a document's nodes that resolves to one (what ``resolved`` reads)."""
    return tuple((iri, canon) for iri in sorted(set(iris)) if (canon := resolution.get(iri)) is not None)


_GRAPHS_WITH_NODE = "SELECT DISTINCT ?g WHERE { GRAPH ?g { { %s ?p ?o } UNION { ?s ?p %s } } }"
_GRAPHS_WITH_STATEMENT = "SELECT DISTINCT ?g WHERE { GRAPH ?g { %s %s %s } }"


def _rejected_graphs(store: Store, rejects: frozenset[tuple[str, ...]]) -> dict[tuple[str, ...], set[str]]:
    """The stored graphs that still state what each ``reject`` line rejects."""
    import pyoxigraph as ox

    from kg.sparql.run import value

    found: dict[tuple[str, ...], set[str]] = {}
    for reject in rejects:
        terms = [str(ox.NamedNode(t)) for t in reject]
        query = _GRAPHS_WITH_NODE % (terms[0], terms[0]) if len(terms) == 1 else _GRAPHS_WITH_STATEMENT % tuple(terms)
        found[reject] = {value(row["g"]) for row in store.select(query)}
    return found


def _curation_of(store: Store) -> Curation:
    """The corrections of the store's workspace (``WORKSPACE/curation.tsv``)."""
    path: Path | None = getattr(store, "path", None)
    return load_curation(path.parent) if path is not None else Curation()


@dataclass(frozen=True, slots=True)
class Batch:
    """Documents to write together, and whether to flush the store after them."""

    results: list[DocResult]
    flush: bool


def _write(store: Store, index: IdentityIndex | None, batch: Batch) -> None:
    """Write a batch of documents (``OxigraphStore.replace_documents_nquads``): each whole or not
    at all; then record in the index the resolution each was written with and the SHA-256 of its
    N-Quads (``kg.resolve.index``; ``kg push`` compares it with its journal)."""
    if batch.results:
        if index is not None:
            index.clear_written(r.graph for r in batch.results)
        store.replace_documents_nquads([(r.graph, r.nquads) for r in batch.results])
        if index is not None:
            index.set_applied((r.graph, r.applied, r.rejected, hashlib.sha256(r.nquads).hexdigest())
                              for r in batch.results)
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
        index = IdentityIndex.of_workspace(workspace)
        try:
            counts = load_store(store, inputs, per_file=per_file, encoding=encoding, base=base,
                                report=report, jobs=jobs, progress=progress,
                                progress_stream=progress_stream, make_extractor=make_extractor, dask=dask,
                                index=index)
        except BaseException as exc:
            # the traceback's frames hold the store, and RocksDB lets one handle open it: a
            # caller that keeps the error (a notebook, CliRunner) could not build again to resume
            traceback.clear_frames(exc.__traceback__)
            del store
            raise
        finally:
            index.close()
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
