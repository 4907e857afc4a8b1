"""``kg remove``: drop documents (their named graphs and identity rows), write again the documents
whose entities now resolve differently (a removed document may split a node), then rewrite the
views and the counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sys

from kg.mapping.iri import IriMinter
from kg.pipeline.build import Counts, extract_into, write_resolved
from kg.pipeline.stats import Stats, store_stats
from kg.pipeline.views import write_views
from kg.pipeline.worker import UPDATED, Job
from kg.progress import Progress
from kg.resolve import IdentityIndex
from kg.resolve.stored import stored_documents
from kg.sparql.run import value
from kg.store.base import Store
from kg.store.oxigraph import open_store
from kg.workspace import Workspace

DOCUMENT_GRAPHS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?id WHERE { GRAPH ?g { ?g dcterms:identifier ?id } }
"""


@dataclass(frozen=True, slots=True)
class RemoveSummary:
    """What one `remove` did: document ids removed and ids not in the workspace."""

    removed: tuple[str, ...]
    missing: tuple[str, ...]
    stats: Stats
    outputs: tuple[Path, ...] = field(default_factory=tuple)


def document_graphs(store: Store) -> dict[str, str]:
    """Document id -> the IRI of its named graph (whatever base it was built with)."""
    return {value(row["id"]): value(row["g"]) for row in store.select(DOCUMENT_GRAPHS)}


def run_remove(ids: Sequence[str], workspace: Path, *, views: bool = True) -> RemoveSummary:
    """``kg.remove``: drop each document's named graph, then rewrite views and stats."""
    ws = Workspace(workspace)
    ws.require_store()
    removed: list[str] = []
    missing: list[str] = []
    with ws.lock():
        store = open_store(ws)
        graphs = document_graphs(store)
        index = IdentityIndex.of_workspace(ws.path)
        try:
            index_workspace(store, index, graphs)
            for doc_id in dict.fromkeys(ids):  # each id once, in the order given
                graph = graphs.get(doc_id)
                if graph is not None and store.remove_document(graph):
                    removed.append(doc_id)
                    index.remove([graph])
                else:
                    missing.append(doc_id)
            if removed:
                write_resolved(store, index, IriMinter(base_of(next(iter(graphs.values())))))
        finally:
            index.close()
        store.flush()
        outputs = write_views(store, ws) if views and removed else ()
        stats = store_stats(store)
    return RemoveSummary(tuple(removed), tuple(missing), stats, outputs)


def base_of(graph_iri: str) -> str:
    """The base IRI a document graph was minted with: ``{base}doc/{id}``."""
    return graph_iri[: graph_iri.rindex("/doc/") + 1]


def index_workspace(store: Store, index: IdentityIndex, graphs: dict[str, str]) -> None:
    """Put the stored documents the identity index lacks into it (a workspace built before the
    index existed), extracting them again from their stored text; an index of an older identity
    scheme is renewed first, so every document is."""
    if index.outdated():
        index.renew()
    unindexed = sorted(set(graphs.values()) - set(index.hashes()))
    if unindexed:
        extract_into(index, (Job(doc, UPDATED) for doc in stored_documents(store, unindexed)), Counts(),
                     lambda problem: None, Progress.for_stream(sys.stderr, enabled=False),
                     base=base_of(unindexed[0]), jobs=1, make_extractor=None)
