"""GraphML and GEXF files read back by networkx (as Gephi would read them)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
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


def test_gephi_gexf_has_the_page_picture_and_a_timeline(sample_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Gephi opens the GEXF as the page draws it: class colours, sizes, positions (y up),
    and spells for its timeline (a fact on its date, an entity from its first mention on)."""
    from kg.viz.html import STYLE
    from kg.viz.picture import picture

    path = tmp_path / "graph.gexf"
    write_graph(sample_graph, path, "gexf")
    root = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in root and 'timeformat="date"' in root
    g = nx.read_gexf(path)
    pic = picture(sample_graph)
    for node, data in sample_graph.nodes(data=True):
        viz = g.nodes[node]["viz"]
        colour = STYLE[data["cls"]][2]
        assert "#%02x%02x%02x" % (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == colour
        assert viz["size"] == pytest.approx(pic.sizes[node])
        x, y = pic.positions[node]
        assert (viz["position"]["x"], viz["position"]["y"]) == pytest.approx((x, -y), abs=0.06)
        assert g.nodes[node]["title"] == pic.labels[node][0]
    ns = {"g": "http://www.gexf.net/1.2draft"}
    spells = {n.get("id"): [(s.get("start"), s.get("end")) for s in n.iterfind("g:spells/g:spell", ns)]
              for n in ET.parse(path).getroot().iterfind(".//g:node", ns)}
    for node, data in sample_graph.nodes(data=True):
        if data["cls"] in {"Agreement", "Event"} and len(data["date"]) == 10:
            assert spells[node] == [(data["date"], data["date"])]  # a fact happens on its date
        elif data["cls"] not in {"Agreement", "Event"} and data["dates"]:
            first = min(d for d in data["dates"] if len(d) == 10) if any(len(d) == 10 for d in data["dates"]) else None
            assert len(spells[node]) == 1 and spells[node][0][1] is None  # from its first mention on
            if first and all(len(d) == 10 for d in data["dates"]):
                assert spells[node][0][0] == first
    assert any(d.get("spells") for _, _, d in g.edges(data=True))


@pytest.mark.parametrize(("value", "span"), [
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2023-02", ("2023-02-01", "2023-02-28")),
    ("2024", ("2024-01-01", "2024-12-31")),
    ("2024-03-15", ("2024-03-15", "2024-03-15")),
    ("--04-09", None),
])
def test_gephi_day_span_uses_real_month_ends(value: str, span: tuple[str, str] | None) -> None:
    from kg.viz.gephi import day_span

    assert day_span(value) == span
