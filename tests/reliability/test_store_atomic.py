"""OxigraphStore writes: a failure part way leaves every document old or new, never missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.api import build
from kg.errors import StoreError
from kg.store.oxigraph import CONTENT_HASH, OxigraphStore
from tests.store_helpers import replace_documents
from reliability_support import assert_union_consistent, by_graph, store_quads

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


class CallRecorder:
    """Forwards to a pyoxigraph Store and records the names of the write calls."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name in WRITES:
            self.calls.append(name)
        return getattr(self._store, name)


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
    replace_documents(store, [_doc(G1, "old"), _doc(G2, "old")])
    counting = FailingStore(store._store, fail_at=0)
    store._store = counting  # type: ignore[assignment]
    replace_documents(store, [_doc(G1, "new"), _doc(G2, "new"), _doc(G3, "new")])
    return counting.writes


@pytest.mark.parametrize("fail_at", range(1, _count_writes() + 1))
def test_store_failed_batch_leaves_documents_old_or_new(fail_at: int) -> None:
    """A batch of replaced (G1, G2) and new (G3) documents is two writes: whichever fails,
    every document is whole (old or new; a new one absent or new) and the default graph
    is the union of the named graphs."""
    store = OxigraphStore()
    replace_documents(store, [_doc(G1, "old"), _doc(G2, "old")])
    store._store = FailingStore(store._store, fail_at)  # type: ignore[assignment]
    with pytest.raises((StoreError, OSError)):
        replace_documents(store, [_doc(G1, "new"), _doc(G2, "new"), _doc(G3, "new")])
    versions = _versions(store)
    assert versions.get(G1.value) in {"old", "new"}, "document 1 went missing"
    assert versions.get(G2.value) in {"old", "new"}, "document 2 went missing"
    assert versions.get(G3.value) in {None, "new"}
    everything = set(store._store.quads_for_pattern(None, None, None, None))
    assert_union_consistent(everything)
    for name, quads in by_graph(everything).items():
        version = versions.get(name.strip("<>"))
        assert version is not None, f"{name} has no content hash: half written"
        assert quads == set(_doc(ox.NamedNode(name.strip("<>")), version)[1])


@pytest.mark.parametrize(("first", "second", "calls"), [
    ([], [G1, G2], ["bulk_load"]),  # new documents: one bulk load
    ([G1, G2], [G1, G2], ["update"]),  # replaced documents: one update
    ([G1], [G1, G2, G3], ["bulk_load", "update"]),  # both: new ones first
])
def test_store_batch_writes_new_documents_by_bulk_load(first: list[ox.NamedNode], second: list[ox.NamedNode],
                                                       calls: list[str]) -> None:
    store = OxigraphStore()
    if first:
        replace_documents(store, [_doc(g, "old") for g in first])
    recorder = CallRecorder(store._store)
    store._store = recorder  # type: ignore[assignment]
    replace_documents(store, [_doc(g, "new") for g in second])
    assert recorder.calls == calls
    assert _versions(store) == {g.value: "new" for g in [*first, *second]}
    assert_union_consistent(set(recorder.quads_for_pattern(None, None, None, None)))


def test_store_document_twice_in_a_batch_keeps_the_last() -> None:
    store = OxigraphStore()
    replace_documents(store, [_doc(G1, "old"), _doc(G1, "new")])
    assert _versions(store) == {G1.value: "new"}
    assert set(store.quads()) == set(_doc(G1, "new")[1])


def test_store_quad_outside_the_graph_writes_nothing() -> None:
    store = OxigraphStore()
    stray = ox.Quad(G3, ox.NamedNode("http://example.org/p"), ox.Literal("x"), G3)
    good = ox.serialize(_doc(G1, "new")[1], format=ox.RdfFormat.N_QUADS) or b""
    with pytest.raises(StoreError, match="outside the document's graph"):
        store.replace_documents_nquads([(G1.value, good),
                                        (G2.value, ox.serialize([stray], format=ox.RdfFormat.N_QUADS) or b"")])
    assert list(store.quads()) == []


def test_store_replace_documents_replaces_whole_graphs() -> None:
    store = OxigraphStore()
    replace_documents(store, [_doc(G1, "old"), _doc(G2, "old")])
    replace_documents(store, [_doc(G2, "new"), _doc(G3, "new")])
    assert _versions(store) == {G1.value: "old", G2.value: "new", G3.value: "new"}
    assert set(store.quads()) == {q for d in (_doc(G1, "old"), _doc(G2, "new"), _doc(G3, "new")) for q in d[1]}


def test_store_remove_incomplete_drops_graphs_without_hash() -> None:
    store = OxigraphStore()
    replace_documents(store, [_doc(G1, "old")])
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


class BulkRecorder:
    """Forwards to a pyoxigraph Store and records the number of lines of each bulk_load input."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self.loads: list[int] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name != "bulk_load":
            return attr

        def bulk_load(data: bytes, *args: Any, **kwargs: Any) -> Any:
            self.loads.append(data.count(b"\n"))
            return attr(data, *args, **kwargs)

        return bulk_load


@pytest.mark.parametrize(("limit", "loads"), [
    (1000, [54]),  # 9 documents x 3 quads, each in its graph and the default graph: one load
    (13, [12, 12, 12, 12, 6]),  # two documents (12 quads) fit under 13
    (7, [6] * 9),  # one document a load
    (2, [6] * 9),  # a document larger than the limit still goes whole, alone
])
def test_store_bulk_loads_stay_under_one_ingestion(monkeypatch: pytest.MonkeyPatch, limit: int,
                                                   loads: list[int]) -> None:
    """Oxigraph ingests each 1,000,000-quad batch of a bulk load separately, so kg cuts a
    batch of new documents into loads under BULK_MAX_QUADS, never splitting a document."""
    from kg.store import oxigraph

    monkeypatch.setattr(oxigraph, "BULK_MAX_QUADS", limit)
    names = [ox.NamedNode(f"http://example.org/doc/{n}") for n in range(9)]
    store = OxigraphStore()
    recorder = BulkRecorder(store._store)
    store._store = recorder  # type: ignore[assignment]
    replace_documents(store, [_doc(g, "new") for g in names])
    assert recorder.loads == loads
    assert _versions(store) == {g.value: "new" for g in names}
    everything = set(recorder.quads_for_pattern(None, None, None, None))
    assert_union_consistent(everything)
    assert {name.strip("<>") for name in by_graph(everything)} == {g.value for g in names}
