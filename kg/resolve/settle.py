"""Keep a workspace resolved: after documents are added or removed, write again those whose
entities now resolve differently.

``Resolver(store, index, minter, rewrite)``:

- ``current()`` resolves the documents stored so far (the build writes new documents
  with it, so most of them are written once);
- ``settle()`` resolves every stored document and calls ``rewrite(documents, resolution)``
  for those whose graph was written with another resolution, until none is left (one
  round, since extraction is deterministic; a second only after an interruption).
  Documents stored without records (a workspace built before the identity index, or
  rows lost) are read back from the store and extracted again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.mapping.iri import IriMinter
from kg.model import Document
from kg.resolve.curation import load_curation
from kg.resolve.curation import Curation
from kg.resolve.identity import Resolution, resolve
from kg.resolve.index import IdentityIndex
from kg.resolve.records import EntityRecord
from kg.resolve.reference import Reference, load_reference

Rewrite = Callable[[Iterable[Document], Resolution], int]
MAX_ROUNDS = 3

STORED_DOCUMENTS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?id ?text ?date ?title ?url WHERE {
  GRAPH ?g { ?g dcterms:identifier ?id ; nif:isString ?text .
             OPTIONAL { ?g dcterms:date ?date } OPTIONAL { ?g dcterms:title ?title }
             OPTIONAL { ?g dcterms:source ?url } }
  VALUES ?g { %s }
}
"""


class Resolver:
    """The resolution of one workspace (its store and identity index)."""

    def __init__(self, store: Any, index: IdentityIndex, minter: IriMinter, rewrite: Rewrite,
                 curation: Curation | None = None) -> None:
        self.store = store
        self.index = index
        self.minter = minter
        self.rewrite = rewrite
        self.curation = curation if curation is not None else _workspace_curation(store)
        self.reference = load_reference(str.lower)

    def _state(self) -> tuple[dict[str, tuple[tuple[EntityRecord, ...], str | None]], list[str]]:
        """Records of the stored documents (rows matching the store's content hash), and the
        stored documents without such a row."""
        hashes: dict[str, str] = self.store.content_hashes()
        rows: dict[str, tuple[tuple[EntityRecord, ...], str | None]] = {}
        stale_rows = []
        for graph, digest, applied, records in self.index.rows():
            if hashes.get(graph) == digest:
                rows[graph] = (records, applied)
            elif graph not in hashes:
                stale_rows.append(graph)
        if stale_rows:
            self.index.remove(stale_rows)
        return rows, sorted(g for g in hashes if g not in rows)

    def current(self) -> Resolution:
        rows, _ = self._state()
        return self._resolve(rows)

    def _resolve(self, rows: dict[str, tuple[tuple[EntityRecord, ...], str | None]]) -> Resolution:
        return resolve({g: records for g, (records, _) in rows.items()}, self.minter, self.curation, self.reference)

    def settle(self) -> int:
        """Write again every document whose graph does not follow the current resolution;
        the number of documents written."""
        written = 0
        for _ in range(MAX_ROUNDS):
            rows, unknown = self._state()
            resolution = self._resolve(rows)
            stale = [g for g, (records, applied) in rows.items()
                     if applied != resolution.digest(r.iri for r in records)]
            if not stale and not unknown:
                return written
            docs = list(self.index.documents(stale)) + list(stored_documents(self.store, unknown))
            written += self.rewrite(docs, resolution)
        raise StoreError("the identity of entities did not settle; run the build again")


def stored_documents(store: Any, graphs: list[str]) -> Iterator[Document]:
    """Documents read back from their graphs (id, text, date, title, url), 200 at a time."""
    for start in range(0, len(graphs), 200):
        values = " ".join(f"<{g}>" for g in graphs[start:start + 200])
        for row in store.query(STORED_DOCUMENTS % values):
            yield Document(row["id"].value, row["text"].value,
                           *(row[name].value if row[name] is not None else None for name in ("date", "title", "url")))


def _workspace_curation(store: Any) -> Curation:
    path: Path | None = getattr(store, "path", None)
    if path is None:
        return Curation()
    return load_curation(path.parent)
