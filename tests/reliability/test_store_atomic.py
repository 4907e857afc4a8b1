"""OxigraphStore writes: a failure part way leaves every document old or new, never missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.api import build
from kg.errors import StoreError
from kg.store.oxigraph import CONTENT_HASH, OxigraphStore
from reliability_support import by_graph, store_quads

WRITES = {"update", "extend", "bulk_extend", "add", "remove", "remove_graph", "clear_graph", "load", "bulk_load"}
G1, G2, G3 = (ox.NamedNode(f"http://example.org/doc/{n}") for n in (1, 2, 3))


class FailingStore:
    """Forwards to a pyoxigraph Store; the ``fail_at``-th write call raises OSError."""

    def __init__(self, store: ox.Store, fail_at: int) -> None:
        self._store = store
        self.fail_at = fail_at
        self.writes = 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            self.writes += 1
            if self.writes == self.fail_at:
                raise OSError(f"injected failure in {name}")
            return attr(*args, **kwargs)

        return write


def _doc(name: ox.NamedNode, version: str) -> tuple[ox.NamedNode, list[ox.Quad]]:
    quads = [
        ox.Quad(name, ox.NamedNode("http://example.org/p"), ox.Literal(f"{version} \"q\" \\ \n"), name),
        ox.Quad(name, ox.NamedNode("http://example.org/label"), ox.Literal(version, language="ru"), name),
        ox.Quad(name, ox.NamedNode(CONTENT_HASH), ox.Literal(f"hash-{version}"), name),
    ]
    return name, quads


def _versions(store: OxigraphStore) -> dict[str, str]:
    return {g: h.removeprefix("hash-") for g, h in store.content_hashes().items()}


def _count_writes() -> int:
    store = OxigraphStore()
    store.replace_documents([_doc(G1, "old"), _doc(G2, "old")])
    counting = FailingStore(store._store, fail_at=0)
    store._store = counting  # type: ignore[assignment]
    store.replace_documents([_doc(G1, "new"), _doc(G2, "new"), _doc(G3, "new")])
    return counting.writes


@pytest.mark.parametrize("fail_at", range(1, _count_writes() + 1))
def test_store_failed_batch_leaves_documents_old_or_new(fail_at: int) -> None:
    store = OxigraphStore()
    store.replace_documents([_doc(G1, "old"), _doc(G2, "old")])
    before = set(store.quads())
    store._store = FailingStore(store._store, fail_at)  # type: ignore[assignment]
    with pytest.raises((StoreError, OSError)):
        store.replace_documents([_doc(G1, "new"), _doc(G2, "new"), _doc(G3, "new")])
    versions = _versions(store)
    assert versions.get(G1.value) in {"old", "new"}, "document 1 went missing"
    assert versions.get(G2.value) in {"old", "new"}, "document 2 went missing"
    for name, quads in by_graph(set(store.quads())).items():
        version = versions.get(name.strip("<>"))
        assert version is not None, f"{name} has no content hash: half written"
        assert quads == set(_doc(ox.NamedNode(name.strip("<>")), version)[1])
    assert set(store.quads()) == before  # one transaction: nothing at all was written


def test_store_replace_documents_replaces_whole_graphs() -> None:
    store = OxigraphStore()
    store.replace_documents([_doc(G1, "old"), _doc(G2, "old")])
    store.replace_documents([_doc(G2, "new"), _doc(G3, "new")])
    assert _versions(store) == {G1.value: "old", G2.value: "new", G3.value: "new"}
    assert set(store.quads()) == {q for d in (_doc(G1, "old"), _doc(G2, "new"), _doc(G3, "new")) for q in d[1]}


def test_store_remove_incomplete_drops_graphs_without_hash() -> None:
    store = OxigraphStore()
    store.replace_documents([_doc(G1, "old")])
    half = [q for q in _doc(G2, "new")[1] if q.predicate.value != CONTENT_HASH]
    store._store.extend(half)  # what an interrupted bulk write leaves behind
    assert store.remove_incomplete() == [G2.value]
    assert store.documents() == [G1.value]
    assert store.remove_incomplete() == []


@pytest.mark.usefixtures("fake_extractor")
def test_store_interrupted_write_redone_by_next_build(tmp_path: Path, corpus: Path) -> None:
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    build([corpus], reference, views=False)
    expected = store_quads(reference)
    graphs = by_graph(expected)
    victim = sorted(graphs)[3]
    # a store where one document lost its content hash, and one stray hash-less graph
    store = OxigraphStore(crashed / "store")
    store._store.extend(q for q in expected if not (str(q.graph_name) == victim and q.predicate.value == CONTENT_HASH))
    stray = ox.NamedNode("http://example.org/doc/stray")
    store._store.add(ox.Quad(stray, ox.NamedNode("http://example.org/p"), ox.Literal("x"), stray))
    store.flush()
    del store
    summary = build([corpus], crashed, views=False)
    assert (summary.added, summary.unchanged) == (1, len(graphs) - 1)
    assert store_quads(crashed) == expected
