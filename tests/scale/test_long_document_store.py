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
