"""Fixtures of the reliability tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# --import-mode=importlib leaves sys.path alone: make this folder's helper
# modules (fake_kg, reliability_support) importable by the tests here.
sys.path.insert(0, str(Path(__file__).resolve().parent))

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fake_kg import install  # noqa: E402
from reliability_support import write_corpus  # noqa: E402
from servers import start_kg_serve, stop_kg_serve  # noqa: E402


@pytest.fixture
def fake_extractor() -> Iterator[None]:
    """``kg.build`` in this process uses the FakeExtractor (no NLP models)."""
    undo = install()
    yield
    undo()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    write_corpus(path, 40, seed=1)
    return path


@pytest.fixture(scope="module")
def battery_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose store holds 40 small document graphs."""
    import pyoxigraph as ox

    from kg.store.oxigraph import open_store
    from tests.store_helpers import add_quads

    workspace = tmp_path_factory.mktemp("battery")
    store = open_store(workspace)
    p = ox.NamedNode("http://example.org/p")
    add_quads(store, (ox.Quad(ox.NamedNode(f"http://example.org/s{i % 7}"), p, ox.Literal(str(i)),
                            ox.NamedNode(f"http://example.org/doc{i % 40}")) for i in range(200)))
    store.flush()
    del store
    return workspace


@pytest.fixture(scope="module")
def battery_server(battery_workspace: Path) -> Iterator[str]:
    """``kg serve`` on the battery workspace: its query URL."""
    process, url = start_kg_serve(battery_workspace, "--timeout", "5")
    try:
        yield url
    finally:
        stop_kg_serve(process)
