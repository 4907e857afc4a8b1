"""``kg remove``: drop documents (their named graphs), then rewrite the views and the counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.pipeline.stats import Stats, store_stats
from kg.pipeline.views import write_views
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
        for doc_id in dict.fromkeys(ids):  # each id once, in the order given
            graph = graphs.get(doc_id)
            if graph is not None and store.remove_document(graph):
                removed.append(doc_id)
            else:
                missing.append(doc_id)
        store.flush()
        outputs = write_views(store, ws) if views and removed else ()
        stats = store_stats(store)
    return RemoveSummary(tuple(removed), tuple(missing), stats, outputs)
