"""Documents read back from the store, for a workspace whose identity index lacks them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.model import Document

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


def stored_documents(store: Any, graphs: list[str]) -> Iterator[Document]:
    """Documents read back from their graphs (id, text, date, title, url), 200 at a time."""
    for start in range(0, len(graphs), 200):
        values = " ".join(f"<{g}>" for g in graphs[start:start + 200])
        for row in store.select(STORED_DOCUMENTS % values):
            date, title, url = (row[name].value if row[name] is not None else None for name in ("date", "title", "url"))
            yield Document(row["id"].value, row["text"].value, date, title, url)
