"""Fixtures of the SPARQL tests: the hand-written TriG fixture in a store and in a workspace."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from servers import Server, oxigraph_plain_server, oxigraph_server, virtuoso_server  # noqa: E402

from kg.store.oxigraph import OxigraphStore, open_store  # noqa: E402
from tests.store_helpers import replace_documents

FIXTURE = Path(__file__).parent / "data" / "fixture.trig"

__all__ = ["Server", "oxigraph_plain_server", "oxigraph_server", "virtuoso_server"]


def load_fixture(store: OxigraphStore) -> None:
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, []).append(quad)  # type: ignore[union-attr]
    replace_documents(store, [(ox.NamedNode(name), quads) for name, quads in graphs.items()])


@pytest.fixture(scope="session")
def fixture_store() -> OxigraphStore:
    """An in-memory store holding the fixture's three document graphs."""
    store = OxigraphStore(None)
    load_fixture(store)
    return store


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace directory whose store holds the fixture."""
    store = open_store(tmp_path)
    load_fixture(store)
    store.flush()
    del store
    return tmp_path
