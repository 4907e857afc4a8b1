"""What a worker runs on a chunk of documents: extract, describe its entities; map them to N-Quads.

``DocWorker`` is built in each worker process (``kg.parallel.OrderedPool`` with ``--jobs N``,
or a Dask worker, ``kg.distributed``) and builds its extractor on first use; for each ``Job``
it returns a ``DocResult``: the document's extraction (encoded, ``kg.resolve.codec``) and its
entity records (``kg.resolve.records``), for the workspace's identity index. Once the
workspace is resolved, the same workers map each ``WriteJob`` of a ``Writes`` chunk (the
extraction as the index holds it, with the canonical form of its resolved nodes) to the
N-Quads of the document's graph (``write_graph``).
``kg.pipeline.build`` plans the jobs, keeps the results, resolves and writes the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from kg.extract import Extracts, ExtractsMany
from kg.mapping.iri import DEFAULT_BASE, IriMinter
from kg.model import Document, Extraction, Problem
from kg.resolve import codec
from kg.resolve.apply import resolved
from kg.resolve.curation import apply_rejects
from kg.resolve.identity import Canonical, Resolution
from kg.resolve.index import decode_extraction
from kg.resolve.lexicon import Lexicon, common_words
from kg.resolve.records import EntityRecord, records_of, scoped


class Status(Enum):
    """What storing a document means: it is new, it replaces an older version, or nothing."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # its content hash is in the store


ADDED, UPDATED, UNCHANGED = Status.ADDED, Status.UPDATED, Status.UNCHANGED

ExtractorFactory = Callable[[], Extracts]


@dataclass(frozen=True, slots=True)
class Job:
    """One document to process; ``status`` is what storing it will mean."""

    doc: Document
    status: Status  # what the document is to the store
    extract: bool = True  # False: the identity index holds its extraction already


@dataclass(frozen=True, slots=True)
class DocResult:
    """What is written for one document: its extraction (encoded) and entity records for the
    identity index, or its graph as N-Quads for the store."""

    graph: str  # IRI of the document's named graph
    status: Status
    nquads: bytes = b""
    problems: tuple[Problem, ...] = ()
    content_hash: str = ""
    extraction: str = ""  # kg.resolve.codec.encode(extraction)
    records: tuple[EntityRecord, ...] = ()
    applied: str = ""  # digest of the resolution the graph was written with
    rejected: tuple[tuple[str, ...], ...] = ()  # the curation ``reject`` lines applied to the graph


@dataclass(frozen=True, slots=True)
class WriteJob:
    """One document's graph to write: its extraction as the identity index holds it
    (``IdentityIndex.stored_extractions``), the canonical form of each of its nodes that resolves
    to one, the digest of that resolution, and the curation ``reject`` lines to apply."""

    graph: str
    extraction: bytes
    canonical: tuple[tuple[str, Canonical], ...]
    applied: str
    rejects: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Writes:
    """A chunk of ``WriteJob``s: what a worker maps to N-Quads (``DocWorker(Writes(...))``)."""

    jobs: tuple[WriteJob, ...]


def write_graph(job: WriteJob, minter: IriMinter) -> DocResult:
    """The document's graph as N-Quads, its nodes in their canonical form and the ``reject`` lines applied."""
    extraction = resolved(decode_extraction(job.extraction), Resolution(dict(job.canonical)), minter)
    nquads, rejected = apply_rejects(graph_nquads(extraction, minter, job.graph), job.rejects)
    return DocResult(job.graph, UPDATED, nquads, applied=job.applied, rejected=rejected)


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


def default_extractor() -> Extracts:
    single_threaded_blas()
    from kg.extract import Extractor  # loads natasha: only in processes that extract

    return Extractor()


class DocWorker:
    """Extract -> encoded extraction + entity records, for a chunk of documents; builds its
    extractor on first use."""

    def __init__(self, base: str = DEFAULT_BASE, make_extractor: ExtractorFactory = default_extractor) -> None:
        self.minter = IriMinter(base)
        self.make_extractor = make_extractor
        self.extractor: Extracts | None = None
        self.lexicon: Lexicon | None = None

    def load(self) -> None:
        """Build the extractor now rather than on first use (a Dask worker, as it starts)."""
        if self.extractor is None:
            self.extractor = self.make_extractor()

    def __call__(self, chunk: Sequence[Job] | Writes) -> list[DocResult]:
        from kg.mapping.to_rdf import content_hash

        if isinstance(chunk, Writes):
            return [write_graph(job, self.minter) for job in chunk.jobs]
        todo = [job.doc for job in chunk if job.extract]
        extracted = iter(safe_extract_many(self._extractor(), todo) if todo else [])
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
        """Names as resolution compares them, with the extractor's morphology when it has one."""
        if self.lexicon is None:
            morph = getattr(self.extractor, "morph", None)
            self.lexicon = Lexicon.build(morph.lemma, common_words(morph)) if morph is not None else Lexicon.build()
        return self.lexicon


    def _extractor(self) -> Extracts:
        if self.extractor is None:
            self.extractor = self.make_extractor()
        return self.extractor


def make_doc_worker(base: str, make_extractor: ExtractorFactory) -> DocWorker:
    """Module-level, so ``partial(make_doc_worker, ...)`` pickles for spawned workers."""
    return DocWorker(base, make_extractor)


def safe_extract(extractor: Extracts, doc: Document) -> tuple[Extraction, tuple[Problem, ...]]:
    """Extract; an extractor failure costs that document's facts, not the run."""
    try:
        return extractor.extract(doc), ()
    except Exception as exc:  # noqa: BLE001 - reported; the document is kept without facts
        where = doc.origin or doc.id
        message = f"extraction failed ({type(exc).__name__}: {exc}); document kept without facts"
        return Extraction(doc), (Problem(where, message),)


def safe_extract_many(extractor: Extracts, docs: Sequence[Document]) -> list[tuple[Extraction, tuple[Problem, ...]]]:
    """``safe_extract`` of each document, through ``extractor.extract_many`` when it has one
    (``kg.extract.Extractor`` batches natasha's NER); one document at a time if that fails."""
    if len(docs) > 1 and isinstance(extractor, ExtractsMany):
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
