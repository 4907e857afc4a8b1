"""The build pipeline: stream documents through extraction into the identity index, resolve, write the store.

    read_documents -> plan (content-hash check against the index) -> ordered_map(DocWorker, jobs)
        -> IdentityIndex (extraction + entity records per document)
    resolve (kg.resolve) -> the documents whose graph is new, changed or resolves differently
        -> to_nquads(extraction, resolution) -> OxigraphStore.replace_documents_nquads

- Streaming: documents are read lazily, at most a bounded window of them is in
  flight (``kg.parallel``), and results are written every ``BATCH`` documents, so
  memory does not grow with the size of the input.
- Parallel: ``DocWorker`` (extract + the entity records) runs in ``jobs`` processes,
  each building one Extractor, on chunks of ``CHUNK`` documents (natasha's NER reads a
  chunk in one batch, ``Extractor.extract_many``); results come back in input order,
  so ``jobs=2`` writes exactly what ``jobs=1`` writes.
- One graph: once every document is extracted, the records of the whole workspace are
  resolved (``kg.resolve``: which nodes are one real entity) and each document is
  mapped with that resolution. Only the documents whose graph differs from what the
  store holds are written (new, changed, or whose entities now resolve differently:
  a new document may merge nodes, a removed one split them), so the store always
  equals a fresh build of the same documents. Only this process writes the store.
- Incremental: a document whose content hash is in the index is not extracted again.
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
from kg.store.oxigraph import open_store
from kg.resolve import Curation, IdentityIndex, Lexicon, Resolution, load_curation, records_of, resolve
from kg.mapping.to_rdf import Resolution as MappingResolution
from kg.resolve.curation import apply_rejects
from kg.resolve import codec
from kg.resolve.records import EntityRecord
from kg.resolve.lexicon import common_words
from kg.resolve.records import scoped
from kg.resolve.reference import load_reference
from kg.resolve.stored import stored_documents
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
    status: Status  # what the document is to the store
    extract: bool = True  # False: the index holds its extraction already


@dataclass(frozen=True, slots=True)
class DocResult:
    """What is written for one document: its extraction (encoded) and entity records for the
    index, or its graph as N-Quads for the store."""

    graph: str  # IRI of the document's named graph
    status: Status
    nquads: bytes = b""
    problems: tuple[Problem, ...] = ()
    content_hash: str = ""
    extraction: str = ""  # kg.resolve.codec.encode(extraction)
    records: tuple[EntityRecord, ...] = ()
    applied: str = ""  # digest of the resolution the graph was written with
    rejected: tuple[tuple[str, ...], ...] = ()  # the curation ``reject`` lines applied to the graph


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
    """Extract -> encoded extraction + entity records, for a chunk of documents; builds its
    extractor on first use."""

    def __init__(self, base: str = DEFAULT_BASE, make_extractor: ExtractorFactory = default_extractor) -> None:
        self.minter = IriMinter(base)
        self.make_extractor = make_extractor
        self.extractor: Any = None
        self.lexicon: Lexicon | None = None

    def load(self) -> None:
        """Build the extractor now rather than on first use (a Dask worker, as it starts)."""
        if self.extractor is None:
            self.extractor = self.make_extractor()

    def __call__(self, chunk: Sequence[Job]) -> list[DocResult]:
        from kg.mapping.to_rdf import content_hash

        todo = [job.doc for job in chunk if job.extract]
        if todo and self.extractor is None:
            self.extractor = self.make_extractor()
        extracted = iter(safe_extract_many(self.extractor, todo) if todo else [])
        results = []
        for job in chunk:
            iri = self.minter.document(job.doc.id)
            if not job.extract:
                results.append(DocResult(iri, job.status))
                continue
            extraction, problems = next(extracted)
            extraction = scoped(extraction, self._lexicon())
            records = records_of(extraction, self.minter, self._lexicon())
            results.append(DocResult(iri, job.status, b"", problems, content_hash(job.doc), codec.encode(extraction),
                                     records))
        return results

    def _lexicon(self) -> Lexicon:
        if self.lexicon is None:
            morph = getattr(self.extractor, "morph", None)
            self.lexicon = Lexicon.build(morph.lemma, common_words(morph)) if morph is not None else Lexicon.build()
        return self.lexicon


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


def graph_nquads(extraction: Extraction, minter: IriMinter, graph_iri: str,
                 resolution: MappingResolution | None = None) -> bytes:
    """The document's graph (the triples of ``kg.mapping.to_graph``) as N-Quads in its named graph."""
    from kg.mapping.nquads import to_nquads

    return to_nquads(extraction, minter, graph_iri, resolution)


def plan(docs: Iterable[Document], known: dict[str, str], minter: IriMinter,
         extracted: dict[str, str] | None = None) -> Iterator[Job]:
    """A Job per document: its status against the stored content hashes ``known``; it is
    extracted unless ``extracted`` (the index's hashes; default ``known``) holds its hash."""
    from kg.mapping.to_rdf import content_hash

    extracted = known if extracted is None else extracted
    for doc in docs:
        graph = minter.document(doc.id)
        digest = content_hash(doc)
        previous = known.get(graph)
        status = ADDED if previous is None else UNCHANGED if previous == digest else UPDATED
        yield Job(doc, status, extracted.get(graph) != digest)


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
    dask: str | None = None,
) -> Counts:
    """Stream ``inputs`` into ``store`` (an OxigraphStore) through ``index`` (default: one in
    memory); the counts of what was done.

    ``dask`` (``local:N`` or a scheduler address) extracts on a Dask cluster
    (``kg.distributed``) instead of ``jobs`` processes. ``make_extractor`` (default
    ``kg.extract.Extractor``) must be picklable when ``jobs > 1`` or with ``dask``.
    """
    index = index if index is not None else IdentityIndex(None)
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
    minter = IriMinter(base)
    try:
        extract_into(index, plan(docs, store.content_hashes(), minter, index.hashes()), counts, collect, bar,
                     base=base, jobs=jobs, make_extractor=make_extractor, dask=dask)
    finally:
        bar.close()
    # documents stored by a build that kept no index (or whose rows were lost): read them back
    known = index.hashes()
    unindexed = sorted(g for g in store.content_hashes() if g not in known)
    if unindexed:
        extract_into(index, (Job(doc, UPDATED) for doc in stored_documents(store, unindexed)), Counts(), collect,
                     Progress.for_stream(stream, enabled=False), base=base, jobs=jobs, make_extractor=make_extractor,
                     dask=dask)
    counts.written = write_resolved(store, index, minter)
    return counts


def extract_into(index: IdentityIndex, jobs_iter: Iterable[Job], counts: Counts, collect: Callable[[Problem], None],
                 bar: Progress, *, base: str, jobs: int, make_extractor: ExtractorFactory | None,
                 dask: str | None = None) -> None:
    """Extract the documents of ``jobs_iter`` (those not in the index already) into ``index``,
    in ``jobs`` processes or on the Dask cluster ``dask``."""
    make_worker = partial(make_doc_worker, base, make_extractor or default_extractor)
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
        _index_results(index, (result for chunk in chunks for result in chunk), counts, collect, bar)


def dask_backend(address: str) -> Any:
    """``kg.distributed.DaskBackend`` for ``--dask ADDRESS``; says how to install Dask when it is missing."""
    try:
        from kg.distributed import DaskBackend, parse_target
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("dask", "distributed"):
            raise
        raise KgError("--dask needs Dask, an optional extra: pip install 'kg[dask]'") from exc
    return DaskBackend(parse_target(address))


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


def write_resolved(store: Any, index: IdentityIndex, minter: IriMinter, curation: Curation | None = None) -> int:
    """Resolve the whole index and write every document whose stored graph differs from what it
    now maps to (new, changed, resolving differently, or touched by a curation ``reject``); the
    number of documents written. Documents the index no longer holds are dropped from the store.
    """
    stored: dict[str, str] = store.content_hashes()
    rows = {row.graph: row for row in index.rows()}
    gone = [g for g in stored if g not in rows]
    if gone:
        store.remove_graphs(gone)
    curation = curation if curation is not None else _curation_of(store)
    resolution = resolve({g: row.records for g, row in rows.items()}, minter, curation, load_reference(str.lower))
    rejects = frozenset(curation.reject)
    touched = _rejected_graphs(store, rejects)
    todo: list[tuple[str, str]] = []
    for graph, row in rows.items():
        now = resolution.digest(r.iri for r in row.records)
        rejected = {r for r in rejects if graph in touched[r]} | (row.rejected & rejects)
        if stored.get(graph) != row.content_hash or row.applied != now or rejected != row.rejected:
            todo.append((graph, now))
    written = 0
    ordered_rejects = tuple(sorted(rejects))
    with BackgroundWriter(partial(_write, store, index)) as writer:
        for start in range(0, len(todo), BATCH):
            part = todo[start:start + BATCH]
            digests = dict(part)
            batch = []
            for graph, extraction in index.extractions([g for g, _ in part]):
                nquads, applied = apply_rejects(graph_nquads(extraction, minter, graph, resolution), ordered_rejects)
                batch.append(DocResult(graph, UPDATED, nquads, applied=digests[graph], rejected=applied))
            written += len(batch)
            # without the flush RSS grows ~45 MB per 1,000 documents
            writer.submit(Batch(batch, written % FLUSH_EVERY < BATCH))
    return written


_GRAPHS_WITH_NODE = "SELECT DISTINCT ?g WHERE { GRAPH ?g { { %s ?p ?o } UNION { ?s ?p %s } } }"
_GRAPHS_WITH_STATEMENT = "SELECT DISTINCT ?g WHERE { GRAPH ?g { %s %s %s } }"


def _rejected_graphs(store: Any, rejects: frozenset[tuple[str, ...]]) -> dict[tuple[str, ...], set[str]]:
    """The stored graphs that still state what each ``reject`` line rejects."""
    import pyoxigraph as ox

    found: dict[tuple[str, ...], set[str]] = {}
    for reject in rejects:
        terms = [str(ox.NamedNode(t)) for t in reject]
        query = _GRAPHS_WITH_NODE % (terms[0], terms[0]) if len(terms) == 1 else _GRAPHS_WITH_STATEMENT % tuple(terms)
        found[reject] = {row["g"].value for row in store.query(query)}
    return found


@dataclass(frozen=True, slots=True)
class Batch:
    """Documents to write together, and whether to flush the store after them."""

    results: list[DocResult]
    flush: bool


def _write(store: Any, index: IdentityIndex | None, batch: Batch) -> None:
    """Write a batch of documents (``OxigraphStore.replace_documents_nquads``): each whole or not
    at all; then record in the index the resolution each was written with."""
    if batch.results:
        store.replace_documents_nquads([(r.graph, r.nquads) for r in batch.results])
        if index is not None:
            index.set_applied((r.graph, r.applied, r.rejected) for r in batch.results)
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
        index = IdentityIndex.of_workspace(workspace)
        try:
            counts = load_store(store, inputs, per_file=per_file, encoding=encoding, base=base,
                                report=report, jobs=jobs, progress=progress,
                                progress_stream=progress_stream, make_extractor=make_extractor, index=index,
                                dask=dask)
        except BaseException as exc:
            # the traceback's frames hold the store, and RocksDB lets one handle open it: a
            # caller that keeps the error (a notebook, CliRunner) could not build again to resume
            traceback.clear_frames(exc.__traceback__)
            del store
            raise
        finally:
            index.close()
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


def document_graphs(store: Any) -> dict[str, str]:
    """Document id -> the IRI of its named graph (whatever base it was built with)."""
    return {row["id"].value: row["g"].value for row in store.query(DOCUMENT_GRAPHS)}


def run_remove(ids: Sequence[str], workspace: Path, *, views: bool = True) -> RemoveSummary:
    """``kg.remove``: drop each document's named graph, then rewrite views and stats."""
    from kg.api import RemoveSummary, _stats, _write_views

    Workspace(workspace).require_store()
    removed: list[str] = []
    missing: list[str] = []
    with Workspace(workspace).lock():
        store = open_store(workspace)
        graphs = document_graphs(store)
        index = IdentityIndex.of_workspace(workspace)
        try:
            unindexed = set(graphs.values()) - set(index.hashes())
            if unindexed:  # a workspace built before the identity index: index it first
                base = _base_of(next(iter(unindexed)))
                extract_into(index, (Job(doc, UPDATED) for doc in stored_documents(store, sorted(unindexed))), Counts(),
                             lambda problem: None, Progress.for_stream(sys.stderr, enabled=False),
                             base=base, jobs=1, make_extractor=None)
            for doc_id in dict.fromkeys(ids):  # each id once, in the order given
                graph = graphs.get(doc_id)
                if graph is not None and store.remove_document(graph):
                    removed.append(doc_id)
                    index.remove([graph])
                else:
                    missing.append(doc_id)
            if removed and graphs:
                write_resolved(store, index, IriMinter(_base_of(next(iter(graphs.values())))))
        finally:
            index.close()
        store.flush()
        outputs = _write_views(store, workspace) if views and removed else ()
        stats = _stats(store)
    return RemoveSummary(tuple(removed), tuple(missing), stats, outputs)


def run_resolve(workspace: Path, *, views: bool = True) -> tuple[int, Any, tuple[Path, ...]]:
    """Resolve the workspace again (after its curation file changed) and write what that changes:
    (documents written, stats, views written)."""
    from kg.api import _stats, _write_views

    Workspace(workspace).require_store()
    with Workspace(workspace).lock():
        store = open_store(workspace)
        index = IdentityIndex.of_workspace(workspace)
        try:
            graphs = document_graphs(store)
            if not graphs:
                return 0, _stats(store), ()
            unindexed = set(graphs.values()) - set(index.hashes())
            base = _base_of(next(iter(graphs.values())))
            if unindexed:
                extract_into(index, (Job(doc, UPDATED) for doc in stored_documents(store, sorted(unindexed))), Counts(),
                             lambda problem: None, Progress.for_stream(sys.stderr, enabled=False),
                             base=base, jobs=1, make_extractor=None)
            written = write_resolved(store, index, IriMinter(base))
        finally:
            index.close()
        store.flush()
        outputs = _write_views(store, workspace) if views and written else ()
        return written, _stats(store), outputs


def suggestions(workspace: Path, limit: int) -> list[Any]:
    """Likely duplicates left in the workspace (``kg.resolve.suggest``)."""
    from kg.resolve.suggest import suggest

    Workspace(workspace).require_store()
    store = open_store(workspace, read_only=True)
    index = IdentityIndex.of_workspace(workspace, read_only=True)
    try:
        graphs = document_graphs(store)
        if not graphs:
            return []
        records = {row.graph: row.records for row in index.rows()}
        curation = load_curation(workspace)
        resolution = resolve(records, IriMinter(_base_of(next(iter(graphs.values())))), curation,
                             load_reference(str.lower))
        return suggest(records, resolution, curation, limit, Lexicon.build())
    finally:
        index.close()


def _base_of(graph_iri: str) -> str:
    """The base IRI a document graph was minted with: ``{base}doc/{id}``."""
    return graph_iri[: graph_iri.rindex("/doc/") + 1]


def _curation_of(store: Any) -> Curation:
    """The corrections of the store's workspace (``WORKSPACE/curation.tsv``)."""
    path: Path | None = getattr(store, "path", None)
    return load_curation(path.parent) if path is not None else Curation()


def write_views(store: Any, workspace: Path, prefixes: dict[str, str]) -> tuple[Path, ...]:
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
