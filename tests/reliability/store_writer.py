"""Writes batches of documents into a store as fast as it can, for the store kill test.

    python tests/reliability/store_writer.py STORE_DIR FIRST_BATCH LAST_BATCH

Batch ``b`` holds ``NEW`` new documents ``b-0 … b-(NEW-1)`` (version 0, written by
the bulk loader) and replaces ``REPLACED`` documents of batch ``b - 1`` with version
``b`` (written by the SPARQL update), through ``OxigraphStore.replace_documents_nquads``
as ``kg build`` does. Every document shares entity triples with others, so the default
graph (their set union) depends on all of them. ``document(doc_id, version)`` is what
a whole document is; the test compares every graph left by a kill against it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from kg.store.oxigraph import CONTENT_HASH, OxigraphStore

NEW, REPLACED, SHARED = 24, 6, 7
EX = "http://example.org/"


def document(doc_id: str, version: int) -> set[ox.Quad]:
    """Document ``doc_id`` at ``version``: its own triples, shared ones and its content hash."""
    g = ox.NamedNode(f"{EX}doc/{doc_id}")
    number = sum(map(ord, doc_id))
    shared = ox.NamedNode(f"{EX}entity/{(number + version) % SHARED}")
    return {
        ox.Quad(g, ox.NamedNode(f"{EX}text"), ox.Literal(f"«{doc_id}» v{version} \"q\" \\ \n"), g),
        ox.Quad(g, ox.NamedNode(f"{EX}mentions"), shared, g),
        ox.Quad(shared, ox.NamedNode(f"{EX}label"), ox.Literal(f"entity {(number + version) % SHARED}", language="ru"), g),
        ox.Quad(shared, ox.NamedNode(f"{EX}seenIn"), ox.Literal(f"v{version % 2}"), g),
        ox.Quad(g, ox.NamedNode(CONTENT_HASH), ox.Literal(f"{doc_id}@{version}"), g),
    }


def batch(number: int) -> list[tuple[str, bytes]]:
    docs = [(f"{number}-{j}", 0) for j in range(NEW)]
    if number > 0:
        docs += [(f"{number - 1}-{j}", number) for j in range(REPLACED)]
    return [(f"{EX}doc/{doc_id}", ox.serialize(document(doc_id, version), format=ox.RdfFormat.N_QUADS) or b"")
            for doc_id, version in docs]


def main() -> None:
    path, first, last = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    store = OxigraphStore(path)
    print("open", flush=True)
    for number in range(first, last):
        store.replace_documents_nquads(batch(number))
    store.flush()


if __name__ == "__main__":
    main()
