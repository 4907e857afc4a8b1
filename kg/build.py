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
- One graph: each worker also returns the document's entity records (``kg.resolve``),
  kept in the workspace's identity index; once every document is stored, ``settle``
  resolves the whole workspace and writes again the documents whose entities now
  resolve differently (a new document may merge nodes, a removed one split them), so
  the store is the same as a fresh build of the same documents.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kg.errors import KgError, StoreError
from kg.io import read_documents
from kg.mapping.iri import DEFAULT_BASE, IriMinter
from kg.model import Document, Extraction, Problem
from kg.parallel import chunked, ordered_map
from kg.progress import Progress
from kg.store.oxigraph import open_store
from kg.resolve import IdentityIndex, Lexicon, Resolution, records_of, settle
from kg.resolve.records import EntityRecord
from kg.workspace import write_lock
from kg.writer import BackgroundWriter

if TYPE_CHECKING:
    from kg.api import BuildSummary, RemoveSummary

BATCH = 256  # documents per store write (new ones: one bulk load; see OxigraphStore)
FLUSH_EVERY = 512  # documents between store flushes: bounds RocksDB's memtables (RSS)
CHUNK = 8  # documents per worker task, and per batch of natasha's NER (its default batch size)

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"

ExtractorFactory = Callable[[], Any]  # () -> object with .extract(Document) -> Extraction


@dataclass(frozen=True, slots=True)
class Job:
    """One document to process; ``status`` is what storing it will mean."""

    doc: Document
    status: str  # ADDED, UPDATED or UNCHANGED (then it is not extracted)


@dataclass(frozen=True, slots=True)
class DocResult:
    """What a worker returns for one document: its graph as N-Quads, and its entity records."""

    graph: str  # IRI of the document's named graph
    status: str
    nquads: bytes = b""
    problems: tuple[Problem, ...] = ()
    doc: Document | None = None
    records: tuple[EntityRecord, ...] = ()
    applied: str = ""  # digest of the resolution the graph was written with


@dataclass(slots=True)
class Counts:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    resolved: int = 0  # documents written again because their entities resolve differently
    problems: list[Problem] = field(default_factory=list)

    def count(self, status: str) -> None:
        if status == ADDED:
            self.added += 1
        elif status == UPDATED:
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
    """Extract -> records + N-Quads (resolved) for a chunk of documents; builds its extractor on first use."""

    def __init__(self, base: str = DEFAULT_BASE, make_extractor: ExtractorFactory = default_extractor,
                 resolution: Resolution | None = None) -> None:
        self.minter = IriMinter(base)
        self.make_extractor = make_extractor
        self.resolution = resolution or Resolution()
        self.extractor: Any = None
        self.lexicon: Lexicon | None = None

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
            records = records_of(extraction, self.minter, self._lexicon())
            nquads = graph_nquads(extraction, self.minter, iri, self.resolution)
            applied = self.resolution.digest(r.iri for r in records)
            results.append(DocResult(iri, job.status, nquads, problems, job.doc, records, applied))
        return results

    def _lexicon(self) -> Lexicon:
        if self.lexicon is None:
            morph = getattr(self.extractor, "morph", None)
            self.lexicon = Lexicon.build(morph.lemma if morph is not None else None)
        return self.lexicon


def make_doc_worker(base: str, make_extractor: ExtractorFactory, resolution: Resolution | None = None) -> DocWorker:
    """Module-level, so ``partial(make_doc_worker, ...)`` pickles for spawned workers."""
    return DocWorker(base, make_extractor, resolution)


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


def graph_nquads(extraction: Extraction, minter: IriMinter, graph_iri: str,
                 resolution: Resolution | None = None) -> bytes:
    """The document's graph (the triples of ``kg.mapping.to_graph``) as N-Quads in its named graph."""
    from kg.mapping.nquads import to_nquads

    return to_nquads(extraction, minter, graph_iri, resolution)


def plan(docs: Iterable[Document], known: dict[str, str], minter: IriMinter, *, force: bool = False) -> Iterator[Job]:
    """A Job per document: unchanged when the stored content hash matches (``force``: never)."""
    from kg.mapping.to_rdf import content_hash

    for doc in docs:
        previous = known.get(minter.document(doc.id))
        if previous is None:
            yield Job(doc, ADDED)
        elif previous == content_hash(doc) and not force:
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
    store: Any,
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
    index: IdentityIndex | None = None,
    resolution: Resolution | None = None,
) -> Counts:
    """Stream ``inputs`` into ``store`` (an OxigraphStore); the counts of what was done.

    ``make_extractor`` (default ``kg.extract.Extractor``) must be picklable when ``jobs > 1``.
    Documents are written with ``resolution`` and their records kept in ``index``.
    """
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
    jobs_iter = plan(docs, store.content_hashes(), IriMinter(base))
    try:
        _load_jobs(store, jobs_iter, counts, collect, bar, base=base, jobs=jobs, make_extractor=make_extractor,
                   index=index, resolution=resolution)
    finally:
        bar.close()
    return counts


def _load_jobs(store: Any, jobs_iter: Iterable[Job], counts: Counts, collect: Callable[[Problem], None],
               bar: Progress, *, base: str, jobs: int, make_extractor: ExtractorFactory | None,
               index: IdentityIndex | None, resolution: Resolution | None) -> None:
    """Extract and write ``jobs_iter`` (the build's and ``settle``'s common path)."""
    make_extractor = make_extractor or default_extractor
    # chunks of CHUNK documents are the workers' tasks, the same for any --jobs (so the
    # same NER batches); the window lets workers run a whole batch ahead while this process writes one
    chunks = ordered_map(partial(make_doc_worker, base, make_extractor, resolution), chunked(jobs_iter, CHUNK),
                         jobs=jobs, chunksize=1, window=BATCH // CHUNK + 4 * jobs)
    results = (result for chunk in chunks for result in chunk)
    pending: list[DocResult] = []
    # the next batch is extracted while this one is written (kg.writer)
    with BackgroundWriter(partial(_write, store, index)) as writer:
        for result in results:
            counts.read += 1
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


@dataclass(frozen=True, slots=True)
class Batch:
    """Documents to write together, and whether to flush the store after them."""

    results: list[DocResult]
    flush: bool


def _write(store: Any, index: IdentityIndex | None, batch: Batch) -> None:
    """Write a batch of documents (``OxigraphStore.replace_documents_nquads``): each whole or not at all.

    The identity index gets the documents' records before the store has their graphs,
    and their ``applied`` digests after (see ``kg.resolve.index``).
    """
    if batch.results:
        if index is not None:
            from kg.mapping.to_rdf import content_hash

            index.put((r.graph, content_hash(r.doc), r.doc, r.records) for r in batch.results if r.doc is not None)
        store.replace_documents_nquads([(r.graph, r.nquads) for r in batch.results])
        if index is not None:
            index.set_applied((r.graph, r.applied) for r in batch.results if r.doc is not None)
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
) -> BuildSummary:
    """``kg.build``: hold the workspace lock, stream into the store, write views and stats."""
    from kg.api import BuildSummary, _stats, _write_views

    if jobs < 1:
        raise KgError(f"--jobs must be at least 1, not {jobs}")
    started = time.perf_counter()
    with write_lock(workspace):
        store = open_store(workspace)
        store.remove_incomplete()  # graphs left by an interrupted write
        index = IdentityIndex.of_workspace(workspace)
        try:
            resolver = _resolver(store, index, base, jobs, make_extractor, report)
            counts = load_store(store, inputs, per_file=per_file, encoding=encoding, base=base,
                                report=report, jobs=jobs, progress=progress,
                                progress_stream=progress_stream, make_extractor=make_extractor,
                                index=index, resolution=resolver.current())
            counts.resolved = resolver.settle()
        finally:
            index.close()
        store.flush()
        outputs = _write_views(store, workspace) if views else ()
        stats = _stats(store)
    return BuildSummary(
        counts.read, counts.added, counts.updated, counts.unchanged, tuple(counts.problems),
        stats, time.perf_counter() - started, outputs,
    )


DOCUMENT_GRAPHS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?id WHERE { GRAPH ?g { ?g dcterms:identifier ?id } }
"""


def document_graphs(store: Any) -> dict[str, str]:
    """Document id -> the IRI of its named graph (whatever base it was built with)."""
    return {row["id"].value: row["g"].value for row in store.query(DOCUMENT_GRAPHS)}


def run_remove(ids: Sequence[str], workspace: Path, *, views: bool = True) -> RemoveSummary:
    """``kg.remove``: drop each document's named graph, then rewrite views and stats."""
    from kg.api import RemoveSummary, _stats, _write_views

    if not (workspace / "store").exists():
        raise StoreError(f"{workspace}: no store here; run `kg build INPUT -w {workspace}` first")
    removed: list[str] = []
    missing: list[str] = []
    with write_lock(workspace):
        store = open_store(workspace)
        graphs = document_graphs(store)
        index = IdentityIndex.of_workspace(workspace)
        try:
            for doc_id in dict.fromkeys(ids):  # each id once, in the order given
                graph = graphs.get(doc_id)
                if graph is not None and store.remove_document(graph):
                    removed.append(doc_id)
                    index.remove([graph])
                else:
                    missing.append(doc_id)
            if removed:
                base = _base_of(next(iter(graphs.values())))
                _resolver(store, index, base, 1, None, None).settle()
        finally:
            index.close()
        store.flush()
        outputs = _write_views(store, workspace) if views and removed else ()
        stats = _stats(store)
    return RemoveSummary(tuple(removed), tuple(missing), stats, outputs)


def _base_of(graph_iri: str) -> str:
    """The base IRI a document graph was minted with: ``{base}doc/{id}``."""
    return graph_iri[: graph_iri.rindex("/doc/") + 1]


def _resolver(store: Any, index: IdentityIndex, base: str, jobs: int, make_extractor: ExtractorFactory | None,
              report: Callable[[Problem], None] | None) -> Any:
    """The workspace's resolution, and ``settle``: write again what it changes (``kg.resolve.settle``)."""

    def rewrite(docs: Iterable[Document], resolution: Resolution) -> int:
        counts = Counts()
        problems = report or (lambda problem: None)
        _load_jobs(store, (Job(doc, UPDATED) for doc in docs), counts, problems, Progress.for_stream(sys.stderr, enabled=False),
                   base=base, jobs=jobs, make_extractor=make_extractor, index=index, resolution=resolution)
        store.flush()
        return counts.read

    return settle.Resolver(store, index, IriMinter(base), rewrite)


def write_views(store: Any, workspace: Path, prefixes: dict[str, str]) -> tuple[Path, ...]:
    """graph.ttl (the union graph) and graph.trig (every named graph), each via a temp file.

    The two are written at the same time, graph.ttl in another thread: Oxigraph's
    dumps release the GIL, so on two cores the views take the time of the longer one.
    """
    from concurrent.futures import ThreadPoolExecutor

    def write(name: str, fmt: str) -> Path:
        path = workspace / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        store.dump(str(tmp), fmt, prefixes)
        tmp.replace(path)
        return path

    with ThreadPoolExecutor(1, thread_name_prefix="kg-graph.ttl") as pool:
        ttl = pool.submit(write, "graph.ttl", "turtle")
        trig = write("graph.trig", "trig")
        return ttl.result(), trig
