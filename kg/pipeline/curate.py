"""People's corrections to identity: record one, apply it to the workspace; list likely duplicates.

``run_curate`` appends a line to ``WORKSPACE/curation.tsv`` (``kg.resolve.curation``) and
resolves the workspace again, writing the documents the correction changes;
``suggestions`` lists nodes with near names that resolution left apart (``kg suggest``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.mapping.iri import IriMinter
from kg.pipeline.build import write_resolved
from kg.pipeline.remove import base_of, document_graphs, index_workspace
from kg.pipeline.stats import Stats, store_stats
from kg.pipeline.views import write_views
from kg.resolve import IdentityIndex, Lexicon, append_curation, load_curation, resolve
from kg.resolve.index import SCHEME
from kg.resolve.reference import load_reference
from kg.resolve.suggest import Suggestion, suggest
from kg.store.oxigraph import open_store
from kg.workspace import Workspace


@dataclass(frozen=True, slots=True)
class CurationSummary:
    """What a correction did: the line recorded, the documents written again, the views."""

    line: str
    path: Path
    written: int
    stats: Stats
    outputs: tuple[Path, ...] = field(default_factory=tuple)


def run_curate(workspace: Path, verb: str, terms: tuple[str, ...], *, comment: str = "",
               views: bool = True) -> CurationSummary:
    """Record ``verb terms`` (same, different, reject) and apply every correction to the workspace."""
    ws = Workspace(workspace)
    ws.require_store()
    path = append_curation(ws.path, verb, *terms, comment=comment)
    with ws.lock():
        store = open_store(ws)
        index = IdentityIndex.of_workspace(ws.path)
        try:
            graphs = document_graphs(store)
            written = 0
            if graphs:
                index_workspace(store, index, graphs)
                written = write_resolved(store, index, IriMinter(base_of(next(iter(graphs.values())))))
        finally:
            index.close()
        store.flush()
        outputs = write_views(store, ws) if views and written else ()
        stats = store_stats(store)
    return CurationSummary("\t".join((verb, *terms)), path, written, stats, outputs)


def suggestions(workspace: Path, limit: int) -> list[Suggestion]:
    """Likely duplicates left in the workspace, best first (``kg.resolve.suggest``)."""
    ws = Workspace(workspace)
    ws.require_store()
    store = open_store(ws, read_only=True)
    index = IdentityIndex.of_workspace(ws.path, read_only=True)
    try:
        graphs = document_graphs(store)
        if not graphs:
            return []
        if index.outdated():  # its records are of an older kg: read them as this one would not
            found = index.scheme()
            raise KgError(f"{index.path}: written by an older kg (identity scheme "
                          f"{found if found is not None else 'unstamped'}, now {SCHEME}); build the workspace "
                          f"once first (no new input: kg build - -w {ws.path} < /dev/null)")
        records = {row.graph: row.records for row in index.rows()}
        curation = load_curation(ws.path)
        resolution = resolve(records, IriMinter(base_of(next(iter(graphs.values())))), curation,
                             load_reference(str.lower))
        return suggest(records, resolution, curation, limit, Lexicon.build())
    finally:
        index.close()
