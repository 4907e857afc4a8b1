"""What a worker runs on a chunk of documents: extract, map to N-Quads; and what it returns.

``DocWorker`` is built in each worker process (``kg.parallel.ordered_map`` with ``--jobs N``,
or a Dask worker, ``kg.distributed``) and builds its extractor on first use; for each ``Job``
it returns a ``DocResult``, the document's named graph as N-Quads. ``kg.pipeline.build``
plans the jobs and writes the results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from kg.extract import Extracts, ExtractsMany
from kg.mapping.iri import DEFAULT_BASE, IriMinter
from kg.model import Document, Extraction, Problem


class Status(Enum):
    """What storing a document means: it is new, it replaces an older version, or nothing."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # its content hash is in the store: it is not extracted again


ADDED, UPDATED, UNCHANGED = Status.ADDED, Status.UPDATED, Status.UNCHANGED

ExtractorFactory = Callable[[], Extracts]


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
    """Extract -> to_graph -> N-Quads for a chunk of documents; builds its extractor on first use."""

    def __init__(self, base: str = DEFAULT_BASE, make_extractor: ExtractorFactory = default_extractor) -> None:
        self.minter = IriMinter(base)
        self.make_extractor = make_extractor
        self.extractor: Extracts | None = None

    def load(self) -> None:
        """Build the extractor now rather than on first use (a Dask worker, as it starts)."""
        if self.extractor is None:
            self.extractor = self.make_extractor()

    def __call__(self, chunk: Sequence[Job]) -> list[DocResult]:
        todo = [job.doc for job in chunk if job.status != UNCHANGED]
        extracted = iter(safe_extract_many(self._extractor(), todo) if todo else [])
        results = []
        for job in chunk:
            iri = self.minter.document(job.doc.id)
            if job.status == UNCHANGED:
                results.append(DocResult(iri, UNCHANGED))
                continue
            extraction, problems = next(extracted)
            results.append(DocResult(iri, job.status, graph_nquads(extraction, self.minter, iri), problems))
        return results


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
