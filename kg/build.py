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

import os
import sys
import time
import traceback
from contextlib import ExitStack
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kg.errors import KgError
from kg.io import read_documents
from kg.mapping.iri import DEFAULT_BASE, IriMinter
from kg.model import Document, Extraction, Problem
from kg.parallel import chunked, ordered_map
from kg.progress import Progress
from kg.sparql.run import value
from kg.store.base import Store
from kg.store.oxigraph import open_store
from kg.workspace import Workspace, atomic_write
from kg.writer import BackgroundWriter

if TYPE_CHECKING:
    from kg.api import BuildSummary, RemoveSummary

BATCH = 256  # documents per store write (new ones: one bulk load; see OxigraphStore)
FLUSH_EVERY = 512  # documents between store flushes: bounds RocksDB's memtables (RSS)
CHUNK = 8  # documents per worker task, and per batch of natasha's NER (its default batch size)


class Status(Enum):
    """What storing a document means: it is new, it replaces an older version, or nothing."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # its content hash is in the store: it is not extracted again


ADDED, UPDATED, UNCHANGED = Status.ADDED, Status.UPDATED, Status.UNCHANGED

ExtractorFactory = Callable[[], Any]  # () -> object with .extract(Document) -> Extraction


@dataclass(frozen=True, slots=True)
class Job:
    """One document to process; ``status`` is what storing it will mean."""

    doc: Document
    status: Status


@dataclass(frozen=True, slots=True)
class DocResult:
    """What a worker returns for one document: its graph as N-Quads."""

    graph: str  # IRI of the document's named graph
    status: Status
    nquads: bytes = b""
    problems: tuple[Problem, ...] = ()


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


# natasha's numpy runs on OpenBLAS, which by default starts a thread per core that
# spins while waiting: one extraction process then keeps both cores busy, and two
# processes (or other work on the machine) fight over them. Measured here on a loaded
# 2-core machine: 80 documents in 13.1 s wall / 9.4 s CPU by default, 1.0 s / 0.9 s
# with one thread. Parallelism comes from ``--jobs`` processes instead.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_blas() -> None:
    """Ask BLAS for one thread (unless the user set it); effective before numpy is imported."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


def default_extractor() -> Any:
    single_threaded_blas()
    from kg.extract import Extractor  # loads natasha: only in processes that extract

    return Extractor()


class DocWorker:
    """Extract -> to_graph -> N-Quads for a chunk of documents; builds its extractor on first use."""

    def __init__(self, base: str = DEFAULT_BASE, make_extractor: ExtractorFactory = default_extractor) -> None:
        self.minter = IriMinter(base)
        self.make_extractor = make_extractor
        self.extractor: Any = None

    def load(self) -> None:
        """Build the extractor now rather than on first use (a Dask worker, as it starts)."""
        if self.extractor is None:
            self.extractor = self.make_extractor()

    def __call__(self, chunk: Sequence[Job]) -> list[DocResult]:
        todo = [job.doc for job in chunk if job.status != UNCHANGED]
        if todo and self.extractor is None:
            self.extractor = self.make_extractor()
        extracted = iter(safe_extract_many(self.extractor, todo) if todo else [])
        results = []
        for job in chunk:
            iri = self.minter.document(job.doc.id)
            if job.status == UNCHANGED:
                results.append(DocResult(iri, UNCHANGED))
                continue
            extraction, problems = next(extracted)
            results.append(DocResult(iri, job.status, graph_nquads(extraction, self.minter, iri), problems))
        return results


def make_doc_worker(base: str, make_extractor: ExtractorFactory) -> DocWorker:
    """Module-level, so ``partial(make_doc_worker, ...)`` pickles for spawned workers."""
    return DocWorker(base, make_extractor)


def safe_extract(extractor: Any, doc: Document) -> tuple[Extraction, tuple[Problem, ...]]:
    """Extract; an extractor failure costs that document's facts, not the run."""
    try:
        return extractor.extract(doc), ()
    except Exception as exc:  # noqa: BLE001 - reported; the document is kept without facts
        where = doc.origin or doc.id
        message = f"extraction failed ({type(exc).__name__}: {exc}); document kept without facts"
        return Extraction(doc), (Problem(where, message),)


def safe_extract_many(extractor: Any, docs: Sequence[Document]) -> list[tuple[Extraction, tuple[Problem, ...]]]:
    """``safe_extract`` of each document, through ``extractor.extract_many`` when it has one
    (``kg.extract.Extractor`` batches natasha's NER); one document at a time if that fails."""
    if len(docs) > 1 and hasattr(extractor, "extract_many"):
        try:
            extractions = extractor.extract_many(docs)
        except Exception:  # noqa: BLE001 - redone one by one, so a failure costs only its document
            pass
        else:
            if len(extractions) == len(docs):
                return [(extraction, ()) for extraction in extractions]
    return [safe_extract(extractor, doc) for doc in docs]


def graph_nquads(extraction: Extraction, minter: IriMinter, graph_iri: str) -> bytes:
    """The document's graph (the triples of ``kg.mapping.to_graph``) as N-Quads in its named graph."""
    from kg.mapping.nquads import to_nquads

    return to_nquads(extraction, minter, graph_iri)


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


def _store_results(store: Any, results: Iterable[DocResult], counts: Counts,
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
    push: Any = None,
) -> BuildSummary:
    """``kg.build``: hold the workspace lock, stream into the store, write views and stats,
    and push the changed graphs to ``push`` (a ``kg.store.remote.Endpoint``) if given."""
    from kg.api import BuildSummary, _stats, _write_views

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
        outputs = _write_views(store, workspace) if views else ()
        stats = _stats(store)
        pushed = None
        if push is not None:
            from kg.store.remote import push as push_graphs

            pushed = push_graphs(workspace, push, store=store)
    return BuildSummary(
        counts.read, counts.added, counts.updated, counts.unchanged, tuple(counts.problems),
        stats, time.perf_counter() - started, outputs, pushed,
    )


DOCUMENT_GRAPHS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?id WHERE { GRAPH ?g { ?g dcterms:identifier ?id } }
"""


def document_graphs(store: Store) -> dict[str, str]:
    """Document id -> the IRI of its named graph (whatever base it was built with)."""
    return {value(row["id"]): value(row["g"]) for row in store.select(DOCUMENT_GRAPHS)}


def run_remove(ids: Sequence[str], workspace: Path, *, views: bool = True) -> RemoveSummary:
    """``kg.remove``: drop each document's named graph, then rewrite views and stats."""
    from kg.api import RemoveSummary, _stats, _write_views

    Workspace(workspace).require_store()
    removed: list[str] = []
    missing: list[str] = []
    with Workspace(workspace).lock():
        store = open_store(workspace)
        graphs = document_graphs(store)
        for doc_id in dict.fromkeys(ids):  # each id once, in the order given
            graph = graphs.get(doc_id)
            if graph is not None and store.remove_document(graph):
                removed.append(doc_id)
            else:
                missing.append(doc_id)
        store.flush()
        outputs = _write_views(store, workspace) if views and removed else ()
        stats = _stats(store)
    return RemoveSummary(tuple(removed), tuple(missing), stats, outputs)


def write_views(store: Store, workspace: Path, prefixes: dict[str, str]) -> tuple[Path, ...]:
    """graph.ttl (the union graph) and graph.trig (every named graph), each via a temp file.

    The two are written at the same time, graph.ttl in another thread: Oxigraph's
    dumps release the GIL, so on two cores the views take the time of the longer one.
    """
    from concurrent.futures import ThreadPoolExecutor

    def write(path: Path, fmt: str) -> Path:
        with atomic_write(path) as tmp:
            store.dump(str(tmp), fmt, prefixes)
        return path

    ws = Workspace(workspace)
    with ThreadPoolExecutor(1, thread_name_prefix="kg-graph.ttl") as pool:
        ttl = pool.submit(write, ws.ttl, "turtle")
        trig = write(ws.trig, "trig")
        return ttl.result(), trig
