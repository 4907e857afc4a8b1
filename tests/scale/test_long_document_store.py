"""One long document in the store: bulk-loaded unless a line is too long for the N-Quads parser
(issue 16, item 4: 32 MB of N-Quads of 800,000 characters went through a SPARQL update and took
the build to 1.1 GiB)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.store.oxigraph import BULK_MAX_LINE, OxigraphStore, open_store

GRAPH = "https://w3id.org/cluster-kg/id/doc/long"


def count(store: OxigraphStore, where: str) -> int:
    rows = list(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)  # type: ignore[union-attr]


def spy_on_update(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The graphs written through ``_replace`` (the SPARQL update), recorded and then written."""
    seen: list[str] = []
    replace = OxigraphStore._replace

    def spied(self: OxigraphStore, graphs: list[tuple[str, str]]) -> Any:
        seen.extend(name for name, _ in graphs)
        return replace(self, graphs)

    monkeypatch.setattr(OxigraphStore, "_replace", spied)
    return seen


def test_long_document_of_short_lines_is_bulk_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "{"я" * 300} {i}" <{GRAPH}> .' for i in range(16_000)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    assert len(data) > BULK_MAX_LINE
    seen = spy_on_update(monkeypatch)
    store = open_store(tmp_path / "ws")
    store.replace_documents_nquads([(GRAPH, data)])
    assert seen == []
    assert count(store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") == count(store, "?s ?p ?o") == 16_000


def test_a_line_too_long_for_the_parser_goes_through_the_update(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    text = "я" * (BULK_MAX_LINE // 2 + 10)  # two bytes a character: one line over BULK_MAX_LINE
    data = f'<http://example.org/doc> <http://example.org/text> "{text}" <{GRAPH}> .\n'.encode("utf-8")
    seen = spy_on_update(monkeypatch)
    store = open_store(tmp_path / "ws")
    store.replace_documents_nquads([(GRAPH, data)])
    assert seen == [f"<{GRAPH}>"]
    rows = list(store.select(f"SELECT (STRLEN(?t) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?d ?p ?t }} }}"))
    assert int(rows[0]["n"].value) == len(text)  # type: ignore[union-attr]


def long_document(lines: int) -> bytes:
    """N-Quads of one document graph: ``lines`` statements, then its content hash (as kg writes it)."""
    from kg.vocab import CONTENT_HASH

    body = [f'<http://example.org/s{i}> <http://example.org/p> "{"я" * 100} {i}" <{GRAPH}> .' for i in range(lines)]
    return ("\n".join([*body, f'<{GRAPH}> <{CONTENT_HASH}> "h1" <{GRAPH}> .']) + "\n").encode("utf-8")


def spy_on_bulk_loads(monkeypatch: pytest.MonkeyPatch, fail_at: int | None = None) -> list[bytes]:
    """The data of each ``bulk_load`` call of the store, recorded; the call ``fail_at`` raises."""
    import kg.store.oxigraph

    calls: list[bytes] = []
    load = OxigraphStore._bulk_load_new

    def spied(self: OxigraphStore, docs: list[tuple[str, bytes]]) -> None:
        calls.append(b"".join(nquads for _, nquads in docs))
        if len(calls) == fail_at:
            raise kg.store.oxigraph.StoreError("disk gone")
        load(self, docs)

    monkeypatch.setattr(OxigraphStore, "_bulk_load_new", spied)
    return calls


def test_long_document_is_bulk_loaded_in_slices_content_hash_last(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Oxigraph's bulk loader holds ~8x what it is given: a long document goes in slices of
    about BULK_SLICE bytes of whole lines, so the build's memory stays linear in the text."""
    import kg.store.oxigraph
    from kg.vocab import CONTENT_HASH

    monkeypatch.setattr(kg.store.oxigraph, "BULK_SLICE", 64 * 1024)
    data = long_document(3_000)
    calls = spy_on_bulk_loads(monkeypatch)
    store = open_store(tmp_path / "ws")
    store.replace_documents_nquads([(GRAPH, data), ("https://w3id.org/cluster-kg/id/doc/short",
                                                     b'<http://example.org/a> <http://example.org/p> "x" '
                                                     b'<https://w3id.org/cluster-kg/id/doc/short> .\n')])
    assert len(calls) > len(data) // (64 * 1024)
    assert all(len(c) < 64 * 1024 + 1024 for c in calls)  # a slice is BULK_SLICE bytes up to its line's end
    assert calls[-1] == f'<{GRAPH}> <{CONTENT_HASH}> "h1" <{GRAPH}> .\n'.encode()
    assert count(store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") == 3_001
    assert count(store, "?s ?p ?o") == 3_002  # the default graph: the union of both documents
    assert store.content_hashes()[GRAPH] == "h1"


def test_long_document_interrupted_between_slices_is_dropped_and_redone(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.store.oxigraph

    monkeypatch.setattr(kg.store.oxigraph, "BULK_SLICE", 64 * 1024)
    data = long_document(3_000)
    spy_on_bulk_loads(monkeypatch, fail_at=3)
    store = open_store(tmp_path / "ws")
    with pytest.raises(kg.store.oxigraph.StoreError, match="disk gone"):
        store.replace_documents_nquads([(GRAPH, data)])
    assert count(store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") > 0  # two slices are in, without a content hash
    assert store.remove_incomplete() == [GRAPH]
    assert count(store, "GRAPH ?g { ?s ?p ?o }") == count(store, "?s ?p ?o") == 0
    monkeypatch.undo()
    store.replace_documents_nquads([(GRAPH, data)])
    assert count(store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") == count(store, "?s ?p ?o") == 3_001


def test_long_document_slices_hold_no_second_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slices are cut from the N-Quads as given: taking the content hash out of the whole
    first copied all of it (tracemalloc's peak over the write was more than the document's size)."""
    import tracemalloc

    import kg.store.oxigraph

    monkeypatch.setattr(kg.store.oxigraph, "BULK_SLICE", 64 * 1024)
    data = long_document(12_000)
    store = open_store(tmp_path / "ws")
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        store.replace_documents_nquads([(GRAPH, data)])
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert len(data) > 40 * 64 * 1024
    assert peak < len(data) // 2
    assert count(store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") == 12_001
