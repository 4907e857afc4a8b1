"""GraphML and GEXF files read back by networkx (as Gephi would read them)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import KgError
from kg.store.oxigraph import OxigraphStore
from kg.viz import write_network
from kg.viz.gephi import write_graph

READERS: dict[str, Callable[[Path], nx.Graph]] = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_gephi_round_trip(sample_store: OxigraphStore, sample_graph: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    write_network(sample_store, path, fmt)
    g = READERS[fmt](path)
    assert set(g) == set(sample_graph)
    for node, data in sample_graph.nodes(data=True):
        assert g.nodes[node]["label"] == data["label"]
        assert g.nodes[node]["cls"] == data["cls"]
        assert int(g.nodes[node]["degree"]) == sample_graph.degree(node)
    assert sorted((u, v) for u, v in g.edges()) == sorted((u, v) for u, v in sample_graph.edges())


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_gephi_hostile_text_survives_as_text(sample_graph: nx.MultiDiGraph, fmt: str) -> None:
    out = io.BytesIO()
    write_graph(sample_graph, out, fmt)
    text = out.getvalue().decode("utf-8")
    assert "<script>" not in text  # XML-escaped
    g = READERS[fmt](io.BytesIO(out.getvalue()))  # type: ignore[arg-type]
    assert "<script>window.__pwned=1</script>" in {d["label"] for _, d in g.nodes(data=True)}


def test_gephi_unknown_format(sample_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(KgError, match="choose one of graphml, gexf"):
        write_graph(sample_graph, tmp_path / "g.dot", "dot")
